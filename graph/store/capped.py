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
_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # a JSON string, non-ASCII kept


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


def _json_term(key: str, term: Any) -> str:
    """One binding, ``"name":{…}``, as JSON text (``key`` is the name already encoded)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return f'{key}:{{"type":"uri","value":{_string(term.value)}}}'
    if kind is ox.Literal:
        value = _string(term.value)
        language = term.language
        if language:
            return f'{key}:{{"type":"literal","value":{value},"xml:lang":{_string(language)}}}'
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return f'{key}:{{"type":"literal","value":{value}}}'
        return f'{key}:{{"type":"literal","value":{value},"datatype":{_string(datatype)}}}'
    if kind is ox.BlankNode:
        return f'{key}:{{"type":"bnode","value":{_string(term.value)}}}'
    raise TermError(f"unsupported term from the store: {term!r}")


def solutions_json(result: Any, max_rows: int | None) -> tuple[bytes, int, bool]:
    """SPARQL JSON results of pyoxigraph ``QuerySolutions`` / ``QueryBoolean``: body, rows, capped.

    The endpoint's most common answer, written straight from pyoxigraph's terms: going through rdflib
    terms and :func:`rolkg.graph.results.serialize` cost two thirds of a point lookup's time in the
    worker. The document is the one that path writes (same keys, same simple-literal rule), compact as an
    Oxigraph server writes it; literals keep the lexical form the store gives. The text is joined from
    strings JSON-encoded one by one (json's own C encoder), which costs half of building dicts to dump.
    """
    if isinstance(result, ox.QueryBoolean):
        return b'{"head":{},"boolean":' + (b"true" if result else b"false") + b"}", 1, False
    keys = [_string(v.value) for v in result.variables]
    solutions, capped = _cap(result, max_rows)
    rows = [
        "{" + ",".join(_json_term(k, t) for k, t in zip(keys, solution, strict=True) if t is not None) + "}"
        for solution in solutions
    ]
    body = '{"head":{"vars":[' + ",".join(keys) + ']},"results":{"bindings":[' + ",".join(rows) + "]}}"
    return body.encode("utf-8"), len(rows), capped
