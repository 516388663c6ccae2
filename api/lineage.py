"""Lineage: what a resource comes from (up) and what comes of it (down), as nodes and evidenced edges.

Up: what it continues, implements, addresses or was scaled from, and what produced it. Down: what
continues, implements, addresses or scales from it, what it produces, and the metrics that measure it.
Works from any resource kind (initiative, document, facility, pilot, shortcoming, metric).
"""

from __future__ import annotations

from collections import deque
from typing import Annotated
from typing import Literal as Lit

from fastapi import APIRouter, Path, Query, Request
from rdflib import URIRef
from rolkg.api.context import ctx
from rolkg.api.models import Lineage, LineageEdge, Problem, Ref
from rolkg.api.readers import Neighbours, best_label, iri_of, most_specific, ref, spans
from rolkg.graph.namespaces import RDFS, ROL
from rolkg.graph.query import QueryLayer

router = APIRouter(prefix="/api", tags=["lineage"])
NOT_FOUND = {404: {"model": Problem, "description": "No such resource"}}
MAX_NODES = 500
Kind = Lit["initiative", "document", "facility", "shortcoming", "metric", "body", "recognition"]
Direction = Annotated[Lit["up", "down", "both"], Query(description="up, down or both")]
Depth = Annotated[int, Query(ge=1, le=10, description="Hops to follow")]


def lineage(layer: QueryLayer, root: URIRef, direction: str, depth: int) -> Lineage:
    """Breadth-first walk from ``root``, ``depth`` hops in ``direction``, at most ``MAX_NODES`` nodes."""
    directions = ("up", "down") if direction == "both" else (direction,)
    edges: dict[tuple[str, str, str], LineageEdge] = {}
    nodes: dict[str, URIRef] = {str(root): root}
    for way in directions:
        seen = {str(root)}
        frontier: deque[tuple[URIRef, int]] = deque([(root, 0)])
        while frontier and len(nodes) < MAX_NODES:
            node, hops = frontier.popleft()
            if hops >= depth:
                continue
            for row in layer.select(f"api-lineage-{way}", node=node):
                nxt, relation = row["next"], str(row["relation"])[len(str(ROL)) :]
                key = (str(row["source"]), relation, str(row["target"]))
                edge = edges.get(key)
                if edge is None:
                    edge = edges[key] = LineageEdge(source=key[0], relation=relation, target=key[2])
                if "link" in row:
                    known = {s.iri for s in edge.evidence}
                    edge.evidence += [s for s in spans(layer, row["link"]) if s.iri not in known]  # type: ignore[arg-type]
                nodes.setdefault(str(nxt), nxt)  # type: ignore[arg-type]
                if str(nxt) not in seen:
                    seen.add(str(nxt))
                    frontier.append((nxt, hops + 1))  # type: ignore[arg-type]
    return Lineage(
        root=str(root),
        direction=direction,  # type: ignore[arg-type]
        depth=depth,
        nodes=[_node(layer, iri) for iri in nodes.values()],
        edges=sorted(edges.values(), key=lambda e: (e.source, e.relation, e.target)),
    )


def _node(layer: QueryLayer, iri: URIRef) -> Ref:
    n = Neighbours(layer, iri)
    labels = n.values(RDFS.label) or n.values(ROL.indicator)
    return ref(iri, best_label(labels), most_specific(n.types()))


def _lineage_of(request: Request, kind: str, slug: str, direction: str, depth: int) -> Lineage:
    layer = ctx(request).layer
    iri = iri_of(kind, slug)
    if not Neighbours(layer, iri).exists:
        from fastapi import HTTPException

        raise HTTPException(404, f"no {kind} with id {slug!r}")
    return lineage(layer, iri, direction, depth)


@router.get("/lineage/{kind}/{id}", response_model=Lineage, responses=NOT_FOUND)
def lineage_any(
    request: Request,
    kind: Annotated[Kind, Path(description="IRI kind")],
    id: str,
    direction: Direction = "both",
    depth: Depth = 3,
) -> Lineage:
    """Lineage of any resource, by IRI kind and id."""
    return _lineage_of(request, kind, id, direction, depth)


@router.get("/initiatives/{id}/lineage", response_model=Lineage, responses=NOT_FOUND)
def initiative_lineage(request: Request, id: str, direction: Direction = "both", depth: Depth = 3) -> Lineage:
    """Lineage of an initiative (planned initiatives and pilots too)."""
    return _lineage_of(request, "initiative", id, direction, depth)


@router.get("/documents/{id}/lineage", response_model=Lineage, responses=NOT_FOUND)
def document_lineage(request: Request, id: str, direction: Direction = "both", depth: Depth = 3) -> Lineage:
    """Lineage of a document: the initiative that produced it, those that implement it."""
    return _lineage_of(request, "document", id, direction, depth)


@router.get("/facilities/{id}/lineage", response_model=Lineage, responses=NOT_FOUND)
def facility_lineage(request: Request, id: str, direction: Direction = "both", depth: Depth = 3) -> Lineage:
    """Lineage of a facility."""
    return _lineage_of(request, "facility", id, direction, depth)
