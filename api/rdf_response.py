"""RDF graphs as HTTP responses in the negotiated syntax (Turtle, N-Triples, JSON-LD, RDF/XML)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from fastapi import Request, Response
from rdflib import Graph
from rolkg.api.sparql.negotiation import GRAPH_CANONICAL, GRAPH_TYPES, NotAcceptable, negotiate
from rolkg.graph.namespaces import PREFIXES

_RDFLIB = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
EXTENSIONS = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
}


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, object] | None:
    """The ``@context`` of ``ontology/context.jsonld`` (None until the file exists)."""
    try:
        text = resources.files("rolkg.ontology").joinpath("context.jsonld").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    doc = json.loads(text)
    return doc.get("@context", doc) if isinstance(doc, dict) else None


def rdf_media(request: Request) -> str:
    """The RDF media type the client prefers; raises :class:`NotAcceptable`."""
    return GRAPH_CANONICAL.get(m := negotiate(request.headers.get("accept"), GRAPH_TYPES), m)


def serialize_graph(graph: Graph, media: str) -> bytes:
    """``graph`` in ``media``, with the project's prefixes (and JSON-LD context when available)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=False)
    fmt = _RDFLIB[media]
    if fmt == "json-ld" and (context := jsonld_context()) is not None:
        return graph.serialize(format=fmt, context=context, encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")


def graph_response(request: Request, graph: Graph, headers: dict[str, str] | None = None) -> Response:
    """A negotiated RDF response with ``Vary: Accept``; 406 when no RDF syntax is acceptable."""
    try:
        media = rdf_media(request)
    except NotAcceptable as err:
        return Response(str(err), status_code=406, media_type="text/plain", headers={"Vary": "Accept"})
    return Response(
        serialize_graph(graph, media),
        media_type=media,
        headers={"Vary": "Accept", **(headers or {})},
    )
