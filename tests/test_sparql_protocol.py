"""/sparql over real HTTP (uvicorn on a loopback port): protocol, clients, formats, caps, hostile queries,
timeouts and concurrency, against the embedded store and a real Oxigraph server."""

from __future__ import annotations

import csv
import io
import json
import statistics
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rolkg.api.app import create_app
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from tests.loopback import Listener

ROL = "https://w3id.org/rolkg/ontology#"
GRAPH = "https://w3id.org/rolkg/graph/report/cixishisifaju-2024"
INITIATIVES = f"PREFIX rol: <{ROL}> SELECT ?i WHERE {{ ?i a rol:Initiative }} ORDER BY ?i"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LOOKUP = f"PREFIX rol: <{ROL}> ASK {{ <https://w3id.org/rolkg/id/initiative/cixishisifaju-2024-1-2-3> a rol:Initiative }}"


@dataclass
class Live:
    base: str
    backend: str

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"


@pytest.fixture(scope="module", params=["embedded", "remote", "virtuoso"])
def live(request: pytest.FixtureRequest, api_stores: dict[str, object], serve_app) -> Iterator[Live]:
    settings = api_stores[f"{request.param}-fixture"]
    with serve_app(create_app(settings, workers=2)) as base:  # type: ignore[arg-type]
        yield Live(base, request.param)


@pytest.fixture
def http(live: Live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.base, timeout=20) as client:
        yield client


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


# ---- protocol and clients ----------------------------------------------------------------------------


def test_sparqlwrapper_reads_select_and_construct(live: Live) -> None:
    wrapper = SPARQLWrapper(live.sparql)
    wrapper.setQuery(INITIATIVES)
    wrapper.setReturnFormat(JSON)
    bindings = wrapper.query().convert()["results"]["bindings"]  # type: ignore[index]
    assert [b["i"]["value"].rsplit("/", 1)[-1] for b in bindings] == [
        "cixishisifaju-2024-1-2-3",
        "cixishisifaju-2024-1-4-2",
    ]
    wrapper.setReturnFormat(XML)
    xml = wrapper.query().convert()
    assert len(xml.getElementsByTagName("result")) == 2  # type: ignore[union-attr]
    wrapper.setMethod("POST")
    wrapper.setQuery(f"PREFIX rol: <{ROL}> CONSTRUCT {{ ?i a rol:Pilot }} WHERE {{ ?i a rol:Pilot }}")
    wrapper.setReturnFormat(TURTLE)
    turtle = wrapper.query().convert()
    graph = Graph().parse(data=turtle, format="turtle")
    assert len(graph) == 1


def test_rdflib_sparqlstore_reads_the_data(live: Live) -> None:
    store = SPARQLStore(live.sparql)
    graph = Graph(store=store)
    rows = list(
        graph.query(
            f"PREFIX rol: <{ROL}> SELECT ?l WHERE {{ ?i a rol:PlannedInitiative ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }} ORDER BY ?l"
        )
    )
    assert sorted(str(r[0]) for r in rows) == ["严格落实社区矫正规范", "深化县乡合法性审查改革"]
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    store.close()


def test_result_formats_and_406(http: httpx.Client) -> None:
    q = {"query": INITIATIVES}
    js = http.get("/sparql", params=q)
    assert js.headers["content-type"].startswith("application/sparql-results+json")
    assert len(js.json()["results"]["bindings"]) == 2
    rows = list(csv.reader(io.StringIO(http.get("/sparql", params=q, headers={"Accept": "text/csv"}).text)))
    assert rows[0] == ["i"] and len(rows) == 3
    tsv = http.get("/sparql", params=q, headers={"Accept": "text/tab-separated-values"}).text.splitlines()
    assert tsv[0] == "?i" and tsv[1].startswith("<https://w3id.org/rolkg/id/initiative/")
    xml = http.get("/sparql", params=q, headers={"Accept": "application/sparql-results+xml"})
    assert "<sparql" in xml.text and xml.text.count("<result>") == 2
    graph_q = {"query": "CONSTRUCT WHERE { ?s a ?o }"}
    for accept, fmt in (
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("text/turtle", "turtle"),
    ):
        answer = http.get("/sparql", params=graph_q, headers={"Accept": accept})
        assert answer.headers["content-type"].startswith(accept)
        assert len(Graph().parse(data=answer.text, format=fmt)) > 10
    assert http.get("/sparql", params=q, headers={"Accept": "image/png"}).status_code == 406
    # a CONSTRUCT asked for results formats only gets RDF (rdflib's SPARQLStore asks so with json)
    for results_only in ("text/csv", "application/sparql-results+json"):
        fallback = http.get("/sparql", params=graph_q, headers={"Accept": results_only})
        assert fallback.status_code == 200 and fallback.headers["content-type"].startswith("text/turtle")
        assert len(Graph().parse(data=fallback.text, format="turtle")) > 10
    assert http.get("/sparql", params=graph_q, headers={"Accept": "image/png"}).status_code == 406


def test_post_forms_and_dataset_parameters(http: httpx.Client) -> None:
    form = http.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert form.json()["boolean"] is True
    direct = http.post(
        "/sparql", content=b"ASK { ?s ?p ?o }", headers={"Content-Type": "application/sparql-query"}
    )
    assert direct.json()["boolean"] is True
    # the ontology graph alone has no rol:Initiative instances; the report graph has two
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?i a <{ROL}Initiative> }}"
    only_report = http.get("/sparql", params={"query": count, "default-graph-uri": GRAPH}).json()
    assert only_report["results"]["bindings"][0]["n"]["value"] == "2"
    only_onto = http.get(
        "/sparql", params={"query": count, "default-graph-uri": "https://w3id.org/rolkg/graph/ontology"}
    ).json()
    assert only_onto["results"]["bindings"][0]["n"]["value"] == "0"
    from_clause = http.get("/sparql", params={"query": count.replace("WHERE", f"FROM <{GRAPH}> WHERE")})
    assert from_clause.json()["results"]["bindings"][0]["n"]["value"] == "2"
    unknown = http.get("/sparql", params={"query": count, "default-graph-uri": "http://example.org/g"})
    assert unknown.status_code == 400 and "not held" in unknown.text
    assert http.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415


def test_service_description_and_html(http: httpx.Client, live: Live) -> None:
    sd = http.get("/sparql")
    assert sd.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=sd.text, format="turtle")
    sd_ns = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef(live.sparql), URIRef(sd_ns + "endpoint"), URIRef(live.sparql)) in graph
    assert (None, URIRef(sd_ns + "name"), URIRef(GRAPH)) in graph
    page = http.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html") and "<form" in page.text


def test_row_cap_is_announced(http: httpx.Client) -> None:
    answer = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(answer.json()["results"]["bindings"]) == 50  # max_rows of the test settings
    assert answer.headers["x-result-capped"].startswith("true")
    small = http.get("/sparql", params={"query": INITIATIVES})
    assert "x-result-capped" not in small.headers and small.headers["x-result-rows"] == "2"


def test_cors_without_credentials(http: httpx.Client) -> None:
    pre = http.options(
        "/sparql",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert pre.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in pre.headers


# ---- hostile queries ---------------------------------------------------------------------------------


def _hostile(port: int) -> list[tuple[str, str, int]]:
    loop = f"http://127.0.0.1:{port}/"
    chain = "/".join(["(<http://p>|!<http://p>)*"] * 40)
    return [
        ("insert data", "INSERT DATA { <http://a> <http://b> <http://c> }", 400),
        ("delete where", "DELETE WHERE { ?s ?p ?o }", 400),
        ("load", f"LOAD <{loop}>", 400),
        ("drop", "DROP ALL", 400),
        ("service", f"SELECT * WHERE {{ SERVICE <{loop}> {{ ?s ?p ?o }} }}", 400),
        ("service escaped", f"SELECT * WHERE {{ \\u0053ERVICE <{loop}> {{ ?s ?p ?o }} }}", 400),
        (
            "service silent in exists",
            f"ASK {{ FILTER EXISTS {{ SERVICE SILENT <{loop}> {{ ?s ?p ?o }} }} }}",
            400,
        ),
        ("from loopback", f"SELECT * FROM <{loop}> WHERE {{ ?s ?p ?o }}", 400),
        ("from named loopback", f"SELECT * FROM NAMED <{loop}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 400),
        ("from file", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", 400),
        # Virtuoso's own functions: bif:http_get fetches any address (it reached the listener before)
        ("bif function", f'PREFIX bif: <bif:> SELECT * WHERE {{ BIND(bif:http_get("{loop}") AS ?x) }}', 400),
        ("bif iri function", f'ASK {{ FILTER(<bif:http_get>("{loop}") != "") }}', 400),
        ("sql function", f'SELECT * WHERE {{ BIND(<sql:x>("{loop}") AS ?x) }}', 400),
        ("syntax", "SELECT * WHERE { ?s ?p }", 400),
        ("too long", "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_000_000, 413),
        ("deep path", f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s {chain} ?o }}", 503),
        ("cartesian", HEAVY, 503),
    ]


def test_hostile_battery(live: Live, listener: Listener) -> None:
    """Every hostile query is refused or stopped; nothing reaches the loopback listener; /healthz answers
    throughout (polled from another thread)."""
    health_latencies: list[float] = []
    health_failures: list[str] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=live.base, timeout=5) as client:
            while not stop.is_set():
                t = time.perf_counter()
                try:
                    r = client.get("/healthz")
                    if r.status_code != 200:
                        health_failures.append(str(r.status_code))
                except httpx.HTTPError as err:
                    health_failures.append(repr(err))
                health_latencies.append(time.perf_counter() - t)
                time.sleep(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    outcomes = {}
    try:
        with httpx.Client(base_url=live.base, timeout=30) as client:
            for name, query, status in _hostile(listener.port):
                started = time.perf_counter()
                answer = client.post("/sparql", data={"query": query})
                outcomes[name] = (answer.status_code, round(time.perf_counter() - started, 2))
                # Virtuoso refuses some unbounded paths when it compiles them, before any time limit
                allowed = {status, 400} if (live.backend, name) == ("virtuoso", "deep path") else {status}
                assert answer.status_code in allowed, (name, answer.status_code, answer.text[:300])
                assert answer.text.strip(), name  # a message, not an empty body
            sparql_query = client.post(
                "/sparql",
                content=("ASK {} #" + "x" * 1_000_000).encode(),
                headers={"Content-Type": "application/sparql-query"},
            )
            assert sparql_query.status_code == 413
    finally:
        stop.set()
        poller.join(timeout=5)
    print(f"\n[{live.backend}] hostile outcomes (status, seconds): {outcomes}")
    print(
        f"[{live.backend}] /healthz during the battery: n={len(health_latencies)}, "
        f"median={statistics.median(health_latencies) * 1000:.1f} ms, max={max(health_latencies) * 1000:.1f} ms"
    )
    assert listener.connections == 0
    assert not health_failures  # every poll answered 200 within the client's timeout


def test_lookups_are_answered_while_a_heavy_query_runs(live: Live) -> None:
    """Lookups sent while a heavy query occupies one worker are answered correctly, and the heavy query
    is still stopped. Whether they wait for it is a matter of time, measured by the benchmark suite
    (tests/bench/, "lookup during runaway queries"), not asserted here: on 2 shared cores the heavy
    query's 3 s can run out before three lookups do."""
    if live.backend == "virtuoso":
        pytest.skip("Virtuoso refuses or cuts the heavy query at once (cost estimate, anytime timeout)")
    with httpx.Client(base_url=live.base, timeout=20) as client:
        # Let a worker killed by an earlier test be replaced and, for the remote store, let Oxigraph finish
        # the abandoned heavy queries of earlier tests (its own --timeout-s is 5 s): they share 2 cores.
        time.sleep(5.5 if live.backend == "remote" else 1.5)
        while client.get("/healthz").json()["idle_workers"] < 2:
            time.sleep(0.1)
        heavy_status: list[int] = []

        def heavy(statuses: list[int]) -> None:
            with httpx.Client(base_url=live.base, timeout=20) as other:
                statuses.append(other.post("/sparql", data={"query": HEAVY}).status_code)

        runner = threading.Thread(target=heavy, args=(heavy_status,))
        runner.start()
        time.sleep(0.3)
        for _ in range(3):
            assert client.get("/sparql", params={"query": LOOKUP}).json()["boolean"] is True
        assert client.get("/api/initiatives/cixishisifaju-2024-1-2-3").status_code == 200
        runner.join(timeout=15)
        assert heavy_status == [503]


def test_worker_is_replaced_after_timeout(live: Live, http: httpx.Client) -> None:
    assert http.post("/sparql", data={"query": HEAVY}).status_code == 503
    deadline = time.monotonic() + 20
    while http.get("/healthz").json()["idle_workers"] < 2:
        assert time.monotonic() < deadline, "the killed worker was not replaced"
        time.sleep(0.2)
    assert http.get("/sparql", params={"query": LOOKUP}).json()["boolean"] is True


def test_error_messages_carry_position(http: httpx.Client) -> None:
    answer = http.get("/sparql", params={"query": "SELECT * WHERE {\n ?s ?p \n}"})
    assert answer.status_code == 400
    assert "line" in answer.text and "column" in answer.text


def test_json_results_are_valid_for_unicode(http: httpx.Client) -> None:
    q = 'SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(CONTAINS(?l, "矫正")) }'
    body = json.loads(http.get("/sparql", params={"query": q}).content)
    assert any("矫正" in b["l"]["value"] for b in body["results"]["bindings"])
