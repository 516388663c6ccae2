"""Query answers as plain data, and the one writer for each answer syntax.

Every store turns what it got (pyoxigraph solutions, a remote store's stream) into an :class:`Answer` of
rdflib terms, already cut at the row cap; :func:`serialize` writes it. The CLI's ``query --format json``
and the endpoint use the same writers, so a plain literal is written the same way everywhere (no
``xsd:string`` datatype, as SPARQL 1.1 JSON/XML results recommend for simple literals).

XML 1.0 cannot carry most C0 control characters, not even as character references, so the XML writers
put U+FFFD in their place: the answer stays well-formed and the loss is visible.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rolkg.graph import formats
from rolkg.graph.formats import Format

from rolkg.errors import NotWritable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


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
    def is_graph(self) -> bool:
        """A CONSTRUCT or DESCRIBE answer."""
        return self.form in GRAPH_FORMS

    @property
    def size(self) -> int:
        """Rows or triples in the answer (1 for ASK)."""
        if self.boolean is not None:
            return 1
        return len(self.triples) if self.is_graph else len(self.rows)


def serialize(answer: Answer, fmt: Format) -> bytes:
    """``answer`` in ``fmt``; a graph answer in an RDF format, a SELECT/ASK answer in a results format."""
    if answer.is_graph:
        return serialize_graph(graph_of(answer.triples), fmt)
    if fmt is formats.RESULTS_JSON:
        return _json(answer)
    if fmt is formats.RESULTS_XML:
        return _xml(answer)
    if fmt is formats.RESULTS_CSV:
        return _csv(answer)
    if fmt is formats.RESULTS_TSV:
        return _tsv(answer)
    raise NotWritable(f"a {answer.form} answer cannot be written as {fmt.media_type}")


def graph_of(triples: Sequence[tuple[Node, Node, Node]]) -> Graph:
    """An rdflib graph of ``triples`` with the project's prefixes bound."""
    from rolkg.graph.namespaces import PREFIXES

    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in triples:
        graph.add(triple)
    return graph


def serialize_graph(graph: Graph, fmt: Format, *, context: object = None) -> bytes:
    """``graph`` in an RDF syntax; raises :class:`NotWritable` when RDF/XML cannot name a predicate."""
    if fmt.kind == "results" or fmt.rdflib is None:
        raise NotWritable(f"a graph cannot be written as {fmt.media_type}")
    if fmt is formats.RDFXML:
        graph = _xml_safe(graph)
    try:
        if fmt is formats.JSONLD and context is not None:
            return graph.serialize(format=fmt.rdflib, context=context, encoding="utf-8")
        return graph.serialize(format=fmt.rdflib, encoding="utf-8")
    except ValueError as err:  # rdflib: "no valid way to shorten <iri>" (no XML QName for a predicate)
        offers = [f.media_type for f in formats.GRAPH_OFFERS if f is not fmt]
        raise NotWritable(
            f"this graph cannot be written as {fmt.media_type} ({err}); ask for {', '.join(offers)}", offers
        ) from err


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _xml_safe(graph: Graph) -> Graph:
    """``graph`` with characters XML 1.0 cannot carry replaced in literals (a copy only when needed)."""
    if not any(isinstance(o, Literal) and _NOT_XML.search(str(o)) for o in graph.objects()):
        return graph
    safe = Graph(namespace_manager=graph.namespace_manager)
    for s, p, o in graph:
        if isinstance(o, Literal) and _NOT_XML.search(str(o)):
            o = Literal(_xml_text(str(o)), lang=o.language, datatype=o.datatype)
        safe.add((s, p, o))
    return safe


# ---- SPARQL 1.1 Query Results JSON ------------------------------------------------------------------


def json_term(term: Node) -> dict[str, str]:
    """One RDF term in SPARQL JSON results form."""
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


def _json(answer: Answer, indent: int | None = None) -> bytes:
    if answer.boolean is not None:
        doc: dict[str, object] = {"head": {}, "boolean": answer.boolean}
    else:
        bindings = [
            {v: json_term(t) for v, t in zip(answer.variables, row, strict=True) if t is not None}
            for row in answer.rows
        ]
        doc = {"head": {"vars": answer.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=indent).encode("utf-8")


def json_pretty(answer: Answer) -> bytes:
    """SPARQL JSON results indented for reading (the CLI's ``--format json``)."""
    return _json(answer, indent=1) + b"\n"


# ---- SPARQL Query Results XML -----------------------------------------------------------------------


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(_xml_text(str(term)))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(_xml_text(str(term)))}</bnode>"
    assert isinstance(term, Literal)
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None and str(term.datatype) != XSD_STRING:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(_xml_text(str(term)))}</literal>"


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


# ---- CSV and TSV ------------------------------------------------------------------------------------


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
