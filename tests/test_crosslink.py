"""Lineage across reports of one place: links and plan follow-through, whatever the order of ingest."""

from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

import pytest
from rolkg.data import REPORTS_DIR
from rolkg.graph.crosslink import relink_all
from rolkg.graph.ingest import ingest_file
from rolkg.graph.model import ReportMeta
from rolkg.graph.report_place import place_of
from rolkg.graph.store import EmbeddedStore

SERIES = Path(__file__).parent / "fixtures" / "series"
PREFIXES = """PREFIX rol: <https://w3id.org/rolkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
CROSS = (
    PREFIXES
    + """SELECT ?later ?earlier ?laterYear ?earlierYear ?laterBy ?earlierBy ?score ?ev WHERE {
  ?n a rol:LineageLink ; rdf:subject ?a ; rdf:predicate rol:continues ; rdf:object ?b ; rol:score ?score .
  ?a rol:continues ?b ; rol:report ?ar ; rdfs:label ?later . ?b rol:report ?br ; rdfs:label ?earlier .
  ?ar rol:year ?laterYear ; dcterms:publisher/rdfs:label ?laterBy .
  ?br rol:year ?earlierYear ; dcterms:publisher/rdfs:label ?earlierBy .
  FILTER (?ar != ?br)
  { SELECT ?n (COUNT(?e) AS ?ev) WHERE { ?n a rol:LineageLink ; rol:evidence ?e } GROUP BY ?n }
}"""
)
FOLLOW = (
    PREFIXES
    + """SELECT ?plan ?status ?by WHERE {
  ?f a rol:FollowThrough ; rol:plan/rdfs:label ?plan ; rol:status ?status .
  OPTIONAL { ?f rol:followedUpBy/rdfs:label ?by }
}"""
)


def series_rows() -> list[dict[str, str]]:
    with (SERIES / "series.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def ingest_series(order: list[dict[str, str]]) -> EmbeddedStore:
    store = EmbeddedStore.in_memory()
    for r in order:
        meta = ReportMeta(
            title=r["title"], issuer=r["issuer"], jurisdiction=r["jurisdiction"], year=int(r["year"])
        )
        ingest_file(SERIES / r["file"], meta, store)
    return store


def snapshot(store: EmbeddedStore) -> tuple[frozenset, frozenset]:
    links = frozenset(tuple(str(v) for v in r.values()) for r in store.select(CROSS))
    follow = frozenset(tuple(str(r.get(k)) for k in ("plan", "status", "by")) for r in store.select(FOLLOW))
    return links, follow


@pytest.fixture(scope="module")
def shuffled() -> list[tuple[frozenset, frozenset]]:
    rows = series_rows()
    orders = [rows, list(reversed(rows))]
    order = rows[:]
    random.Random(8).shuffle(order)
    orders.append(order)
    return [snapshot(ingest_series(o)) for o in orders]


def test_links_and_follow_through_do_not_depend_on_ingest_order(shuffled) -> None:
    first = shuffled[0]
    assert first[0] and first[1]
    for other in shuffled[1:]:
        assert other == first


def test_later_work_continues_earlier_plans_and_work(shuffled) -> None:
    links, _ = shuffled[0]
    pairs = {(later, earlier, int(ly), int(ey)) for later, earlier, ly, ey, *_ in links}
    assert any(
        "行政执法监督观察站" in later and "设立一批行政执法监督观察站" in earlier and (ly, ey) == (2023, 2022)
        for later, earlier, ly, ey in pairs
    )
    assert any("新时代法治实践站" in later and ly == 2024 and ey == 2023 for later, earlier, ly, ey in pairs)
    assert all(ly > ey for *_, ly, ey in pairs)
    assert all(int(ev) >= 2 for *_, ev in links)  # evidence from both ends
    assert all(0 < float(score) <= 1 for *_, score, _ in links)


def test_links_cross_the_bodies_of_one_place_but_not_places(shuffled) -> None:
    links, _ = shuffled[0]
    across = [(la, e) for la, e, _, _, lb, eb, *_ in links if lb != eb]
    assert any("商事调解中心" in later and "商事调解中心" in earlier for later, earlier in across)
    assert not any("昆山" in lb or "昆山" in eb for _, _, _, _, lb, eb, *_ in links)


def test_plan_statuses(shuffled) -> None:
    _, follow = shuffled[0]
    status: dict[str, set[str]] = {}
    for plan, st, _ in follow:
        status.setdefault(plan, set()).add(st)

    def of(words: str) -> set[str]:
        return next(v for k, v in status.items() if words in k)

    assert of("设立一批行政执法监督观察站") == {"carried-out"}
    assert of("推进区商事调解中心建设") == {"carried-out"}  # the government's plan, the bureau's work
    assert of("法治体检进企业") == {"not-found"}  # dropped
    assert of("知识产权公证服务") == {"not-found"}
    assert of("线索跟踪处置机制") == {"no-report"}  # no 2025 report held
    by = {b for p, st, b in follow if "设立一批行政执法监督观察站" in p}
    assert any("观察站" in b for b in by)


def test_relink_recomputes_the_same_links() -> None:
    store = ingest_series(series_rows())
    before, count = snapshot(store), store.triple_count()
    results = relink_all(store)
    assert snapshot(store) == before and store.triple_count() == count
    assert {str(r.place) for r in results} >= {
        str(place_of("江苏省苏州市吴江区")),
        str(place_of("江苏省苏州市昆山市")),
    }
    assert sum(r.reports for r in results) == len(series_rows())


@pytest.mark.parametrize("order", list(itertools.permutations(["cixi-sfj-2023.txt", "cixi-sfj-2024.txt"])))
def test_bundled_reports_link_in_either_order(order) -> None:
    store = EmbeddedStore.in_memory()
    for name in order:
        ingest_file(REPORTS_DIR / name, None, store)
    rows = store.select(CROSS)
    assert any(str(r["later"]) == "做好政务信息公开" and int(r["earlierYear"]) == 2023 for r in rows), rows


def test_reingest_is_idempotent() -> None:
    store = EmbeddedStore.in_memory()
    ingest_file(REPORTS_DIR / "cixi-sfj-2023.txt", None, store)
    ingest_file(REPORTS_DIR / "cixi-sfj-2024.txt", None, store)
    before = store.triple_count()
    ingest_file(REPORTS_DIR / "cixi-sfj-2024.txt", None, store)
    assert store.triple_count() == before


@pytest.mark.remote
def test_a_real_sparql_server_gives_the_same_links(remote, shuffled) -> None:
    for r in reversed(series_rows()):
        meta = ReportMeta(
            title=r["title"], issuer=r["issuer"], jurisdiction=r["jurisdiction"], year=int(r["year"])
        )
        ingest_file(SERIES / r["file"], meta, remote, check=False)
    assert snapshot(remote) == shuffled[0]  # type: ignore[arg-type]
    before = snapshot(remote)  # type: ignore[arg-type]
    relink_all(remote)
    assert snapshot(remote) == before  # type: ignore[arg-type]
