"""RDF terms across the three worlds rolkg touches: rdflib, pyoxigraph and SPARQL text / JSON results.

All conversions live here so that every backend returns the same rdflib terms. A plain literal is
always ``Literal("x")`` (no datatype): pyoxigraph and SPARQL JSON may say ``xsd:string`` explicitly, and
rdflib does not consider ``Literal("x", datatype=XSD.string) == Literal("x")``.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from rolkg.errors import TermError

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)

# SPARQL IRIREF excludes these; anything else may appear between < and >.
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_BNODE_LABEL = re.compile(r"[^A-Za-z0-9_]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPE_RE = re.compile(r'[\\"\n\r\t\b\f]')


def to_rdflib(term: Any) -> Node:
    """A pyoxigraph term as the equivalent rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TermError(f"unsupported term from the store: {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the equivalent pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(_BNODE_LABEL.sub("_", str(term)) or "b")
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TermError(f"unsupported rdflib term: {term!r}")


def from_sparql_json(binding: dict[str, str]) -> Node:
    """One value of a SPARQL 1.1 JSON results binding as an rdflib term."""
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in (
        "literal",
        "typed-literal",
    ):  # typed-literal: the SPARQL 1.0 JSON draft some stores still send
        lang = binding.get("xml:lang")
        if lang:
            return Literal(value, lang=lang)
        datatype = binding.get("datatype")
        if datatype and datatype not in (_XSD_STRING, _LANG_STRING):
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise TermError(f"unsupported term in SPARQL JSON results: {binding!r}")


def check_iri(iri: str) -> str:
    """``iri`` unchanged, or :class:`TermError` when it holds a character SPARQL forbids in ``<…>``."""
    bad = _BAD_IRI_CHARS.search(iri)
    if bad or not iri:
        what = repr(bad.group()) if bad else "nothing"
        raise TermError(f"not a usable IRI (contains {what}): {iri!r}")
    return iri


def escape_string(text: str) -> str:
    """``text`` as the inside of a double-quoted SPARQL / N-Triples string."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)


def sparql_term(term: Node) -> str:
    """The SPARQL (and N-Triples) form of an rdflib term, escaped so it cannot break out of its place."""
    if isinstance(term, URIRef):
        return f"<{check_iri(str(term))}>"
    if isinstance(term, Literal):
        body = f'"{escape_string(str(term))}"'
        if term.language:
            if not _LANG.match(term.language):
                raise TermError(f"not a language tag: {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{body}^^<{check_iri(str(term.datatype))}>"
        return body
    if isinstance(term, BNode):
        return f"_:{_BNODE_LABEL.sub('_', str(term)) or 'b'}"
    raise TermError(f"cannot write {term!r} into SPARQL")
