"""The list pages' in-memory index (``rolkg.viz.list_index``) against the SPARQL it stands in for.

Four bundled reports (three places, three years) in a real store. For every class, and for every value
of every facet alone, pairs of facets, and values no resource has, the index path and the SPARQL path
(``read/list``, ``read/list-facets``: what a store whose answers are not kept uses) must give the same
items in the same order for each sort, the same count and the same facets, values, counts and order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from rolkg.data import REPORTS_DIR
from rolkg.graph.classes import registry
from rolkg.graph.ingest import ingest_file
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import EmbeddedStore, load_ontology
from rolkg.viz import lists

CLASSES = registry().names()  # every class with a list page


class _Unkept(QueryLayer):
    """The same store as the index path sees, through the lists' SPARQL path (answers not kept for good)."""

    @property
    def keeps_answers(self) -> bool:
        return False


@pytest.fixture(scope="module")
def layers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[QueryLayer, QueryLayer]]:
    path = tmp_path_factory.mktemp("list-index") / "store"
    with EmbeddedStore(path) as store:
        load_ontology(store)
        for name in ("cixi-sfj-2024.txt", "cixi-sfj-2023.txt", "jiaxing-sfj-2022.txt", "yuyao-gov-2023.txt"):
            ingest_file(REPORTS_DIR / name, None, store, check=False)
    store = EmbeddedStore.read_only(path)
    try:
        indexed, plain = QueryLayer(store), _Unkept(store)
        assert indexed.keeps_answers and not plain.keeps_answers
        yield indexed, plain
    finally:
        store.close()


def _facets(sel: QueryLayer, query: lists.ListQuery) -> list[tuple[str, str, int]]:
    return [(name, v["value"], v["n"]) for name, values in lists.facets(sel, query).items() for v in values]


def _same(indexed: QueryLayer, plain: QueryLayer, query: lists.ListQuery) -> int:
    for sort, desc in itertools.product(lists.SORTS, (False, True)):
        sorted_query = lists.ListQuery(**{**query.__dict__, "sort": sort, "desc": desc})
        assert lists.order(indexed, sorted_query) == lists.order(plain, sorted_query), (query, sort, desc)
    assert _facets(indexed, query) == _facets(plain, query), query
    return len(lists.order(indexed, query))


def test_every_filter_gives_what_sparql_gives(layers: tuple[QueryLayer, QueryLayer]) -> None:
    indexed, plain = layers
    checked = nonempty = 0
    for cls in CLASSES:
        whole = lists.ListQuery(cls)
        assert lists._index(indexed, lists.ListQuery(cls, year=2024)) is not None  # the index is in use
        assert lists._index(plain, lists.ListQuery(cls, year=2024)) is None
        values = {name: [v["value"] for v in found] for name, found in lists.facets(plain, whole).items()}
        singles = [lists.ListQuery(cls)]
        for name, found in values.items():
            for value in found[:6]:
                singles.append(lists.ListQuery(cls, **{name: int(value) if name == "year" else value}))
        # Values no resource of the class has: a year without reports, an unknown place, theme and kind.
        singles += [
            lists.ListQuery(cls, year=1999),
            lists.ListQuery(cls, place="不存在的地方"),
            lists.ListQuery(cls, theme="https://w3id.org/rolkg/id/theme/none"),
            lists.ListQuery(cls, kind="无此类"),
        ]
        pairs = [
            lists.ListQuery(cls, **{a: _value(a, values[a][0]), b: _value(b, values[b][-1])})
            for a, b in itertools.combinations(sorted(n for n in values if values[n]), 2)
        ]
        for query in singles + pairs:
            n = _same(indexed, plain, query)
            checked += 1
            nonempty += n > 0
    print(f"\n{checked} filter choices over {len(CLASSES)} classes, {nonempty} with items")
    assert checked > 300 and nonempty > 150, (checked, nonempty)


def _value(name: str, value: str) -> object:
    return int(value) if name == "year" else value


def test_a_kind_filter_by_class_and_label_searches(layers: tuple[QueryLayer, QueryLayer]) -> None:
    """A class as the kind; label searches taken from the labels themselves (a head, a middle, Latin letters
    in the other case, with a year, and text nothing has) give what ``CONTAINS(LCASE(…))`` gives."""
    indexed, plain = layers
    document = "https://w3id.org/rolkg/ontology#Document"
    assert _same(indexed, plain, lists.ListQuery("Document", kind=document)) > 0  # every document is one
    found = 0
    for cls in ("Initiative", "Body", "Document", "Metric", "Facility", "Report"):
        labels = [row[1] for row in lists.order(plain, lists.ListQuery(cls)) if len(row[1]) >= 4][:40:8]
        latin = [
            label
            for label in (row[1] for row in lists.order(plain, lists.ListQuery(cls)))
            if re.search("[A-Za-z]", label)
        ]
        searches = (
            [label[:2] for label in labels] + [label[1:4] for label in labels] + ["不存在的文字", "%", "\\"]
        )
        searches += [re.search("[A-Za-z]+", label).group().swapcase() for label in latin[:3]]  # type: ignore[union-attr]
        for q in searches:
            found += _same(indexed, plain, lists.ListQuery(cls, q=q)) > 0
            _same(indexed, plain, lists.ListQuery(cls, q=q, year=2023))
    assert found > 20, found


def test_the_index_weighs_its_bytes(layers: tuple[QueryLayer, QueryLayer]) -> None:
    indexed, _ = layers
    index = lists._index(indexed, lists.ListQuery("Evidence", year=2024))
    assert index is not None and index.size == len(lists.order(indexed, lists.ListQuery("Evidence")))
    assert 1 <= index.weight < index.size  # far lighter than the rows it replaces
    assert sorted(index.positions(index.bits[("type", "https://w3id.org/rolkg/ontology#Evidence")])) == list(
        range(index.size)
    )
