"""Answers read lazily and cut at the row cap, whatever produced them (pyoxigraph or a remote stream)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rolkg.graph.results import Answer
from rolkg.graph.terms import to_rdflib


def _cap(items: Iterable[Any], max_rows: int | None) -> tuple[list[Any], bool]:
    if max_rows is None:
        return list(items), False
    taken = list(itertools.islice(items, max_rows + 1))  # one more than allowed tells "there was more"
    return taken[:max_rows], len(taken) > max_rows


def solutions_answer(result: Any, max_rows: int | None) -> Answer:
    """A SELECT or ASK answer from pyoxigraph ``QuerySolutions`` / ``QueryBoolean``."""
    if isinstance(result, ox.QueryBoolean):
        return Answer(form="ASK", boolean=bool(result))
    names = [v.value for v in result.variables]
    solutions, capped = _cap(result, max_rows)
    rows = [[None if s[n] is None else to_rdflib(s[n]) for n in names] for s in solutions]
    return Answer(form="SELECT", variables=names, rows=rows, capped=capped)


def triples_answer(triples: Iterable[Any], max_rows: int | None) -> Answer:
    """A CONSTRUCT/DESCRIBE answer from pyoxigraph triples (or quads, whose graph is ignored)."""
    taken, capped = _cap(triples, max_rows)
    return Answer(
        form="CONSTRUCT",
        triples=[(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in taken],
        capped=capped,
    )


def answer_of(result: Any, max_rows: int | None) -> Answer:
    """The :class:`Answer` of any pyoxigraph query result."""
    if isinstance(result, ox.QueryTriples):
        return triples_answer(result, max_rows)
    return solutions_answer(result, max_rows)
