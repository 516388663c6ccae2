"""Whole-store queries rewritten for speed give the same rows as the texts they replaced.

The old texts are kept here as the reference. They run on a few synthetic reports (bodies, documents and
places recur across report graphs, so the union default graph holds the duplicates that made the old
texts slow), on the extracted bundled report and on the hand-made API fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat
from rdflib import URIRef
from rolkg.graph.namespaces import ROL
from rolkg.graph.query import EVERY, QueryLayer, bind
from rolkg.graph.store import EmbeddedStore
from rolkg.viz import subgraph
from rolkg.viz.source import ANY

from tests.bench import synth
from tests.conftest import load_api_data

OLD_REPORT_COUNTS = """PREFIX rol: <https://w3id.org/rolkg/ontology#>
SELECT ?report ?cls (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?cls { rol:Initiative rol:PlannedInitiative rol:Pilot rol:Body rol:Document rol:Facility
                rol:Metric rol:Recognition rol:Shortcoming rol:LineageLink rol:Evidence }
  ?x a ?cls ; rol:report|rol:mentionedIn ?report .
}
GROUP BY ?report ?cls"""

OLD_REPORTS = """PREFIX rol: <https://w3id.org/rolkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?report (SAMPLE(?t) AS ?title) (SAMPLE(?y) AS ?year) (SAMPLE(?j) AS ?jurisdiction)
       (SAMPLE(?src) AS ?source) WHERE {
  ?report a rol:Report .
  OPTIONAL { ?report dcterms:title|rdfs:label ?t }
  OPTIONAL { ?report rol:year ?y }
  OPTIONAL { ?report rol:jurisdiction/skos:altLabel ?j }
  OPTIONAL { ?report dcterms:source ?src }
}
GROUP BY ?report
ORDER BY ?year ?report"""

OLD_KINDS = """PREFIX rol: <https://w3id.org/rolkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?kind ?zh ?en ?appliesTo (COUNT(DISTINCT ?place) AS ?places) (COUNT(DISTINCT ?thing) AS ?things)
WHERE {
  ?kind skos:inScheme rol:kinds ; rol:appliesTo ?appliesTo ; skos:prefLabel ?zh , ?en .
  FILTER (LANG(?zh) = "zh" && LANG(?en) = "en")
  OPTIONAL {
    ?thing rol:facilityKind|rol:measureKind ?kind ; rol:evidence/rol:report ?report .
    OPTIONAL { ?report rol:jurisdiction ?jurisdiction }
    OPTIONAL { ?report dcterms:publisher ?publisher }
    BIND (COALESCE(?jurisdiction, ?publisher) AS ?place)
  }
}
GROUP BY ?kind ?zh ?en ?appliesTo
ORDER BY DESC(?places) ?kind"""


OLD_KIND_ADOPTION = (Path(__file__).parent / "fixtures" / "queries" / "kind-adoption-before.rq").read_text(
    encoding="utf-8"
)


@pytest.fixture(scope="module", params=["synthetic", "extracted", "fixture"])
def layer(request: pytest.FixtureRequest) -> Iterator[QueryLayer]:
    store = EmbeddedStore.in_memory()
    if request.param == "synthetic":
        load_api_data(store, "fixture")  # the ontology graph; the fixture's few resources besides
        store._store.load("".join(synth.generate(12_000)).encode(), format=RdfFormat.N_QUADS)
    else:
        load_api_data(store, request.param)
    yield QueryLayer(store)
    store.close()


def as_set(rows: list[dict[str, object]]) -> list[tuple[tuple[str, str], ...]]:
    return sorted(tuple(sorted((k, v.n3()) for k, v in r.items())) for r in rows)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "old", "ordered"),
    [
        ("read/home/report-counts", OLD_REPORT_COUNTS, False),
        ("read/home/reports", OLD_REPORTS, True),
        ("read/kinds", OLD_KINDS, True),
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("read/") else "",
)
def test_rewrite_gives_the_old_rows(layer: QueryLayer, name: str, old: str, ordered: bool) -> None:
    new, before = layer.select(name), layer.backend.select(old)
    assert before, "the data exercises the query"
    assert as_set(new) == as_set(before)
    if ordered:
        assert new == before


def test_the_data_holds_what_makes_the_old_texts_slow(layer: QueryLayer) -> None:
    """Counted per class with duplicates the answers would differ: the union graph repeats resources."""
    if layer.backend.select("SELECT (COUNT(*) AS ?g) WHERE { GRAPH ?g {} }")[0]["g"].toPython() < 5:
        pytest.skip("one report: nothing recurs")
    kinds = {str(r["kind"]): int(r["things"]) for r in layer.select("read/kinds")}
    assert any(kinds.values())
    dup = layer.backend.select(
        "PREFIX rol: <https://w3id.org/rolkg/ontology#> SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?x) AS ?d) "
        "WHERE { ?x a rol:Body }"
    )[0]
    assert int(dup["n"]) > int(dup["d"])


def test_overview_count_with_the_measure_classes_is_the_unfiltered_count(layer: QueryLayer) -> None:
    reports = [None, *(URIRef(str(r["report"])) for r in layer.select("read/home/reports")[:2])]
    for report in reports:
        off = {"report": report or ANY, "theme": ANY, "body": ANY}
        unfiltered = layer.select(subgraph.Q + "count", classes=EVERY, **off)
        given = layer.select(subgraph.Q + "count", classes=[ROL[c] for c in sorted(subgraph.MEASURES)], **off)
        assert given == unfiltered
    assert int(unfiltered[0]["n"]) >= 0


def test_kind_adoption_gives_the_old_rows_each_once(layer: QueryLayer) -> None:
    """The old text listed a mention once per copy of the labels and places the union graph holds."""
    used = [URIRef(str(r["kind"])) for r in layer.select("read/kinds") if int(r["things"])]
    if not used:
        pytest.skip("no thing of any kind in this data")
    for kind in used[:4]:
        new = layer.select("read/kind-adoption", kinds=[kind])
        old = layer.backend.select(bind(OLD_KIND_ADOPTION, {"kind": kind}))
        # The old text listed a place under each of its zh names; the new one keeps the least.
        least: dict[tuple[tuple[str, str], ...], dict[str, object]] = {}
        for row in old:
            key = tuple(sorted((k, v.n3()) for k, v in row.items() if k != "placeName"))  # type: ignore[attr-defined]
            if key not in least or str(row["placeName"]) < str(least[key]["placeName"]):
                least[key] = row
        assert all(r.pop("kind") == kind for r in new)
        assert new and as_set(new) == as_set(list(least.values()))
        key = [(str(r["placeName"]), int(r["year"]), str(r["thing"]), int(r["start"])) for r in new]
        assert key == sorted(key)  # still in the page's order
