"""The four network views as networkx subgraphs: overview, neighbourhood, lineage and connections, and the
layouts of the large ones (computed from the view's own structure, never over the whole graph)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx
from rolkg.viz.kg import LINEAGE
from rolkg.viz.pathrank import with_themes
from rolkg.viz.routemap import INITIATIVE_CLASSES, RouteMap

DEFAULT_LIMIT = 300  # more nodes than a person can read at once; the page offers "show more"
MAX_ENDPOINTS = 60  # connect view: endpoints tried per side
MAX_PATHS = 12


@dataclass
class View:
    """A subgraph to draw, what was left out, and for the connect view the paths found."""

    graph: nx.MultiDiGraph
    title: str
    total: int  # nodes matching before the cap
    focus: str | None = None
    hierarchical: bool = False
    paths: list[list[str]] = field(default_factory=list)
    note: str = ""
    grouped: bool = False  # the overview: groups under anchors, hubs above


def simple(g: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple projection, for hops and paths."""
    return nx.Graph(g.to_undirected(as_view=True))


ANCHORS = {"FocusArea", "Report"}  # a group's labelled anchor in the overview
HUB_GROUPS = 2  # a context node linked into this many groups is a hub: drawn once, above the groups
CELL_W, CELL_H, ROWS_PER_COLUMN, ROW_WIDTH = 250.0, 56.0, 8, 2600.0


def overview(g: nx.MultiDiGraph, total: int) -> View:
    """The overview of a subgraph read by :func:`rolkg.viz.subgraph.overview_graph`: measures grouped
    under their focus area, context (bodies, documents, facilities) beside them or, for hubs, above."""
    return View(graph=g, title="overview", total=total, grouped=True)


def groups_of(g: nx.MultiDiGraph) -> tuple[dict[str, list[str]], list[str]]:
    """Each group anchor's members (its measures and the context only they link to), and the hubs."""
    groups: dict[str, list[str]] = {n: [] for n, a in g.nodes(data=True) if a.get("cls") in ANCHORS}
    for n, a in g.nodes(data=True):
        if a.get("group") in groups:
            groups[a["group"]].append(n)
    hubs: list[str] = []
    for n, a in g.nodes(data=True):
        if n in groups or a.get("group") in groups:
            continue
        linked = {g.nodes[m].get("group") for m in itertools.chain(g.successors(n), g.predecessors(n))}
        linked.discard(None)
        if len(linked) >= HUB_GROUPS or not linked:
            hubs.append(n)
        else:
            groups[next(iter(linked))].append(n)
    for members in groups.values():
        members.sort(key=lambda m: (g.nodes[m].get("cls") not in INITIATIVE_CLASSES, m))
    hubs.sort(key=lambda n: (-g.degree(n), n))
    return groups, hubs


def grouped_layout(g: nx.MultiDiGraph) -> tuple[dict[str, tuple[float, float]], dict[str, str], set[str]]:
    """Positions for a grouped view (no physics, no networkx layout): hubs in a row on top; each group a
    block of columns under its anchor; blocks packed in rows. Also each node's group and the hubs."""
    groups, hubs = groups_of(g)
    pos: dict[str, tuple[float, float]] = {}
    for i, n in enumerate(hubs):
        pos[n] = (i * CELL_W * 1.2, 0.0)
    x, y, row_h = 0.0, CELL_H * 3, 0.0
    member_of: dict[str, str] = {}
    for anchor, members in groups.items():
        cols = max(1, math.ceil(len(members) / ROWS_PER_COLUMN))
        width, height = cols * CELL_W, (min(len(members), ROWS_PER_COLUMN) + 1.5) * CELL_H
        if x > 0 and x + width > ROW_WIDTH:
            x, y, row_h = 0.0, y + row_h + CELL_H, 0.0
        pos[anchor] = (x + (width - CELL_W) / 2, y)
        member_of[anchor] = anchor
        for k, m in enumerate(members):
            pos[m] = (x + (k // ROWS_PER_COLUMN) * CELL_W, y + (1.2 + k % ROWS_PER_COLUMN) * CELL_H)
            member_of[m] = anchor
        x += width + CELL_W * 0.4
        row_h = max(row_h, height)
    return pos, member_of, set(hubs)


def rings(g: nx.MultiDiGraph, focus: str | None) -> dict[str, tuple[float, float]]:
    """Positions on rings around ``focus`` by hop (the ``hop`` attribute), for large neighbourhoods."""
    by_hop: dict[int, list[str]] = {}
    for n, a in g.nodes(data=True):
        by_hop.setdefault(0 if n == focus else int(a.get("hop", 1)) or 1, []).append(n)
    pos: dict[str, tuple[float, float]] = {}
    radius = 0.0
    for hop in sorted(by_hop):
        members = sorted(by_hop[hop], key=lambda n: (g.nodes[n].get("cls", ""), n))
        if hop == 0 and len(members) == 1:
            pos[members[0]] = (0.0, 0.0)
            continue
        # rings as wide as their members' labels need, one after another
        per_ring = max(12, int(2 * math.pi * (radius + 300) / 110))
        for start in range(0, len(members), per_ring):
            radius += 300 if radius == 0 else 170
            ring = members[start : start + per_ring]
            for k, n in enumerate(ring):
                angle = 2 * math.pi * k / len(ring)
                pos[n] = (radius * math.cos(angle), radius * math.sin(angle))
    return pos


def neighbourhood(g: nx.MultiDiGraph, iri: str, depth: int = 1, limit: int = DEFAULT_LIMIT) -> View:
    """Everything within ``depth`` hops of ``iri`` (edges in either direction)."""
    if iri not in g:
        raise KeyError(iri)
    depth = max(0, min(depth, 4))
    hops = nx.single_source_shortest_path_length(simple(g), iri, cutoff=depth)
    chosen = sorted(hops, key=lambda n: (hops[n], n))[: max(limit, 1)]
    return View(graph=g.subgraph(chosen).copy(), title="entity", total=len(hops), focus=iri)


def flow(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Lineage as upstream → downstream edges, each labelled with the relation it came from.

    ``X continues Y`` puts Y upstream of X; ``X produces Y`` puts X upstream of Y (see DESIGN.md).
    """
    f = nx.MultiDiGraph()
    f.add_nodes_from(g.nodes(data=True))
    for s, o, attrs in g.edges(data=True):
        rel = attrs.get("rel")
        if rel == "produces":
            f.add_edge(s, o, key=rel, **attrs)
        elif rel in LINEAGE:
            f.add_edge(o, s, key=rel, **attrs)  # the evidence quote travels with the edge
    return f


def lineage(g: nx.MultiDiGraph, iri: str) -> View:
    """The resource, all it descends from (upstream, left) and all that descends from it (right).

    Figures that measure a resource in the lineage are shown as downstream leaves.
    """
    if iri not in g:
        raise KeyError(iri)
    f = flow(g)
    members = {iri} | nx.ancestors(f, iri) | nx.descendants(f, iri)
    view = f.subgraph(members).copy()
    for n in list(view.nodes):
        for m in g.nodes[n]["metrics"]:
            mid = m["iri"]
            label = f"{m['indicator']} {m['value']}{m['unit']}".strip()
            view.add_node(
                mid, label=label, label_en="", cls="Metric", kind="metric", slug=mid.rsplit("/", 1)[-1]
            )
            view.nodes[mid].update(reports=[], themes=[], metrics=[], facts={"quote": m["quote"]})
            view.add_edge(n, mid, key="measures", rel="measures")
    return View(graph=view, title="lineage", total=view.number_of_nodes(), focus=iri, hierarchical=True)


Draw = Callable[[list[str], list[tuple[str, str, str]]], nx.MultiDiGraph]


def connect(routes: RouteMap, sources: list[str], targets: list[str], draw: Draw) -> View:
    """The best paths between any source and any target (at most ``MAX_PATHS``), ranked by what they pass
    through: lineage and shared documents above hubs such as the issuing bureau (see ``pathrank``).

    ``draw(members, links)`` gives the resources of the paths with what the page shows about each, and
    only the links the paths use (others among the endpoints would suggest connections not asked for).
    """
    targets_set = set(targets[:MAX_ENDPOINTS])
    ranked, pairs = routes.ranked(sources[:MAX_ENDPOINTS], targets_set, MAX_PATHS)
    paths = [path for _, path in ranked[:MAX_PATHS]]
    members = {n for p in paths for n in p} | set(sources[:MAX_ENDPOINTS]) | targets_set
    links = {}
    for p in paths:
        for a, b in itertools.pairwise(p):
            rel, forward = routes.link(a, b)
            links[(a, b) if forward else (b, a)] = rel
    view = draw(sorted(members), [(s, rel, o) for (s, o), rel in sorted(links.items())])
    return View(graph=view, title="connect", total=pairs, paths=paths)


@dataclass(frozen=True)
class Connection:
    """What the connect page shows: how many resources each side's pattern picked, and the view."""

    sources: int
    targets: int
    view: View


def connection(routes: RouteMap, draw: Draw, start: str, end: str) -> Connection:
    """The connect view between the resources the endpoint patterns ``start`` and ``end`` pick
    (:meth:`RouteMap.pick`)."""
    sources, targets = routes.pick(start), routes.pick(end)
    return Connection(len(sources), len(targets), connect(routes, sources, targets, draw))


def drawn_from(g: nx.MultiDiGraph) -> Draw:
    """The ``draw`` of :func:`connect` over a graph held whole (its themes made nodes)."""
    themed = with_themes(g)

    def draw(members: list[str], links: list[tuple[str, str, str]]) -> nx.MultiDiGraph:
        view = nx.MultiDiGraph()
        view.add_nodes_from((n, themed.nodes[n]) for n in members if n in themed)
        for s, rel, o in links:
            data = (themed.get_edge_data(s, o) or {}).get(rel, {"rel": rel})
            view.add_edge(s, o, key=rel, **data)
        return view

    return draw


def path_steps(g: nx.MultiDiGraph, path: list[str]) -> list[dict[str, str]]:
    """A path as words: each step's relation and its direction as stored."""
    steps = []
    for a, b in itertools.pairwise(path):
        if g.has_edge(a, b):
            rel, forward = next(iter(g.get_edge_data(a, b).values()))["rel"], True
        else:
            rel, forward = next(iter(g.get_edge_data(b, a).values()))["rel"], False
        steps.append({"from": a, "to": b, "rel": rel, "dir": "→" if forward else "←"})
    return steps
