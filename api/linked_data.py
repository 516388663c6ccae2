"""Linked data: ``/id/{kind}/{slug}`` dereferences, ``/ontology``, ``/context.jsonld`` and ``/dumps``.

``settings.base_iri`` is where this deployment is served; the data keeps ``https://w3id.org/rolkg/``
IRIs, so a request path maps onto the data IRI and not onto the request's host.
"""

from __future__ import annotations

import html
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from rdflib import Graph
from rolkg.api.context import ctx, public_base
from rolkg.api.dumps import stream_dump
from rolkg.api.rdf_response import graph_response, jsonld_context, rdf_format, serialize_graph
from rolkg.api.readers import iri_of
from rolkg.graph import formats
from rolkg.graph.formats import negotiate_media
from rolkg.graph.namespaces import ID

from rolkg.errors import NotAcceptable

router = APIRouter(tags=["linked data"])
KindPath = Annotated[str, Path(pattern=r"^[a-z]+$", max_length=30)]
_RDF_OFFERS = (*(f.media_type for f in formats.GRAPH_OFFERS), "text/html")


_BY_EXTENSION = {f.extension: f for f in formats.GRAPH_OFFERS}


def _alternates(url: str) -> str:
    """Link header: the same resource in each RDF syntax, at ``{url}.{ext}``."""
    return ", ".join(
        f'<{url}.{ext}>; rel="alternate"; type="{media}"'
        for ext, media in ((f.extension, f.media_type) for f in formats.GRAPH_OFFERS)
    )


def _fallback_entity_page(iri: str, graph: Graph) -> Response:
    rows = "".join(
        f"<tr><td>{html.escape(str(p))}</td><td>{html.escape(str(o))}</td></tr>"
        for s, p, o in sorted(graph)
        if str(s) == iri
    )
    body = (
        f'<!doctype html><html lang="zh"><meta charset="utf-8"><title>{html.escape(iri)}</title>'
        f"<h1>{html.escape(iri)}</h1><table>{rows}</table></html>"
    )
    return Response(body, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


@router.get(
    "/id/{kind}/{slug}",
    summary="Dereference a rolkg IRI (Turtle, JSON-LD, N-Triples, RDF/XML or HTML by Accept)",
    responses={404: {"description": "No such resource"}, 406: {"description": "No acceptable format"}},
)
async def entity(request: Request, kind: KindPath, slug: str) -> Response:
    slug, _, ext = slug.partition(".")
    fmt = _BY_EXTENSION.get(ext) if ext else None
    if ext and fmt is None:
        raise HTTPException(404, f"unknown format .{ext}: use one of {', '.join(sorted(_BY_EXTENSION))}")
    iri = iri_of(kind, slug)
    graph = await run_in_threadpool(ctx(request).layer.construct, "describe", iri=iri)
    accept = request.headers.get("accept")
    browser = fmt is None and "text/html" in (accept or "")
    if not len(graph):
        hook = getattr(request.app.state, "entity_html", None)
        if browser and hook is not None:
            return hook(request)  # the pages' own "not found" page, status 404
        raise HTTPException(404, f"nothing is known about <{iri}>")
    if fmt is not None:  # /id/kind/slug.ttl etc.: the format the extension names, whatever Accept says
        try:
            return Response(serialize_graph(graph, fmt), media_type=fmt.content_type)
        except NotAcceptable as err:  # RDF/XML without a QName for a predicate
            return Response(str(err), status_code=406, media_type="text/plain")
    try:
        wanted = negotiate_media(accept, _RDF_OFFERS)
    except NotAcceptable as err:
        return Response(str(err), status_code=406, media_type="text/plain", headers={"Vary": "Accept"})
    # The configured public base, never the request's Host header (which a client can set to anything).
    public = public_base(request).rstrip("/") + request.url.path
    headers = {"Link": _alternates(public), "Vary": "Accept"}
    if wanted == "text/html" and browser:
        hook = getattr(request.app.state, "entity_html", None)
        response = hook(request) if hook is not None else _fallback_entity_page(str(iri), graph)
        response.headers["Link"] = headers["Link"]
        return response
    return graph_response(request, graph, headers)


def _ontology_graph() -> Graph:
    text = resources.files("rolkg.ontology").joinpath("rolkg.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


@router.get("/ontology", summary="The rolkg OWL ontology (Turtle by default)", responses={406: {}})
async def ontology(request: Request) -> Response:
    try:
        fmt = rdf_format(request)
    except NotAcceptable as err:
        return Response(str(err), status_code=406, media_type="text/plain")
    if fmt is formats.TURTLE:  # serve the file as written, comments and all
        text = resources.files("rolkg.ontology").joinpath("rolkg.ttl").read_bytes()
        return Response(text, media_type="text/turtle", headers={"Vary": "Accept"})
    graph = await run_in_threadpool(_ontology_graph)
    return graph_response(request, graph)


@router.get("/context.jsonld", summary="The JSON-LD context of rolkg's JSON-LD answers")
def context() -> Response:
    doc = jsonld_context()
    if doc is None:
        raise HTTPException(404, "the JSON-LD context is not installed (ontology/context.jsonld)")
    return JSONResponse({"@context": doc}, media_type="application/ld+json")


@router.get("/dumps/rolkg.trig", summary="The whole dataset as TriG", response_class=Response)
def dump_trig(request: Request) -> Response:
    return stream_dump(ctx(request).backend, "trig", formats.TRIG.content_type)


@router.get("/dumps/rolkg.nq", summary="The whole dataset as N-Quads", response_class=Response)
def dump_nquads(request: Request) -> Response:
    return stream_dump(ctx(request).backend, "nquads", formats.NQUADS.content_type)


__all__ = ["ID", "router"]
