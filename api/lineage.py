"""Lineage: what a resource comes from (up) and what comes of it (down), as nodes and evidenced edges.

Up: what it continues, implements, addresses or was scaled from, and what produced it. Down: what
continues, implements, addresses or scales from it, what it produces, and the metrics that measure it.
Works from any resource kind (initiative, document, facility, pilot, shortcoming, metric).
"""

from __future__ import annotations

from typing import Annotated
from typing import Literal as Lit

from fastapi import APIRouter, Path, Query, Request
from rdflib import URIRef
from rdflib.term import Node
from rolkg.api.context import ctx
from rolkg.api.models import Lineage, LineageEdge, Problem, Ref
from rolkg.api.readers import best_label, iri_of, most_specific, ref, spans_of
from rolkg.graph.namespaces import ROL
from rolkg.graph.query import QueryLayer

router = APIRouter(prefix="/api", tags=["lineage"])
NOT_FOUND = {404: {"model": Problem, "description": "No such resource"}}
MAX_NODES = 500
Kind = Lit["initiative", "document", "facility", "shortcoming", "metric", "body", "recognition"]
Direction = Annotated[Lit["up", "down", "both"], Query(description="up, down or both")]
Depth = Annotated[int, Query(ge=1, le=10, description="Hops to follow")]


def lineage(layer: QueryLayer, root: URIRef, direction: str, depth: int) -> Lineage:
    """Breadth-first walk from ``root``, ``depth`` hops in ``direction``, at most ``MAX_NODES`` nodes.

    One query per hop for the whole frontier, then one each for the edges' reifications, their evidence
    and the nodes' labels: the cost grows with the hops, not with the nodes.
    """
    directions = ("up", "down") if direction == "both" else (direction,)
    edges: dict[tuple[str, str, str], LineageEdge] = {}
    nodes: dict[str, URIRef] = {str(root): root}
    for way in directions:
        seen = {str(root)}
        frontier: list[URIRef] = [root]
        for _hop in range(depth):
            if not frontier or len(nodes) >= MAX_NODES:
                break
            following: list[URIRef] = []
            rows = layer.select(f"read/lineage/{way}", nodes=frontier)
            # in one order whatever order the store answers in: nodes are listed as first reached
            for row in sorted(rows, key=lambda r: (str(r["source"]), str(r["relation"]), str(r["target"]))):
                nxt, relation = row["next"], str(row["relation"])[len(str(ROL)) :]
                key = (str(row["source"]), relation, str(row["target"]))
                if key not in edges:
                    edges[key] = LineageEdge(source=key[0], relation=relation, target=key[2])
                nodes.setdefault(str(nxt), nxt)  # type: ignore[arg-type]
                if str(nxt) not in seen:
                    seen.add(str(nxt))
                    following.append(nxt)  # type: ignore[arg-type]
            frontier = following
    _add_evidence(layer, edges)
    return Lineage(
        root=str(root),
        direction=direction,  # type: ignore[arg-type]
        depth=depth,
        nodes=_nodes(layer, list(nodes.values())),
        edges=sorted(edges.values(), key=lambda e: (e.source, e.relation, e.target)),
    )


def _add_evidence(layer: QueryLayer, edges: dict[tuple[str, str, str], LineageEdge]) -> None:
    """The evidence of each edge's reification (rol:LineageLink), in two queries for all edges."""
    sources = list(dict.fromkeys(URIRef(e.source) for e in edges.values()))
    links: dict[URIRef, LineageEdge] = {}
    for row in layer.select("read/lineage/links", sources=sources) if sources else []:
        key = (str(row["source"]), str(row["relation"])[len(str(ROL)) :], str(row["target"]))
        if key in edges:
            links[row["link"]] = edges[key]  # type: ignore[index]
    for link, found in spans_of(layer, list(links)).items():
        edge = links[link]  # type: ignore[index]
        known = {s.iri for s in edge.evidence}
        edge.evidence += [s for s in found if s.iri not in known]
    for edge in edges.values():
        edge.evidence.sort(key=lambda s: (s.start, s.end, s.iri))


def _nodes(layer: QueryLayer, iris: list[URIRef]) -> list[Ref]:
    """A ref per node (label: rdfs:label, else a metric's indicator), in one query."""
    labels: dict[Node, list[Node]] = {iri: [] for iri in iris}
    indicators: dict[Node, list[Node]] = {iri: [] for iri in iris}
    types: dict[Node, list[Node]] = {iri: [] for iri in iris}
    for row in layer.select("read/labels", nodes=iris):
        for key, table in (("label", labels), ("indicator", indicators), ("type", types)):
            if key in row:
                table[row["node"]].append(row[key])
    return [ref(iri, best_label(labels[iri] or indicators[iri]), most_specific(types[iri])) for iri in iris]


def _lineage_of(request: Request, kind: str, slug: str, direction: str, depth: int) -> Lineage:
    layer = ctx(request).layer
    iri = iri_of(kind, slug)
    if not layer.ask("exists", iri=iri):
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
