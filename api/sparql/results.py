"""Query answers as plain data, and their serialisation in every format ``/sparql`` offers.

A worker process turns whatever the store returns into an :class:`Answer` (rdflib terms, already capped
at the row limit), then serialises it here; only bytes cross back to the web process.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rolkg.api.sparql.negotiation import CANONICAL, GRAPH_CANONICAL

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(slots=True)
class Answer:
    """A SELECT (``variables`` + ``rows``), ASK (``boolean``) or graph (``triples``) answer."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[Sequence[Node | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)
    capped: bool = False

    @property
    def size(self) -> int:
        """Rows or triples in the answer (1 for ASK)."""
        if self.boolean is not None:
            return 1
        return len(self.triples) if self.triples else len(self.rows)


def serialize(answer: Answer, media: str) -> bytes:
    """``answer`` in ``media`` (one of the types offered by :mod:`negotiation`)."""
    if answer.form in ("CONSTRUCT", "DESCRIBE"):
        return _graph(answer, GRAPH_CANONICAL.get(media, media))
    media = CANONICAL.get(media, media)
    if media == "application/sparql-results+json":
        return _json(answer)
    if media == "application/sparql-results+xml":
        return _xml(answer)
    if media in ("text/csv", "text/tab-separated-values"):
        return _tsv(answer) if media == "text/tab-separated-values" else _csv(answer)
    raise ValueError(f"no serialiser for {media}")


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != XSD_STRING:
        out["datatype"] = str(term.datatype)
    return out


def _json(answer: Answer) -> bytes:
    if answer.boolean is not None:
        doc: dict[str, object] = {"head": {}, "boolean": answer.boolean}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(answer.variables, row, strict=True) if t is not None}
            for row in answer.rows
        ]
        doc = {"head": {"vars": answer.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None and str(term.datatype) != XSD_STRING:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def _xml(answer: Answer) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
    ]
    if answer.boolean is not None:
        out.append(f"<head/><boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        out.append(
            "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in answer.variables) + "</head>"
        )
        out.append("<results>")
        for row in answer.rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(answer.variables, row, strict=True)
                if t is not None
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out).encode("utf-8")


def _csv(answer: Answer) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if answer.boolean is not None:  # no standard; the common practice is one column
        writer.writerows([["_askResult"], ["true" if answer.boolean else "false"]])
    else:
        writer.writerow(answer.variables)
        for row in answer.rows:
            writer.writerow(
                ["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row]
            )
    return buf.getvalue().encode("utf-8")


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Node | None) -> str:
    """A term in Turtle syntax on one line (rdflib's n3() would use triple quotes for newlines)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = '"' + str(term).translate(_TSV_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and str(term.datatype) != XSD_STRING:
        return f"{text}^^<{term.datatype}>"
    return text


def _tsv(answer: Answer) -> bytes:
    if answer.boolean is not None:
        return ("?_askResult\n" + ("true" if answer.boolean else "false") + "\n").encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    for row in answer.rows:
        lines.append("\t".join(_tsv_term(t) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


_RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def _graph(answer: Answer, media: str) -> bytes:
    if media not in _RDFLIB_FORMATS:
        raise ValueError(f"no serialiser for {media}")
    graph = Graph()
    from rolkg.graph.namespaces import PREFIXES

    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in answer.triples:
        graph.add(triple)
    data = graph.serialize(format=_RDFLIB_FORMATS[media], encoding="utf-8")
    return data
