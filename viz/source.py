"""Reading the graph for the views: the shared named queries (``read/…`` in ``graph/queries``) run through the
one query layer, with helpers for pages and VALUES blocks. ``viz/queries/examples`` holds only the SPARQL
page's example queries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from rdflib.term import Node
from rolkg.graph.query import bind
from rolkg.graph.terms import sparql_term

QUERY_DIR = Path(__file__).with_name("queries")

Row = dict[str, Node]


class Selector(Protocol):
    """The part of ``rolkg.graph.query.QueryLayer`` the views use: named SELECT queries with parameters."""

    def select(self, name: str, **params: Any) -> list[Row]:  # pragma: no cover - protocol
        ...

    def text(self, name: str) -> str:  # pragma: no cover - protocol
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


def select_page(sel: Selector, name: str, *, limit: int, offset: int = 0, **params: Any) -> list[Row]:
    """Rows ``offset … offset + limit`` of a named SELECT: see ``rolkg.graph.query.QueryLayer.select_page``."""
    return sel.select_page(name, limit=limit, offset=offset, **params)  # type: ignore[attr-defined,no-any-return]


_VALUES = re.compile(r"^(\s*)VALUES \?(?P<var>\w+) \{ \}(?P<rest>.*)$", re.MULTILINE)
VALUES_CHUNK = 400  # terms per VALUES block: small enough for any store's query size limit


def select_values(
    sel: Selector,
    name: str,
    values: Sequence[Node] | None,
    *,
    limit: int | None = None,
    **params: Node | None,
) -> list[Row]:
    """Rows of a named SELECT whose ``VALUES ?x { }`` lines are filled with ``values`` (in chunks of
    ``VALUES_CHUNK``, rows concatenated); ``values=None`` drops the lines, so the query reads every ``?x``.

    A line naming an optional ``$param`` that is None is dropped (an unbound ``$x`` in ``EXISTS`` would
    match anything, not nothing); ``limit`` is appended as ``LIMIT`` to each chunk's query.
    """
    unbound = [k for k, v in params.items() if v is None]
    lines = [ln for ln in sel.text(name).splitlines() if not any(f"${k}" in ln for k in unbound)]
    text_ = bind("\n".join(lines), {k: v for k, v in params.items() if v is not None})
    tail = f"\nLIMIT {int(limit)}" if limit is not None else ""
    backend = sel.backend  # type: ignore[attr-defined]
    if values is None:
        return backend.select(_VALUES.sub(lambda m: m.group(1) + m.group("rest"), text_) + tail)
    terms = list(dict.fromkeys(values))
    rows: list[Row] = []
    for i in range(0, len(terms), VALUES_CHUNK):
        block = " ".join(sparql_term(t) for t in terms[i : i + VALUES_CHUNK])
        filled = _VALUES.sub(
            lambda m, b=block: f"{m.group(1)}VALUES ?{m.group('var')} {{ {b} }}{m.group('rest')}", text_
        )
        rows.extend(backend.select(filled + tail))
    return rows


class Cached:
    """A selector whose answers are kept while the store cannot have changed (``QueryLayer.select_cached``):
    for pages made of whole-store counts, such as home, which cost seconds at 1M quads."""

    def __init__(self, sel: Selector) -> None:
        self._sel = sel

    def select(self, name: str, **params: Any) -> list[Row]:
        return self._sel.select_cached(name, **params)  # type: ignore[attr-defined,no-any-return]
