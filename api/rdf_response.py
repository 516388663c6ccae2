"""RDF graphs as HTTP responses in the negotiated syntax (Turtle, N-Triples, JSON-LD, RDF/XML)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from fastapi import Request, Response
from rdflib import Graph
from rolkg.graph import formats
from rolkg.graph.formats import Format
from rolkg.graph.namespaces import PREFIXES
from rolkg.graph.results import serialize_graph as write_graph

from rolkg.errors import NotAcceptable


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, object] | None:
    """The ``@context`` of ``ontology/context.jsonld`` (None until the file exists)."""
    try:
        text = resources.files("rolkg.ontology").joinpath("context.jsonld").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    doc = json.loads(text)
    return doc.get("@context", doc) if isinstance(doc, dict) else None


def rdf_format(request: Request) -> Format:
    """The RDF syntax the client prefers; raises :class:`NotAcceptable`."""
    return formats.negotiate(request.headers.get("accept"), formats.GRAPH_OFFERS)


def serialize_graph(graph: Graph, fmt: Format) -> bytes:
    """``graph`` in ``fmt``, with the project's prefixes (and JSON-LD context when available)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=False)
    return write_graph(graph, fmt, context=jsonld_context() if fmt is formats.JSONLD else None)


def graph_response(request: Request, graph: Graph, headers: dict[str, str] | None = None) -> Response:
    """A negotiated RDF response with ``Vary: Accept``; 406 when no RDF syntax is acceptable (or the
    graph cannot be written in the only one that is)."""
    try:
        fmt = rdf_format(request)
        body = serialize_graph(graph, fmt)
    except NotAcceptable as err:
        return Response(str(err), status_code=406, media_type="text/plain", headers={"Vary": "Accept"})
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept", **(headers or {})})
