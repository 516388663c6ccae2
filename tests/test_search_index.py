"""The search index (``rolkg.graph.search``) answers what the scan ``read/search`` answers, on real stores."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, URIRef
from rolkg.graph import query as query_module
from rolkg.graph import search
from rolkg.graph.namespaces import RDFS
from rolkg.graph.query import QueryLayer
from rolkg.graph.search import TextIndex
from rolkg.graph.store import Backend, EmbeddedStore, RemoteStore, Row, open_store
from rolkg.graph.store.dialects import VirtuosoDialect

A, B, C = (f"https://w3id.org/rolkg/id/body/{x}" for x in "abc")
FIXED = [
    "法",  # one character, in most texts
    "司法局",
    "Bureau",  # Latin, the English labels
    "bUREAU OF jUSTICE",  # mixed case
    "zzz没有这个",  # no match
    ".*",
    "(",
    "[法]",
    "\\",
    "$q ?q",
    '"',
    "'",
    '"} ; DROP ALL',
    " ",
    "\x00",  # the index's own separator
]


# ---- the index alone ------------------------------------------------------------------------------


def test_find_orders_by_shortest_matching_text_then_iri() -> None:
    index = TextIndex.of(
        [(B, "社区矫正对象"), (A, "社区矫正对象管理"), (C, "矫正"), (A, "另一个"), (B, "社区")]
    )
    assert index.find("矫正") == [C, B, A]  # lengths 2, 6, 8
    assert index.find("社区") == [B, A]  # B by its 2-character text
    assert index.find("矫正", limit=2) == [C, B]
    assert index.find("没有") == []


def test_find_is_case_blind_and_never_matches_across_texts() -> None:
    index = TextIndex.of([(A, "Legal Aid"), (B, "ab"), (C, "cd")])
    assert index.find("LEGAL aid") == [A]
    assert index.find("bc") == [] and index.find("b\x00c") == []  # "ab" and "cd" are joined by the separator
    assert index.find("") == [B, C, A]  # every text contains the empty string


def test_duplicate_texts_are_one_entry() -> None:
    index = TextIndex.of([(A, "同一"), (A, "同一"), (B, "同一")])
    assert len(index) == 2 and index.find("同") == [A, B]


# ---- differential: index answer == scan answer ------------------------------------------------------


def _same(rows: list[Row]) -> list[dict[str, object]]:
    """Rows with ``types`` as a set (GROUP_CONCAT's order is the engine's, and readers split it; none is
    an empty set, which Virtuoso writes as "" and Oxigraph leaves unbound)."""
    return [{**r, "types": set(str(r.get("types", "")).split())} for r in rows]


SAMPLED = ("matched", "report", "reportTitle", "year")  # SAMPLE(...): one of several, the engine's pick


def assert_same_answer(indexed: list[Row], scan: list[Row], q: str, *, exact: bool) -> None:
    """The index's rows are the scan's. ``exact=False`` (Virtuoso): its scan picks other samples, and
    loses the report of some resources that have one, so there a sampled field is only checked to be
    valid: the matched text contains ``q`` (any case) and is no shorter than ``len``, a report the scan
    gives is the index's."""
    if exact:
        assert _same(indexed) == _same(scan), q
        return
    strip = lambda rows: [{k: v for k, v in r.items() if k not in SAMPLED} for r in _same(rows)]  # noqa: E731
    assert strip(indexed) == strip(scan), q
    for new, old in zip(indexed, scan, strict=True):
        matched = str(new["matched"])
        assert q.lower() in matched.lower() and len(matched) >= int(new["len"]), (q, matched)
        assert all(old.get(k) is None or old.get(k) == new.get(k) for k in SAMPLED[1:]), (q, new, old)


def generated(layer: QueryLayer, n: int = 12) -> list[str]:
    """Substrings (1–6 characters) of the store's own texts, fixed seed, plus the FIXED cases."""
    texts = sorted({str(r["hit"]) for r in layer.select("read/search/texts")})
    rng = random.Random(20261202)
    found = []
    for text in rng.sample(texts, min(n, len(texts))):
        size = rng.randint(1, min(6, len(text)))
        start = rng.randint(0, len(text) - size)
        found.append(text[start : start + size])
    return found


@pytest.fixture(
    scope="module", params=["embedded-fixture", "embedded-extracted", "remote-fixture", "virtuoso-fixture"]
)
def layer(request: pytest.FixtureRequest, api_stores: dict[str, object]) -> Iterator[QueryLayer]:
    backend = open_store(api_stores[request.param], read_only=True)  # type: ignore[arg-type]
    try:
        yield QueryLayer(backend)
    finally:
        backend.close()


def test_index_answers_what_the_scan_answers(layer: QueryLayer) -> None:
    assert search.index_of(layer) is not None  # read-only embedded and remote stores keep an index
    substrings = generated(layer)
    virtuoso = isinstance(getattr(layer.backend, "dialect", None), VirtuosoDialect)
    answered = 0
    for q in substrings + FIXED:
        if virtuoso and "\x00" in q:  # Virtuoso's parser ends a string at a NUL: the scan is refused
            assert search.search(layer, q) == []
            continue
        scan = layer.select("read/search", q=Literal(q))
        indexed = search.search(layer, q)
        assert_same_answer(indexed, scan, q, exact=not virtuoso)
        answered += bool(scan)
    for q in substrings:  # each is part of some text, so each finds something
        assert search.search(layer, q), q
    assert answered >= len(substrings) + 3


# ---- which stores keep an index, and when it is built -----------------------------------------------


def _label_graph(*pairs: tuple[str, str]) -> Graph:
    g = Graph()
    for node, label in pairs:
        g.add((URIRef(node), RDFS.label, Literal(label, lang="zh")))
    return g


GRAPH = URIRef("https://w3id.org/rolkg/graph/report/search-test")


def test_a_writable_store_scans_and_sees_every_write(embedded: EmbeddedStore) -> None:
    layer = QueryLayer(embedded)
    embedded.replace_graph(GRAPH, _label_graph((A, "公共法律服务中心")))
    assert search.index_of(layer) is None and search.warm(layer) is None
    assert [str(r["node"]) for r in search.search(layer, "法律")] == [A]
    embedded.replace_graph(GRAPH, _label_graph((A, "公共法律服务中心"), (B, "法律援助")))
    assert [str(r["node"]) for r in search.search(layer, "法律")] == [B, A]


class Counting(QueryLayer):
    """A query layer that counts the index builds (reads of ``read/search/texts``)."""

    def __init__(self, backend: Backend) -> None:
        super().__init__(backend)
        self.builds = 0

    def select(self, name: str, **params: object) -> list[Row]:  # type: ignore[override]
        if name == "read/search/texts":
            self.builds += 1
        return super().select(name, **params)  # type: ignore[arg-type]


def test_warm_and_concurrent_first_searches_build_once(tmp_path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        store.replace_graph(GRAPH, _label_graph((A, "复议委员会"), (B, "行政复议")))
    with EmbeddedStore(path, read_only=True) as store:
        layer = Counting(store)
        warming = search.warm(layer)
        answers: list[list[str]] = []
        threads = [
            threading.Thread(
                target=lambda: answers.append([str(r["node"]) for r in search.search(layer, "复议")])
            )
            for _ in range(4)
        ]
        for t in threads:
            t.start()
        for t in [warming, *threads]:
            t.join(timeout=60)  # type: ignore[union-attr]
        assert answers == [[B, A]] * 4
        assert layer.builds == 1
        other = Counting(store)  # the pages' layer over the same store shares the API's index
        assert [str(r["node"]) for r in search.search(other, "委员会")] == [A] and other.builds == 0


def test_a_remote_index_is_rebuilt_after_the_ttl_while_the_old_one_answers(
    remote: RemoteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote.replace_graph(GRAPH, _label_graph((A, "法律顾问")))
    layer = Counting(remote)
    assert [str(r["node"]) for r in search.search(layer, "法律")] == [A] and layer.builds == 1
    remote.replace_graph(GRAPH, _label_graph((A, "法律顾问"), (B, "法律")))
    assert [str(r["node"]) for r in search.search(layer, "法律")] == [A]  # within the TTL: the index's answer
    monkeypatch.setattr(query_module, "REMOTE_CACHE_TTL", 0.001)
    assert [str(r["node"]) for r in search.search(layer, "法律")] == [
        A
    ]  # expired: old answer, rebuild started
    for t in [t for t in threading.enumerate() if t.name == "rolkg-search-index"]:
        t.join(timeout=60)
    monkeypatch.setattr(query_module, "REMOTE_CACHE_TTL", 3600.0)
    assert [str(r["node"]) for r in search.search(layer, "法律")] == [B, A] and layer.builds == 2
