"""The W3C SPARQL 1.1 Protocol tests (w3c/rdf-tests ``sparql/sparql11/protocol/manifest.ttl``) that apply to
a read-only query endpoint, on the embedded store and on a real Oxigraph server behind ``/sparql``.

Adapted, not copied: the manifest's requests and expected outcomes are restated as a table; the data is
four graphs named like the manifest's ``dataN.rdf``, each holding one typed resource named like its graph
(what the manifest's ASK queries test). The ``update_*`` tests expect an update service, which a read-only
endpoint is not; the ``bad_update_*`` ones apply (every update must be refused with 4xx) and are here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, URIRef
from rolkg.api.app import create_app
from rolkg.graph.store import EmbeddedStore, RemoteStore

from rolkg.config import Settings
from tests.conftest import start_oxigraph, stop_oxigraph

DATA = "http://kasei.us/2009/09/sparql/data/data{}.rdf"
FOAF_DOC = URIRef("http://xmlns.com/foaf/0.1/Document")
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
RESULT_TYPES = (
    "application/sparql-results+xml",
    "application/sparql-results+json",
    "text/csv",
    "text/tab-separated-values",
)
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")


def _graph(n: int) -> Graph:
    graph = Graph()
    graph.add((URIRef(DATA.format(n)), RDF.type, FOAF_DOC))
    graph.add((URIRef(DATA.format(n)), URIRef("http://purl.org/dc/terms/title"), Literal(f"data {n}")))
    return graph


def _fill(backend: object) -> None:
    for n in range(4):
        backend.replace_graph(URIRef(DATA.format(n)), _graph(n))  # type: ignore[attr-defined]


@pytest.fixture(scope="module", params=["embedded", "remote"])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp(f"w3c-{request.param}")
    server = None
    if request.param == "embedded":
        with EmbeddedStore(folder / "store") as store:
            _fill(store)
        settings = Settings(store_path=folder / "store", query_timeout=60.0)
    else:
        server = start_oxigraph(folder / "oxigraph")
        with RemoteStore(server.query_url, server.update_url) as store:
            _fill(store)
        settings = Settings(endpoint=server.query_url, query_timeout=60.0)
    try:
        with TestClient(create_app(settings, workers=1)) as test_client:
            yield test_client
    finally:
        if server is not None:
            stop_oxigraph(server)


def q(text: str) -> str:
    return quote(text, safe="")


def dg(*ns: int) -> str:
    return "&".join(f"default-graph-uri={q(DATA.format(n))}" for n in ns)


def ng(*ns: int) -> str:
    return "&".join(f"named-graph-uri={q(DATA.format(n))}" for n in ns)


ASK_12 = f"ASK {{ <{DATA.format(1)}> a ?type . <{DATA.format(2)}> a ?type . }}"
ASK_G12 = f"ASK {{ GRAPH ?g1 {{ <{DATA.format(1)}> a ?type }} GRAPH ?g2 {{ <{DATA.format(2)}> a ?type }} }}"
ASK_FULL = (
    f"ASK {{\n  <{DATA.format(3)}> a ?type\n  GRAPH ?g1 {{ <{DATA.format(1)}> a ?type }}\n"
    f"  GRAPH ?g2 {{ <{DATA.format(2)}> a ?type }}\n}}"
)
ASK_MULTI = f"ASK FROM <{DATA.format(3)}> {{ <{DATA.format(1)}> a ?type . <{DATA.format(2)}> a ?type . }}"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # after /sparql
    body: bytes | None = None
    content_type: str | None = None
    accept: str | None = None
    status: int = 200  # 200: 2xx expected; 400: any 4xx expected
    boolean: bool | None = None
    media: tuple[str, ...] = ()


CASES = [
    Case("query_post_form", "POST", f"?{dg(0)}", b"query=ASK%20%7B%7D", FORM, boolean=True),
    Case("query_dataset_default_graphs_get", "GET", f"?query={q(ASK_12)}&{dg(1, 2)}", boolean=True),
    Case("query_dataset_default_graphs_post", "POST", f"?{dg(1, 2)}", ASK_12.encode(), DIRECT, boolean=True),
    Case("query_dataset_named_graphs_post", "POST", f"?{ng(1, 2)}", ASK_G12.encode(), DIRECT, boolean=True),
    Case("query_dataset_named_graphs_get", "GET", f"?query={q(ASK_G12)}&{ng(1, 2)}", boolean=True),
    Case("query_dataset_full", "POST", f"?{dg(3)}&{ng(1, 2)}", ASK_FULL.encode(), DIRECT, boolean=True),
    # The protocol's default graphs replace the query's FROM <data3>: data1 and data2 are found.
    Case("query_multiple_dataset", "GET", f"?query={q(ASK_MULTI)}&{dg(1, 2)}", boolean=True),
    Case("query_get", "GET", f"?query={q('SELECT (1 AS ?value) {}')}", media=RESULT_TYPES),
    Case(
        "query_content_type_select",
        "GET",
        f"?query={q('SELECT (1 AS ?value) {}')}",
        accept="application/sparql-results+json, application/sparql-results+xml, text/csv",
        media=RESULT_TYPES,
    ),
    Case("query_content_type_ask", "GET", f"?query={q('ASK {}')}", accept="*/*", media=RESULT_TYPES),
    Case(
        "query_content_type_describe",
        "GET",
        f"?query={q(f'DESCRIBE <{DATA.format(1)}>')}",
        accept="text/turtle, application/rdf+xml, */*;q=0.1",
        media=RDF_TYPES,
    ),
    Case(
        "query_content_type_construct",
        "GET",
        f"?query={q('CONSTRUCT { <s> <p> 1 } WHERE {}')}",
        accept="text/turtle, application/rdf+xml, */*;q=0.1",
        media=RDF_TYPES,
    ),
    Case("query_post_direct", "POST", "", b"SELECT (1 AS ?value) {}", DIRECT, media=RESULT_TYPES),
    Case("bad_query_method", "PUT", f"?query={q('ASK {}')}", status=400),
    Case("bad_multiple_queries", "GET", f"?query={q('ASK {}')}&query={q('SELECT * {}')}", status=400),
    Case("bad_query_wrong_media_type", "POST", "", b"ASK {}", "text/plain", status=400),
    Case("bad_query_missing_form_type", "POST", "", b"query=ASK%20%7B%7D", None, status=400),
    Case("bad_query_missing_direct_type", "POST", "", b"ASK {}", None, status=400),
    Case(
        "bad_query_non_utf8",
        "POST",
        "",
        "ASK { <http://example/é> ?p ?o }".encode("iso-8859-1"),
        "application/sparql-query; charset=ISO-8859-1",
        status=400,
    ),
    Case("bad_query_syntax", "GET", f"?query={q('ASK { ?s ?p }')}", status=400),
    Case("bad_update_get", "GET", f"?update={q('CLEAR ALL')}", status=400),
    Case(
        "bad_multiple_updates", "POST", "", b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM, status=400
    ),
    Case("bad_update_wrong_media_type", "POST", "", b"CLEAR NAMED", "text/plain", status=400),
    Case("bad_update_missing_form_type", "POST", "", b"update=CLEAR%20NAMED", None, status=400),
    Case(
        "bad_update_non_utf8",
        "POST",
        "",
        "CLEAR GRAPH <http://example/é>".encode("iso-8859-1"),
        "application/sparql-update; charset=ISO-8859-1",
        status=400,
    ),
    Case("bad_update_syntax", "POST", "", b"update=CLEAR%20XYZ", FORM, status=400),
    Case(
        "bad_update_dataset_conflict",
        "POST",
        f"?using-graph-uri={q(DATA.format(1))}",
        f"update={q(f'DELETE {{ ?s ?p ?o }} USING <{DATA.format(2)}> WHERE {{ ?s ?p ?o }}')}".encode(),
        FORM,
        status=400,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_protocol(client: TestClient, case: Case) -> None:
    headers = {}
    if case.content_type:
        headers["Content-Type"] = case.content_type
    if case.accept:
        headers["Accept"] = case.accept
    answer = client.request(case.method, "/sparql" + case.path, content=case.body, headers=headers)
    if case.status == 400:
        assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:200])
        return
    assert 200 <= answer.status_code < 400, (answer.status_code, answer.text[:300])
    media = answer.headers["content-type"].split(";")[0].strip()
    if case.boolean is not None:
        assert media == "application/sparql-results+json"
        assert answer.json()["boolean"] is case.boolean
    if case.media:
        assert media in case.media, media
    # The data is what the tests assume and nothing was changed by the refused updates.
    assert client.get("/sparql", params={"query": f"ASK {{ <{DATA.format(0)}> a ?t }}"}).json()["boolean"]
