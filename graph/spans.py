"""Finding records by where their spans lie, in logarithmic time per look-up.

Extraction hangs every finding on the item whose text holds it; scanning every record for every item
would make the cost grow with the square of the report's length.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from rolkg.graph.model import Span

T = TypeVar("T")


class Within(Generic[T]):
    """The records whose span lies inside a given span (in text order)."""

    def __init__(self, records: Iterable[T], span_of: Callable[[T], Span]) -> None:
        self.records = sorted(records, key=lambda r: span_of(r).start)
        self.starts = [span_of(r).start for r in self.records]
        self.span_of = span_of

    def __call__(self, span: Span) -> list[T]:
        lo = bisect_left(self.starts, span.start)
        hi = bisect_right(self.starts, span.end)
        return [r for r in self.records[lo:hi] if span.contains(self.span_of(r))]


class Innermost(Generic[T]):
    """The innermost of nested records (a tree in text order) whose span holds a given span."""

    def __init__(self, records: Iterable[T], span_of: Callable[[T], Span]) -> None:
        # A stable sort keeps a parent before a child that starts where it starts.
        self.records = sorted(records, key=lambda r: span_of(r).start)
        self.starts = [span_of(r).start for r in self.records]
        self.span_of = span_of

    def __call__(self, span: Span) -> T | None:
        i = bisect_right(self.starts, span.start) - 1
        # Records between the innermost holder and ``span`` are its descendants that end earlier; in a
        # report those are few (an item's pilots), so this walk is short.
        while i >= 0:
            if self.span_of(self.records[i]).contains(span):
                return self.records[i]
            i -= 1
        return None
