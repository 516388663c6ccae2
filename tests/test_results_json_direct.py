"""The endpoint's direct SPARQL JSON writer (pyoxigraph terms straight to JSON) against the general one
(rdflib terms through graph.results.serialize): the same variables, the same rows in the same order,
the same terms, on generated data with every kind of term and on every query shape the writer meets."""

from __future__ import annotations

import json
import random

import pyoxigraph as ox
import pytest
from rolkg.graph import formats
from rolkg.graph.results import serialize
from rolkg.graph.store.capped import answer_of, solutions_json
from rolkg.graph.terms import from_sparql_json

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _random_text(rng: random.Random) -> str:
    pieces = [
        '"',
        "\\",
        "\n",
        "\t",
        "\x00",
        "\x1f",
        "\u2028",
        "法治",
        "<b>&amp;</b>",
        "😀",
        " ",
        "'",
        "e\u0301",
    ]
    return "".join(
        rng.choice(pieces) if rng.random() < 0.5 else chr(rng.randint(32, 0x2FFF)) for _ in range(8)
    )


def _store(seed: int) -> ox.Store:
    rng = random.Random(seed)
    store = ox.Store()
    for i in range(60):
        subject: ox.NamedNode | ox.BlankNode = (
            ox.BlankNode(f"b{i}") if i % 7 == 0 else ox.NamedNode(f"{EX}s{i % 13}")
        )
        kind = rng.randrange(6)
        if kind == 0:
            obj: object = ox.Literal(_random_text(rng))
        elif kind == 1:
            obj = ox.Literal(_random_text(rng), language=rng.choice(["zh", "en", "zh-Hant", "en-GB"]))
        elif kind == 2:
            obj = ox.Literal(str(rng.randint(-(10**12), 10**12)), datatype=ox.NamedNode(XSD + "integer"))
        elif kind == 3:
            obj = ox.Literal(rng.choice(["2024-01-31", "2023-12-01Z"]), datatype=ox.NamedNode(XSD + "date"))
        elif kind == 4:
            obj = ox.Literal(_random_text(rng), datatype=ox.NamedNode(EX + "custom"))
        else:
            obj = ox.NamedNode(f"{EX}o{rng.randrange(9)}")
        graph = ox.NamedNode(f"{EX}g{i % 3}")
        store.add(ox.Quad(subject, ox.NamedNode(f"{EX}p{i % 4}"), obj, graph))  # type: ignore[arg-type]
    return store


QUERIES = [
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
    "SELECT ?s ?missing WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/nothing> ?missing } }",
    "SELECT (COUNT(*) AS ?n) (SUM(1.5) AS ?d) (AVG(2) AS ?a) WHERE { ?s ?p ?o }",
    "SELECT ?o (STRLEN(STR(?o)) AS ?len) (LANG(?o) AS ?lang) WHERE { ?s ?p ?o FILTER isLiteral(?o) }",
    "SELECT (BNODE() AS ?fresh) ?s WHERE { ?s ?p ?o } LIMIT 3",
    "SELECT ?x WHERE { VALUES ?x { 1 1.0 1e0 true 'a' 'a'@en <http://example.org/x> UNDEF } }",
    "SELECT * WHERE { } ",
    "SELECT ?s WHERE { ?s <http://example.org/none> ?o }",
    "ASK { ?s ?p ?o }",
    "ASK { ?s <http://example.org/none> ?o }",
]


def _terms(body: bytes) -> tuple[object, object]:
    doc = json.loads(body)
    if "boolean" in doc:
        return None, doc["boolean"]
    rows = [
        {name: from_sparql_json(term) for name, term in binding.items()}
        for binding in doc["results"]["bindings"]
    ]
    return doc["head"]["vars"], rows


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("max_rows", [None, 0, 1, 7, 10_000])
def test_the_direct_writer_gives_what_the_general_one_gives(
    seed: int, query: str, max_rows: int | None
) -> None:
    store = _store(seed)
    run = lambda: store.query(query, use_default_graph_as_union=True)  # noqa: E731
    direct, size, capped = solutions_json(run(), max_rows)
    answer = answer_of(run(), max_rows)
    general = serialize(answer, formats.RESULTS_JSON)
    vars_direct, rows_direct = _terms(direct)
    vars_general, rows_general = _terms(general)
    assert vars_direct == vars_general
    if query.startswith("SELECT (BNODE()"):  # fresh blank nodes differ run to run: compare the rest
        rows_direct = [{k: v for k, v in r.items() if k != "fresh"} for r in rows_direct]  # type: ignore[union-attr]
        rows_general = [{k: v for k, v in r.items() if k != "fresh"} for r in rows_general]  # type: ignore[union-attr]
    assert rows_direct == rows_general
    assert (size, capped) == (answer.size, answer.capped)
