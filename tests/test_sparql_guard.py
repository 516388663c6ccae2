"""The query guard and content negotiation, without a store."""

from __future__ import annotations

import pytest
from rolkg.api.sparql.guard import check_query
from rolkg.graph.formats import negotiate_media as negotiate

from rolkg.errors import NotAcceptable, QueryRefused

RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")

KNOWN = ["https://w3id.org/rolkg/graph/ontology"]


def _refusal(query: str) -> QueryRefused:
    with pytest.raises(QueryRefused) as info:
        check_query(query, lambda: KNOWN)
    return info.value


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\U00000053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } } } }",
        "ASK { FILTER NOT EXISTS { SERVICE SILENT <http://x/> { ?s ?p ?o } } }",
        "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://x/> { ?s ?p ?o } } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE ?endpoint { ?s ?p ?o } } }",
    ],
)
def test_service_is_refused_wherever_it_hides(query: str) -> None:
    assert "SERVICE" in _refusal(query).message


@pytest.mark.parametrize(
    "query", ["INSERT DATA { <http://a> <http://b> <http://c> }", "CLEAR ALL", "LOAD <http://x/>", "DROP ALL"]
)
def test_updates_are_refused(query: str) -> None:
    assert "read-only" in _refusal(query).message


def test_dataset_may_name_only_known_graphs() -> None:
    assert "not held" in _refusal("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }").message
    assert "not held" in _refusal("SELECT * FROM NAMED <http://127.0.0.1/> WHERE { ?s ?p ?o }").message
    ok = check_query(f"SELECT * FROM <{KNOWN[0]}> WHERE {{ ?s ?p ?o }}", lambda: KNOWN)
    assert ok.default_graphs == (KNOWN[0],) and ok.form == "SELECT"
    with pytest.raises(QueryRefused):
        check_query("ASK {}", lambda: KNOWN, default_graph_uris=["http://elsewhere/"])


def test_plain_queries_do_not_ask_for_graphs() -> None:
    def boom() -> list[str]:
        raise AssertionError("no graph named, so no store round trip")

    assert check_query("CONSTRUCT WHERE { ?s ?p ?o }", boom).is_graph


def test_size_syntax_and_nesting() -> None:
    assert _refusal("ASK {} #" + "x" * 200_000).status == 413
    err = _refusal("SELECT * WHERE {\n  ?s ?p\n}")
    assert err.status == 400 and "line" in err.message and "column" in err.message
    assert "prefix" in _refusal("SELECT * WHERE { ?s x:p ?o }").message.lower()
    deep = "SELECT * WHERE { ?s " + "(" * 2000 + "<http://p>" + ")" * 2000 + " ?o }"
    assert _refusal(deep).status == 400


def test_negotiation() -> None:
    assert negotiate(None, RESULT_TYPES) == "application/sparql-results+json"
    assert negotiate("text/csv;q=0.5, text/tab-separated-values", RESULT_TYPES) == "text/tab-separated-values"
    assert negotiate("text/*", GRAPH_TYPES) == "text/turtle"
    assert negotiate("application/ld+json, */*;q=0.1", GRAPH_TYPES) == "application/ld+json"
    with pytest.raises(NotAcceptable):
        negotiate("image/png", RESULT_TYPES)
    with pytest.raises(NotAcceptable):
        negotiate("text/turtle;q=0", GRAPH_TYPES[:1])
