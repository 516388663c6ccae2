"""Rank connect paths by what they pass through, not by length alone.

A path through the bureau that leads everything (A is led by 慈溪市司法局, which also leads B) says little;
a path through a shared document, facility, pilot or a lineage link says how two measures are related.
Themes are added as nodes (a measure —theme→ 法律援助), so two measures of one field connect through it.
Each step costs by its relation (lineage and production cheap, leadership and membership dear) plus a
hub penalty for the node it enters (log2 of its degree), and the cheapest path per endpoint pair wins.
"""

from __future__ import annotations

import math
import re

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
    by node ids, so the order is stable), by networkx over the whole graph: the reference the connect
    view's compact search (:mod:`rolkg.viz.routemap`) is tested against."""
    return _ranked(_steps(g), sources, targets)


def _steps(g: nx.MultiDiGraph) -> nx.DiGraph:
    """Each direction of each link of ``g`` once, with its ``cost``: the cheapest relation between the two,
    plus the hub penalty of the node it enters (endpoints pay theirs too, equally for every path of a
    pair). Nodes and neighbours in IRI order, as :class:`rolkg.viz.routemap.RouteMap` keeps them, so both
    choose the same of equal-cost paths."""
    u = nx.Graph(g.to_undirected(as_view=True))
    degree = dict(u.degree())
    steps = nx.DiGraph()
    steps.add_nodes_from(sorted(u))
    for a in sorted(u):
        for b in sorted(u[a]):
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
