"""The four network views as networkx subgraphs: overview, neighbourhood, lineage and connections."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
from rolkg.graph.classes import registry
from rolkg.viz.kg import CLASSES, DATA, LINEAGE
from rolkg.viz.pathrank import ranked_paths, with_themes

DEFAULT_LIMIT = 300  # more nodes than a person can read at once; the page offers "show more"
MAX_ENDPOINTS = 60  # connect view: endpoints tried per side
MAX_PATHS = 12
INITIATIVE_CLASSES = set(registry().of_kind("initiative"))


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


def simple(g: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple projection, for centrality, communities and paths."""
    return nx.Graph(g.to_undirected(as_view=True))


def rank(g: nx.MultiDiGraph) -> dict[str, float]:
    """PageRank over the undirected graph (uniform when the graph has no edges)."""
    if g.number_of_nodes() == 0:
        return {}
    if g.number_of_edges() == 0:
        return dict.fromkeys(g, 1.0 / g.number_of_nodes())
    return nx.pagerank(simple(g), max_iter=200, tol=1e-6)


def _matches(node: dict, classes: set[str] | None, report: str | None) -> bool:
    return (classes is None or node.get("cls") in classes) and (report is None or report in node["reports"])


def overview(
    g: nx.MultiDiGraph,
    *,
    classes: Iterable[str] | None = None,
    theme: str | None = None,
    body: str | None = None,
    report: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> View:
    """The whole graph, filtered; capped at ``limit`` nodes, keeping the most central ones.

    A theme or body filter keeps the initiatives with that theme or body and what they link to.
    """
    wanted = {c for c in classes if c in CLASSES} if classes else None
    keep = {n for n, a in g.nodes(data=True) if _matches(a, wanted, report)}
    if theme or body:
        seeds = {
            n
            for n, a in g.nodes(data=True)
            if (not theme or any(t["iri"] == theme for t in a["themes"]))
            and (not body or g.has_edge(n, body))
        }
        around = set(seeds)
        for n in seeds:
            around.update(g.successors(n))
            around.update(g.predecessors(n))
        keep &= around
    sub = g.subgraph(keep)
    scores = rank(sub)
    chosen = sorted(keep, key=lambda n: (-scores.get(n, 0.0), n))[: max(limit, 1)]
    return View(graph=g.subgraph(chosen).copy(), title="overview", total=len(keep))


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


_CLASS_PREFIX = re.compile(r"^(?P<cls>[A-Za-z]+):(?P<pattern>.*)$")


def pick(g: nx.MultiDiGraph, spec: str) -> list[str]:
    """The nodes a connect endpoint names.

    ``spec`` is a data IRI, ``kind/slug``, or ``[Class:]pattern`` where the pattern matches labels and
    ``…``/``*`` stand for any text (``Facility:合规…中心``). An empty pattern with a class picks the class.
    """
    spec = spec.strip()
    if not spec:
        return []
    if spec in g:
        return [spec]
    if re.fullmatch(r"[a-z]+/[a-z0-9-]+", spec) and DATA + spec in g:
        return [DATA + spec]
    cls = None
    m = _CLASS_PREFIX.match(spec)
    if m and m["cls"] in CLASSES:
        cls, spec = m["cls"], m["pattern"]
    parts = [re.escape(p) for p in re.split(r"…+|\*+|\.\.\.", spec)]
    rx = re.compile(".*".join(parts), re.IGNORECASE)
    found = [
        n
        for n, a in g.nodes(data=True)
        if (
            cls is None or a.get("cls") == cls or (cls == "Initiative" and a.get("cls") in INITIATIVE_CLASSES)
        )
        and (rx.search(a.get("label", "")) or rx.search(a.get("label_en", "")))
    ]
    return sorted(found)


def connect(g: nx.MultiDiGraph, sources: list[str], targets: list[str]) -> View:
    """The best paths between any source and any target (at most ``MAX_PATHS``), ranked by what they pass
    through: lineage and shared documents above hubs such as the issuing bureau (see ``pathrank``)."""
    targets_set = set(targets[:MAX_ENDPOINTS])
    g = with_themes(g)  # the view's graph: themes become nodes a path may pass through
    found = [path for _, path in ranked_paths(g, sources[:MAX_ENDPOINTS], targets_set)]
    paths = found[:MAX_PATHS]
    members = {n for p in paths for n in p} | set(sources[:MAX_ENDPOINTS]) | targets_set
    view = g.subgraph(members).copy()
    on_path = {(a, b) for p in paths for a, b in itertools.pairwise(p)}
    # Only the edges the paths use: other edges among the endpoints would suggest connections not asked for.
    for a, b, k in list(view.edges(keys=True)):
        if (a, b) not in on_path and (b, a) not in on_path:
            view.remove_edge(a, b, key=k)
    return View(graph=view, title="connect", total=len(found), paths=paths)


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
