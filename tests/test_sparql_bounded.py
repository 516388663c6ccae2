"""Queries answered in the web process (:mod:`rolkg.api.sparql.bounded`): the small grammar admits only
one-pattern queries, as two real parsers read them, and the answers are the workers' answers.

The grammar is tested differentially: queries are generated from pieces that are one pattern and from
pieces that are not (a second pattern, a filter, a path, DISTINCT, a comment that some parser ends early,
an escape, a SERVICE …). Every query the grammar admits is parsed by rdflib, whose algebra must be a single
triple pattern with no variable repeated and nothing around it but a projection and a slice, and run by
pyoxigraph, which must accept it. Generated queries the grammar refuses are counted per hazard, so the
test fails if a hazard is never generated.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Variable
from rolkg.api.app import create_app
from rolkg.api.sparql.bounded import INLINE_ROWS, answer_inline, bounded_query
from rolkg.api.sparql.execute import QueryRequest, StoreExecutor, answer
from rolkg.api.sparql.guard import QUERY_BASE
from rolkg.graph.store import open_store

from rolkg.config import Settings

JSON = "application/sparql-results+json"
EX = "http://example.org/"
PROLOGUE = f"PREFIX ex: <{EX}>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"

SUBJECTS = ["<http://example.org/a>", "ex:a", "?s", "$s", "?o", "<a>"]
PREDICATES = ["?p", "ex:p", "a", "<http://example.org/p>", "?s", "$o"]
OBJECTS = [
    "?o",
    "$o",
    "?s",
    '"x"',
    '"x"@zh-Hans',
    "'y'",
    '"1"^^xsd:integer',
    "12",
    "1.5",
    "true",
    "ex:b",
    "?p",
]
# Each hazard is a way of writing something that is not one bounded pattern (or that parsers may read
# differently): the grammar must refuse every query that contains one.
HAZARDS = {
    "second pattern": lambda t: t + " . ?x ?y ?z",
    "filter": lambda t: t + " FILTER(?o != 1)",
    "optional": lambda t: t + " OPTIONAL { ?o ?q ?r }",
    "path": lambda t: t.replace(" ", " ex:p+ ", 1) if t.count(" ") >= 2 else t + " ex:p+ ?z",
    "inverse path": lambda t: "?x ^ex:p ?y",
    "sequence path": lambda t: "?x ex:p/ex:q ?y",
    "predicate list": lambda t: t + " ; ex:q ?z",
    "object list": lambda t: t + " , ?z",
    "blank node": lambda t: "[] ?p ?o",
    "labelled blank node": lambda t: "_:b ?p ?o",
    "nested group": lambda t: "{ " + t + " }",
    "union": lambda t: "{ " + t + " } UNION { ?x ?y ?z }",
    "values": lambda t: "VALUES ?s { ex:a ex:b } " + t,
    "bind": lambda t: t + ' BIND("x" AS ?b)',
    "service": lambda t: "SERVICE <http://127.0.0.1:9/x> { " + t + " }",
    "comment ended by CR": lambda t: t + " # note\r . ?x ?y ?z\n",
    "comment ended by LS": lambda t: t + " # note\u2028 . ?x ?y ?z\n",
    "comment ended by NEL": lambda t: "# note\x85 ?x ?y ?z .\n" + t,
    "escaped string": lambda t: '?s ?p "a\\"b"',
    "long string": lambda t: '?s ?p """x"""',
    "codepoint escape": lambda t: "?s ?p \\u0022x\\u0022",
    "subquery": lambda t: "{ SELECT ?s WHERE { " + t + " } }",
    "minus": lambda t: t + " MINUS { ?s ?p 1 }",
}
MODIFIERS = {
    "none": "",
    "limit": " LIMIT 5",
    "distinct": "DISTINCT",
    "order": " ORDER BY ?s",
    "offset": " OFFSET 3",
    "group": " GROUP BY ?s",
    "from": "FROM",
}


def _query(rng: random.Random) -> tuple[str, str | None]:
    """A generated query and the hazard or modifier it carries (None: it should be admitted)."""
    triple = f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)} {rng.choice(OBJECTS)}"
    flaw: str | None = None
    if rng.random() < 0.5:
        flaw = rng.choice(sorted(HAZARDS))
        triple = HAZARDS[flaw](triple)
    if rng.random() < 0.3:
        triple = f"GRAPH {rng.choice(['?g', 'ex:g', '?s'])} {{ {triple} }}"
    # Comments ended by "\n" are read alike by every parser, whatever they hold.
    note = rng.choice(["", "", "# } . ?x ?y ?z { \n", "#\n"])
    body = (
        "{ "
        + note
        + triple
        + rng.choice(["", " .", " . "])
        + " }"
        + rng.choice(["", " # end\n", " # x LIMIT 5\n"])
    )
    if rng.random() < 0.05:  # the group's end only inside a comment: unclosed to every parser
        body, flaw = "{ " + triple + " # }", "brace in a comment"
    modifier = rng.choice(sorted(MODIFIERS)) if rng.random() < 0.4 else "none"
    form = rng.choice(["SELECT ?s ?p ?o", "SELECT *", "select ?o", "ASK", "SELECT ?s ?s"])
    head, tail = form, ""
    if modifier == "distinct" and form.upper().startswith("SELECT"):
        head = form[:6] + " DISTINCT" + form[6:]
    elif modifier == "from":
        tail_from = " FROM <http://example.org/g>"
        head += tail_from
    elif modifier != "none":
        tail = MODIFIERS[modifier]
    where = rng.choice([" WHERE ", " ", "where"])
    end = rng.choice(["", "", " # x LIMIT 5"])  # a comment at the very end needs no line end
    if flaw == "brace in a comment":
        tail, end = "", ""  # nothing may follow the comment on its line
    text = f"BASE <{QUERY_BASE}>\n{PROLOGUE}{head}{where}{body}{tail}{end}"
    if modifier not in ("none", "limit") and flaw is None:
        flaw = modifier
    return text, flaw


def _pattern_of(algebra: object) -> list[tuple[object, ...]]:
    """The triples of a query whose algebra is projection/slice over one BGP (or GRAPH of one), else []."""
    node = algebra
    allowed_wrappers = {"SelectQuery", "AskQuery", "Project", "Slice", "ToMultiSet", "Graph"}
    while getattr(node, "name", None) in allowed_wrappers:
        node = node["p"]
    if getattr(node, "name", None) != "BGP":
        return []
    return list(node["triples"])


def test_what_the_small_grammar_admits_is_one_pattern_to_both_parsers() -> None:
    rng = random.Random(20261203)
    store = ox.Store()
    store.add(
        ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal("x"), ox.NamedNode(f"{EX}g"))
    )
    admitted = 0
    refused: dict[str, int] = {}
    for _ in range(4000):
        text, flaw = _query(rng)
        verdict = bounded_query(text)
        if verdict is None:
            refused[flaw or "repeated variable or other"] = (
                refused.get(flaw or "repeated variable or other", 0) + 1
            )
            continue
        admitted += 1
        assert flaw is None, (flaw, text)
        algebra = translateQuery(parseQuery(text)).algebra
        triples = _pattern_of(algebra)
        assert len(triples) == 1, (text, algebra)
        variables = [t for t in triples[0] if isinstance(t, Variable)]
        graph = algebra["p"]
        while getattr(graph, "name", None) not in ("Graph", "BGP"):
            graph = graph["p"]
        if graph.name == "Graph" and isinstance(graph["term"], Variable):
            variables.append(graph["term"])
        assert len(variables) == len(set(variables)), text
        limit = algebra["p"]["length"] if getattr(algebra["p"], "name", None) == "Slice" else None
        assert verdict.limit == limit, text
        store.query(text, use_default_graph_as_union=True)  # Oxigraph reads it too (a SyntaxError fails)
    print(f"\nadmitted {admitted}, refused {refused}")
    assert admitted > 300
    for hazard in [*HAZARDS, *(m for m in MODIFIERS if m not in ("none", "limit")), "brace in a comment"]:
        assert refused.get(hazard, 0) > 0, f"the generator never produced {hazard!r}"


def test_refused_shapes_and_admitted_lookups() -> None:
    admitted = [
        "SELECT ?p ?o WHERE { <https://w3id.org/rolkg/id/x> ?p ?o }",
        "ASK { ?s a <http://example.org/C> }",
        'SELECT * { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> "行政复议"@zh } } LIMIT 10',
        "# a lookup\nSELECT ?s { ?s ?p ?o . }  # trailing comment",
    ]
    for text in admitted:
        assert bounded_query(text) is not None, text
    refused = [
        "SELECT ?s { ?s ?p ?s }",  # the repetition is a filter over the whole index
        "SELECT ?g { GRAPH ?g { ?g ?p ?o } }",
        "SELECT ?s { ?s ?p ?o } LIMIT 5 OFFSET 1000000",
        "SELECT ?s { ?s ?p ?o } ORDER BY ?s",
        "SELECT DISTINCT ?p { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "SELECT ?s { ?s ?p ?o # }",  # the group's end is in the comment
        "SELECT ?s { ?s ?p ?o }\r# CR ends a comment only to some parsers",
        "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    ]
    for text in refused:
        assert bounded_query(text) is None, text


@pytest.fixture(scope="module")
def fixture_settings(api_stores: dict[str, object]) -> Settings:
    return api_stores["embedded-fixture"]  # type: ignore[return-value]


@pytest.fixture(scope="module")
def backend(fixture_settings: Settings) -> Iterator[object]:
    store = open_store(fixture_settings, read_only=True)
    yield store
    store.close()


def _request(query: str, **changes: object) -> QueryRequest:
    request = QueryRequest(query=query, accept=JSON, max_rows=50, max_bytes=1 << 20)
    return dataclasses.replace(request, **changes)  # type: ignore[arg-type]


def _subjects(backend: object, n: int) -> list[str]:
    rows = backend.select(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s)) }} LIMIT {n}")  # type: ignore[attr-defined]
    return [str(row["s"]) for row in rows]


def test_inline_answers_are_the_workers_answers(backend: object) -> None:
    """Byte for byte, in each format a lookup may ask for, for subjects across the store."""
    executor = StoreExecutor(backend, timeout=30)  # type: ignore[arg-type]
    checked = 0
    for iri, accept in itertools.product(
        _subjects(backend, 25),
        [JSON, "text/csv", "application/sparql-results+xml", "text/tab-separated-values"],
    ):
        for text in (
            f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}",
            f"ASK {{ ?s ?p <{iri}> }}",
            f"SELECT * {{ GRAPH ?g {{ ?s ?p <{iri}> }} }}",
        ):
            request = _request(text, accept=accept)
            inline = answer_inline(backend, request)  # type: ignore[arg-type]
            assert inline is not None, text
            worker = answer(executor, request)
            assert (inline.status, inline.media, inline.size, inline.capped) == (
                worker.status,
                worker.media,
                worker.size,
                worker.capped,
            ), text
            assert inline.body == worker.body, text
            checked += 1
    assert checked >= 100


def test_the_text_judged_is_the_text_run(backend: object, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    original = type(backend).raw_query

    def spy(self: object, query: str, *args: object, **kwargs: object) -> object:
        seen.append(query)
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(type(backend), "raw_query", spy)
    iri = _subjects(backend, 1)[0]
    assert answer_inline(backend, _request(f"SELECT ?p ?o {{ <{iri}> ?p ?o }}")) is not None  # type: ignore[arg-type]
    assert len(seen) == 1 and bounded_query(seen[0]) is not None
    assert seen[0].startswith(f"BASE <{QUERY_BASE}>\n")


def test_what_is_left_to_the_workers(backend: object, fixture_settings: Settings) -> None:
    iri = _subjects(backend, 1)[0]
    lookup = f"SELECT ?p ?o {{ <{iri}> ?p ?o }}"
    everything = "SELECT * { ?s ?p ?o }"
    total = len(backend.select(everything))  # type: ignore[attr-defined]
    assert total > INLINE_ROWS
    # More rows than are read here while the client may have more: the workers answer it.
    assert answer_inline(backend, _request(everything, max_rows=total + 1)) is None  # type: ignore[arg-type]
    capped = answer_inline(backend, _request(everything, max_rows=50))  # type: ignore[arg-type]
    assert capped is not None and capped.capped and capped.size == 50
    assert answer_inline(backend, _request(lookup, max_bytes=10)) is None  # type: ignore[arg-type]
    assert answer_inline(backend, _request(lookup, accept="image/png")) is None  # type: ignore[arg-type]
    assert answer_inline(backend, _request(lookup, default_graph_uris=(f"{EX}g",))) is None  # type: ignore[arg-type]
    assert answer_inline(backend, _request("SELECT ?s { ?s ex:p ?o }")) is None  # type: ignore[arg-type]
    assert answer_inline(backend, _request(lookup.replace("SELECT", "SELECT DISTINCT"))) is None  # type: ignore[arg-type]


def test_remote_stores_get_the_full_guard(api_stores: dict[str, object]) -> None:
    store = open_store(api_stores["remote-fixture"], read_only=True)  # type: ignore[arg-type]
    try:
        assert answer_inline(store, _request("ASK { ?s ?p ?o }")) is None
    finally:
        store.close()


def test_sparql_answers_lookups_inline_and_the_rest_through_workers(
    fixture_settings: Settings, serve_app, tmp_path: Path
) -> None:
    app = create_app(fixture_settings, workers=1)
    with serve_app(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        context = app.state.rolkg
        iri = _subjects(context.backend, 1)[0]
        lookup = client.get("/sparql", params={"query": f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"})
        assert lookup.status_code == 200 and lookup.json()["results"]["bindings"]
        assert context.inline_answers == 1
        joined = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o . ?o ?q ?r } LIMIT 3"})
        assert joined.status_code == 200 and len(joined.json()["results"]["bindings"]) == 3
        assert context.inline_answers == 1
        refused = client.get(
            "/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}
        )
        assert refused.status_code == 400 and context.inline_answers == 1
        bad = client.get("/sparql", params={"query": "SELECT ?s { ?s nope:p ?o }"})
        assert bad.status_code == 400 and "nope" in bad.text and context.inline_answers == 1
