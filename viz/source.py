"""Reading the graph for the views: the shared named queries (``read/…`` in ``graph/queries``) run through the
one query layer (lists of terms for ``VALUES ?x { $xs }``: ``select_chunked``; answers kept per store version:
``Cached``).
``viz/queries/examples`` holds only the SPARQL page's example queries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from rdflib import URIRef
from rdflib.term import Node

QUERY_DIR = Path(__file__).with_name("queries")
ANY = URIRef("urn:rolkg:any")  # "no filter" for IRI parameters of the read/… queries

Row = dict[str, Node]
T = TypeVar("T")


class Selector(Protocol):
    """The part of ``rolkg.graph.query.QueryLayer`` the views use: named SELECT queries with parameters."""

    def select(self, name: str, **params: Any) -> list[Row]:  # pragma: no cover - protocol
        ...

    def select_chunked(
        self, name: str, key: str, values: Any, *, limit: int | None = None, **params: Any
    ) -> list[Row]:  # pragma: no cover - protocol
        ...


def open_layer(backend: object) -> Selector:
    """The query layer over ``backend`` (the views read the same ``read/…`` queries as the API)."""
    from rolkg.graph.query import QueryLayer  # imported late: the layer is written by another part

    return QueryLayer(backend)


def text(row: Row, key: str, default: str = "") -> str:
    """The lexical form of ``row[key]``, or ``default`` when unbound."""
    value = row.get(key)
    return default if value is None else str(value)


def number(row: Row, key: str) -> int | float | None:
    """``row[key]`` as a Python number (integers stay integers), or None."""
    value = row.get(key)
    if value is None:
        return None
    try:
        f = float(str(value))
    except ValueError:
        return None
    return int(f) if f.is_integer() else f


class Cached:
    """A selector whose answers are kept while the store cannot have changed (``QueryLayer.select_cached``):
    for pages made of whole-store counts, such as home, which cost seconds at 1M quads."""

    def __init__(self, sel: Selector) -> None:
        self._sel = sel

    def select(self, name: str, **params: Any) -> list[Row]:
        return self._sel.select_cached(name, **params)  # type: ignore[attr-defined,no-any-return]

    def keeps(self) -> bool:
        """Whether answers are kept for as long as the store is open (an index is then worth building)."""
        return bool(getattr(self._sel, "keeps_answers", False))

    def holds(self, key: str) -> bool:
        """Whether :meth:`kept` would answer ``key`` without computing."""
        return self._sel.holds(key)  # type: ignore[attr-defined,no-any-return]

    def kept(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, kept under ``key`` as the answers of :meth:`select` are (``QueryLayer.cached``)."""
        return self._sel.cached(key, compute)  # type: ignore[attr-defined,no-any-return]
