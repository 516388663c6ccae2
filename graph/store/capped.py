"""Answers read lazily and cut at the row cap, whatever produced them (pyoxigraph or a remote stream)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rolkg.graph.results import Answer
from rolkg.graph.terms import to_rdflib

from rolkg.errors import TermError

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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


def _json_term(term: Any) -> dict[str, str]:
    kind = type(term)
    if kind is ox.NamedNode:
        return {"type": "uri", "value": term.value}
    if kind is ox.Literal:
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": datatype}
    if kind is ox.BlankNode:
        return {"type": "bnode", "value": term.value}
    raise TermError(f"unsupported term from the store: {term!r}")


def solutions_json(result: Any, max_rows: int | None) -> tuple[bytes, int, bool]:
    """SPARQL JSON results of pyoxigraph ``QuerySolutions`` / ``QueryBoolean``: body, rows, capped.

    The endpoint's most common answer, written straight from pyoxigraph's terms: going through rdflib
    terms and :func:`rolkg.graph.results.serialize` cost two thirds of a point lookup's time in the
    worker. The document is the one that path writes (same keys, same simple-literal rule); literals keep
    the lexical form the store gives, as an Oxigraph server writes them.
    """
    if isinstance(result, ox.QueryBoolean):
        return json.dumps({"head": {}, "boolean": bool(result)}).encode("utf-8"), 1, False
    names = [v.value for v in result.variables]
    solutions, capped = _cap(result, max_rows)
    bindings = []
    for solution in solutions:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = _json_term(term)
        bindings.append(row)
    doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8"), len(bindings), capped
