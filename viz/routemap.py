"""The connect view's search graph, compact: every network resource and theme, each link's cheapest relation
and each step's cost in flat arrays, read from the store once per store version.

The connect page used to search the whole graph as networkx holds it, with every resource's details: at 1M
quads 12.5 s to read, ~150 MB kept in the web process, and 2-3 s per search. This keeps what a search needs
(ids, labels and classes for the endpoint patterns; neighbours, costs, relations and components for the
paths) and the page reads the details of the few resources it draws from the store afterwards.

The costs are :mod:`rolkg.viz.pathrank`'s; the search is networkx's Dijkstra step for step (same pushes in
the same order, neighbours in IRI order), so :func:`rolkg.viz.pathrank.ranked_paths` over the same graph is
its reference, path for path.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import count

import networkx as nx
from rolkg.graph.classes import registry
from rolkg.graph.query import EVERY
from rolkg.viz.kg import CLASSES, DATA, kind_slug, local
from rolkg.viz.pathrank import DEFAULT_COST, RELATION_COST, hub_penalty, with_themes
from rolkg.viz.source import Selector, text
from rolkg.viz.subgraph import Q, node_class

INITIATIVE_CLASSES = set(registry().of_kind("initiative"))  # an "Initiative:" pattern picks these
_CLASS_PREFIX = re.compile(r"^(?P<cls>[A-Za-z]+):(?P<pattern>.*)$")

Node = tuple[str, str, str, str]  # iri, zh label, en label, class
Link = tuple[str, str, str]  # subject, relation, object


@dataclass(frozen=True, slots=True)
class RouteMap:
    """Resources by position (``iris`` sorted), their labels and classes, and for each position ``v`` its
    neighbours ``near[v]``, ``(position, cost of the step)`` in position order; the ``i``-th of them is
    entry ``start[v] + i`` of ``rel`` (the cheapest relation between the two, ``rels[rel[...]]``) and
    ``forward`` (whether it is stated from ``v``). Tuples, not arrays, for the neighbours: the search
    reads them twice as fast."""

    iris: tuple[str, ...]
    labels: tuple[str, ...]
    labels_en: tuple[str, ...]
    classes: tuple[str, ...]
    near: tuple[tuple[tuple[int, float], ...], ...]
    start: array
    rel: array
    forward: bytes
    rels: tuple[str, ...]
    component: array
    index: dict[str, int]

    def __len__(self) -> int:
        return len(self.iris)

    def label(self, iri: str) -> str:
        return self.labels[self.index[iri]]

    def cls(self, iri: str) -> str:
        return self.classes[self.index[iri]]

    def pick(self, spec: str) -> list[str]:
        """The resources a connect endpoint names, sorted.

        ``spec`` is a data IRI, ``kind/slug``, or ``[Class:]pattern`` where the pattern matches labels and
        ``…``/``*`` stand for any text (``Facility:合规…中心``). An empty pattern with a class picks the class.
        """
        spec = spec.strip()
        if not spec:
            return []
        if spec in self.index:
            return [spec]
        if re.fullmatch(r"[a-z]+/[a-z0-9-]+", spec) and DATA + spec in self.index:
            return [DATA + spec]
        cls = None
        m = _CLASS_PREFIX.match(spec)
        if m and m["cls"] in CLASSES:
            cls, spec = m["cls"], m["pattern"]
        parts = [re.escape(p) for p in re.split(r"…+|\*+|\.\.\.", spec)]
        rx = re.compile(".*".join(parts), re.IGNORECASE)
        wanted = None if cls is None else ({cls} | (INITIATIVE_CLASSES if cls == "Initiative" else set()))
        return [
            iri
            for iri, label, label_en, c in zip(
                self.iris, self.labels, self.labels_en, self.classes, strict=True
            )
            if (wanted is None or c in wanted) and (rx.search(label) or rx.search(label_en))
        ]

    def link(self, a: str, b: str) -> tuple[str, bool]:
        """The relation a step from ``a`` to ``b`` follows, and whether it is stated from ``a``."""
        v, u = self.index[a], self.index[b]
        for i, (w, _) in enumerate(self.near[v], self.start[v]):
            if w == u:
                return self.rels[self.rel[i]], bool(self.forward[i])
        raise KeyError((a, b))

    def search(
        self,
        source: str,
        ends: set[int] = frozenset(),  # type: ignore[assignment]
        best: list[float] | None = None,
        limit: int = 0,
    ) -> tuple[dict[int, float], list[int]]:
        """Dijkstra from ``source``: the cost of each position settled and the position each was reached
        from (-1: not reached); networkx's ``single_source_dijkstra`` step for step.

        With ``best`` (the negated costs of the cheapest paths to ``ends`` found so far, a max-heap kept at
        ``limit``), each end reached adds its cost, and once ``limit`` are known nothing dearer than the
        ``limit``-th is pushed or settled: every node within that bound is settled as in a whole search,
        by the same path (what is skipped could only have reached it dearer).
        """
        near, push, pop = self.near, heapq.heappush, heapq.heappop
        s = self.index[source]
        seen = [math.inf] * len(near)  # the cheapest cost pushed so far (once settled: its cost)
        before = [-1] * len(near)
        dist: dict[int, float] = {}
        tick = count()
        seen[s] = 0.0
        fringe = [(0.0, next(tick), s)]
        cutoff = _bound(best, limit)
        while fringe:
            d, _, v = pop(fringe)
            if d > seen[v]:  # a stale entry: v was pushed again, cheaper
                continue
            if d > cutoff:
                break
            dist[v] = d
            if best is not None and v in ends and v != s:
                push(best, -round(d, 6))
                if len(best) > limit:
                    pop(best)
                cutoff = _bound(best, limit)
            for u, c in near[v]:
                vu = d + c
                # a settled node fails the test too: its cost is at most vu (no step costs less than 0)
                if vu < seen[u] and vu <= cutoff:
                    seen[u] = vu
                    before[u] = v
                    push(fringe, (vu, next(tick), u))
        return dist, before

    def ranked(
        self, sources: list[str], targets: set[str], limit: int | None = None
    ) -> tuple[list[tuple[float, list[str]]], int]:
        """The cheapest path from each source to each target it reaches, cheapest first (ties: shorter, then
        by node ids), the ``limit`` first of them (and any found beside), and how many source-target pairs
        are connected at all (by component).

        The searches share a bound: the cost of the ``limit``-th cheapest path found so far (see
        :meth:`search`). A dearer path cannot be among the first, and the paths found are those of whole
        searches. At 1M quads, the default page's 60 × 38 endpoints settle 202,828 nodes in 0.28-0.31 s.
        """
        index, component = self.index, self.component
        ends = {index[t] for t in targets if t in index}
        pairs = sum(
            1
            for s in sources
            if s in index
            for t in ends
            if t != index[s] and component[t] == component[index[s]]
        )
        best: list[float] | None = [] if limit is not None else None
        found: list[tuple[float, list[str]]] = []
        for src in sources:
            if src not in index:
                continue
            dist, before = self.search(src, ends, best, limit or 0)
            s = index[src]
            for t in sorted(ends & dist.keys()):
                if t == s:
                    continue
                path = [t]
                while path[-1] != s:
                    path.append(before[path[-1]])
                found.append((round(dist[t], 6), [self.iris[p] for p in reversed(path)]))
        found.sort(key=lambda cp: (cp[0], len(cp[1]), cp[1]))
        return found, pairs


def _bound(best: list[float] | None, limit: int) -> float:
    """The cost past which a search need not go: the ``limit``-th cheapest so far, and a rounding's width
    (costs are compared rounded to 6 places, so a path equal to it once rounded is kept)."""
    return -best[0] + 1e-6 if best is not None and limit and len(best) >= limit else math.inf


def build(nodes: Iterable[Node], links: Iterable[Link]) -> RouteMap:
    """The route map of ``nodes`` and the ``links`` between two of them (others are ignored)."""
    attrs = {iri: (label, label_en, cls) for iri, label, label_en, cls in nodes}
    iris = tuple(sorted(attrs))
    index = {iri: i for i, iri in enumerate(iris)}
    # Per unordered pair, the cheapest relation (ties: by name, then stated from the lower position).
    best: dict[tuple[int, int], tuple[float, str, int, int]] = {}
    for s, rel, o in links:
        a, b = index.get(s), index.get(o)
        if a is None or b is None or a == b:
            continue
        key = (min(a, b), max(a, b))
        cand = (RELATION_COST.get(rel, DEFAULT_COST), rel, a, b)
        if key not in best or cand < best[key]:
            best[key] = cand
    neighbours: list[list[int]] = [[] for _ in iris]
    for a, b in best:
        neighbours[a].append(b)
        neighbours[b].append(a)
    rels = tuple(sorted({c[1] for c in best.values()}))
    rel_id = {r: i for i, r in enumerate(rels)}
    start, rel, forward = array("l", [0]), array("B"), bytearray()
    near: list[tuple[tuple[int, float], ...]] = []
    # one object per position and per distinct cost (a few hundred): 87k steps at 1M quads take 10 MB
    shared: dict[float, float] = {}
    positions = list(range(len(iris)))
    for v, adjacent in enumerate(neighbours):
        adjacent.sort()
        steps = []
        for u in adjacent:
            step_cost, name, s, _ = best[(min(u, v), max(u, v))]
            c = step_cost + hub_penalty(len(neighbours[u]))
            steps.append((positions[u], shared.setdefault(c, c)))
            rel.append(rel_id[name])
            forward.append(s == v)
        near.append(tuple(steps))
        start.append(len(rel))
    component = array("l", [-1] * len(iris))
    for root in range(len(iris)):
        if component[root] < 0:
            component[root], stack = root, [root]
            while stack:
                for u in neighbours[stack.pop()]:
                    if component[u] < 0:
                        component[u] = root
                        stack.append(u)
    return RouteMap(
        iris=iris,
        labels=tuple(attrs[i][0] for i in iris),
        labels_en=tuple(attrs[i][1] for i in iris),
        classes=tuple(attrs[i][2] for i in iris),
        near=tuple(near),
        start=start,
        rel=rel,
        forward=bytes(forward),
        rels=rels,
        component=component,
        index=index,
    )


def from_graph(g: nx.MultiDiGraph) -> RouteMap:
    """The route map of a graph as :func:`rolkg.viz.kg.load_graph` gives it, its themes made nodes
    (:func:`rolkg.viz.pathrank.with_themes`)."""
    themed = with_themes(g)
    nodes = [
        (n, a.get("label", ""), a.get("label_en", ""), a.get("cls", "")) for n, a in themed.nodes(data=True)
    ]
    return build(nodes, [(s, rel, o) for s, o, rel in themed.edges(data="rel", default="")])


def read(sel: Selector) -> RouteMap:
    """The route map of the whole store (``read/network/nodes`` over everything, ``route-themes``,
    ``route-theme-labels`` and ``route-links``): the one :func:`from_graph` makes of
    :func:`rolkg.viz.kg.load_graph`'s graph, without reading its details (at 1M quads 3.9-4.6 s and 14 MB
    kept, against 12.5 s and about 150 MB for that graph)."""
    found: dict[str, tuple[str, str, set[str]]] = {}
    for r in sel.select(Q + "nodes", nodes=EVERY):
        iri = text(r, "node")
        label, label_en, classes = found.get(iri, ("", "", set()))
        classes.add(local(text(r, "cls")))
        found[iri] = (label or text(r, "label"), label_en or text(r, "labelEn"), classes)
    nodes: dict[str, Node] = {}
    for iri, (label, label_en, classes) in found.items():
        cls = node_class(classes)
        if cls and cls != "FocusArea":  # areas are drawn in the overview only
            nodes[iri] = (iri, label or label_en or kind_slug(iri)[1], label_en, cls)
    labels = {
        text(r, "theme"): (text(r, "themeLabel", local(text(r, "theme"))), text(r, "themeLabelEn"))
        for r in sel.select(Q + "route-theme-labels")
    }
    links: list[Link] = []
    for r in sel.select(Q + "route-themes"):
        node, theme = text(r, "node"), text(r, "theme")
        if node in nodes:
            nodes.setdefault(theme, (theme, *labels.get(theme, (local(theme), "")), "Theme"))
            links.append((node, "theme", theme))
    for r in sel.select(Q + "route-links"):
        links.append((text(r, "s"), local(text(r, "p")), text(r, "o")))
    return build(nodes.values(), links)
