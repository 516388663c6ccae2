"""Rank connect paths by what they pass through, not by length alone.

A path through the bureau that leads everything (A is led by 慈溪市司法局, which also leads B) says little;
a path through a shared document, facility, pilot or a lineage link says how two measures are related.
Themes are added as nodes (a measure —theme→ 法律援助), so two measures of one field connect through it.
Each step costs by its relation (lineage and production cheap, leadership and membership dear) plus a
hub penalty for the node it enters (log2 of its degree), and the cheapest path per endpoint pair wins.
"""

from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass

import networkx as nx

# Relations that say how two measures are related in substance are cheap; relations every measure of a
# report shares with its issuer are dear.
RELATION_COST: dict[str, float] = {
    "continues": 0.5,
    "addresses": 0.5,
    "implements": 0.6,
    "produces": 0.6,
    "scaledFrom": 0.6,
    "measures": 0.8,
    "recognizes": 1.0,
    "theme": 1.0,
    "partOf": 1.5,
    "creator": 2.0,
    "partnerBody": 2.5,
    "leadBody": 2.5,
    "subOrganizationOf": 2.5,
}
DEFAULT_COST = 1.5
_SENTENCE = re.compile(r"[^。;;!?!?]+[。;;!?!?]?")


def with_themes(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` with a node per theme its resources carry and a ``theme`` edge to each."""
    out = g.copy()
    for node, attrs in g.nodes(data=True):
        for theme in attrs.get("themes", []):
            iri = theme["iri"]
            if iri not in out:
                out.add_node(
                    iri,
                    label=theme.get("label", ""),
                    label_en=theme.get("label_en", ""),
                    cls="Theme",
                    kind="theme",
                    slug=iri.rsplit("/", 1)[-1],
                    reports=[],
                    themes=[],
                    metrics=[],
                    facts={},
                )
            out.add_edge(node, iri, key="theme", rel="theme")
    return out


def hub_penalty(degree: int) -> float:
    """What passing a node of ``degree`` neighbours costs: nothing for a leaf, log2(degree) for a hub."""
    return math.log2(max(degree, 1))


def step_cost(g: nx.MultiDiGraph, a: str, b: str) -> float:
    """The cheapest relation between ``a`` and ``b`` (either direction)."""
    rels = [d.get("rel", "") for d in (g.get_edge_data(a, b) or {}).values()]
    rels += [d.get("rel", "") for d in (g.get_edge_data(b, a) or {}).values()]
    return min((RELATION_COST.get(r, DEFAULT_COST) for r in rels), default=DEFAULT_COST)


def ranked_paths(g: nx.MultiDiGraph, sources: list[str], targets: set[str]) -> list[tuple[float, list[str]]]:
    """The cheapest path from each source to each reachable target, cheapest first (ties: shorter, then
    by node ids, so the order is stable)."""
    return _ranked(_steps(g), sources, targets)


@dataclass(frozen=True)
class Routes:
    """What the connect view searches: ``graph`` (the graph with its themes as nodes, :func:`with_themes`)
    and ``steps``, each direction of each of its links weighted by what the step costs."""

    graph: nx.MultiDiGraph
    steps: nx.DiGraph

    def ranked(
        self, sources: list[str], targets: set[str], limit: int
    ) -> tuple[list[tuple[float, list[str]]], int]:
        """The ``limit`` first of :func:`ranked_paths` over :attr:`graph` (and any tied with the last), and
        how many source-target pairs are connected at all.

        Each search stops at the cost of the ``limit``-th cheapest path found so far: a dearer path cannot
        be among the first, and the paths it does find are those of a whole search (Dijkstra settles
        every node within the bound in the same order). The pairs are counted by connected component.
        """
        component = {
            n: i for i, nodes in enumerate(nx.weakly_connected_components(self.steps)) for n in nodes
        }
        pairs = sum(
            1
            for src in sources
            if src in component
            for t in targets
            if t != src and component.get(t) == component[src]
        )
        best: list[float] = []  # the costs of the cheapest ``limit`` paths so far, negated (a max-heap)
        found: list[tuple[float, list[str]]] = []
        for src in sources:
            if src not in self.steps:
                continue
            bound = -best[0] if len(best) >= limit else None
            costs, paths = nx.single_source_dijkstra(self.steps, src, cutoff=bound, weight="cost")
            for t, path in paths.items():
                if t in targets and t != src:
                    cost = round(costs[t], 6)
                    found.append((cost, path))
                    heapq.heappush(best, -cost)
                    if len(best) > limit:
                        heapq.heappop(best)
        found.sort(key=lambda cp: (cp[0], len(cp[1]), cp[1]))
        return found, pairs


def routes(g: nx.MultiDiGraph) -> Routes:
    """The :class:`Routes` of ``g``: its themes made nodes and each step's cost computed once for the whole
    search (the costs were looked up in the multigraph for every step of every search: 27-41 s of the
    connect page at 1M quads, now about 3 s). Not kept: at 1M they hold 47 MB beside the 150 MB whole
    graph they come from."""
    themed = with_themes(g)
    return Routes(themed, _steps(themed))


def _steps(g: nx.MultiDiGraph) -> nx.DiGraph:
    """Each direction of each link of ``g`` once, with its ``cost``: the cheapest relation between the two,
    plus the hub penalty of the node it enters (endpoints pay theirs too, equally for every path of a
    pair). Neighbours keep the undirected graph's order, so equal-cost paths are chosen as before."""
    u = nx.Graph(g.to_undirected(as_view=True))
    degree = dict(u.degree())
    steps = nx.DiGraph()
    steps.add_nodes_from(u)
    for a, neighbours in u.adjacency():
        for b in neighbours:
            steps.add_edge(a, b, cost=step_cost(g, a, b) + hub_penalty(degree.get(b, 1)))
    return steps


def _ranked(steps: nx.DiGraph, sources: list[str], targets: set[str]) -> list[tuple[float, list[str]]]:
    found: list[tuple[float, list[str]]] = []
    for s in sources:
        if s not in steps:
            continue
        costs, paths = nx.single_source_dijkstra(steps, s, weight="cost")
        for t, path in paths.items():
            if t in targets and t != s:
                found.append((round(costs[t], 6), path))
    found.sort(key=lambda cp: (cp[0], len(cp[1]), cp[1]))
    return found


def step_evidence(g: nx.MultiDiGraph, subject: str, obj: str, limit: int = 160) -> str:
    """The words that state a step: the sentence of the subject's text naming the object, else its opening."""
    facts = g.nodes[subject].get("facts", {}) if subject in g else {}
    text = facts.get("description") or facts.get("quote") or ""
    label = g.nodes[obj].get("label", "") if obj in g else ""
    if label and label in text:
        for m in _SENTENCE.finditer(text):
            if label in m.group(0):
                return _cut(m.group(0).strip(), limit)
    return _cut(text.strip(), limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
