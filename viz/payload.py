"""A view → pyvis network → the JSON the page script draws (nodes, edges, options, side-panel facts).

pyvis assembles nodes and edges; its HTML template is not used (it links CDNs and does not escape), the
page template in ``viz/templates`` is. Labels stay plain text here: the browser only ever puts them into
the canvas or into DOM text nodes.
"""

from __future__ import annotations

import math
from typing import Any

import jinja2
import networkx as nx
from pyvis.network import Network
from rolkg.viz.i18n import pick, t
from rolkg.viz.kg import CLASS_COLOURS, CLASS_LABELS, CLASSES
from rolkg.viz.views import View, rank

LAYOUT_THRESHOLD = 150  # above this many nodes, positions come from networkx and physics is off
CANVAS_LABEL = 18  # characters of a label drawn on the canvas; the panel shows it whole
_TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("rolkg.viz", "templates"), autoescape=True)


def short(label: str, n: int = CANVAS_LABEL) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Precomputed positions: communities first on a circle, then a few spring iterations from there."""
    u = nx.Graph(g.to_undirected(as_view=True))
    communities = nx.community.louvain_communities(u, seed=7) if u.number_of_edges() else [set(u)]
    start: dict[str, tuple[float, float]] = {}
    for i, members in enumerate(sorted(communities, key=len, reverse=True)):
        angle = 2 * math.pi * i / max(len(communities), 1)
        cx, cy = math.cos(angle), math.sin(angle)
        for j, n in enumerate(sorted(members)):
            a = 2 * math.pi * j / max(len(members), 1)
            r = 0.05 + 0.3 * math.sqrt(len(members) / max(len(u), 1))
            start[n] = (cx + r * math.cos(a), cy + r * math.sin(a))
    pos = nx.spring_layout(u, pos=start, iterations=30, seed=7, k=1.5 / math.sqrt(max(len(u), 1)))
    scale = 90 * math.sqrt(len(u))
    return {n: (float(x) * scale, float(y) * scale) for n, (x, y) in pos.items()}


def panel(node: str, attrs: dict[str, Any], community: int | None) -> dict[str, Any]:
    """What the side panel shows for one node (all plain strings)."""
    cls = attrs.get("cls", "")
    zh, en = CLASS_LABELS.get(cls, (cls, cls))
    return {
        "iri": node,
        "label": attrs.get("label", ""),
        "label_en": attrs.get("label_en", ""),
        "cls": cls,
        "cls_label": t(zh, en),
        "kind": attrs.get("kind", ""),
        "slug": attrs.get("slug", ""),
        "facts": attrs.get("facts", {}),
        "metrics": attrs.get("metrics", []),
        "themes": [t["label"] for t in attrs.get("themes", [])],
        "reports": attrs.get("reports", []),
        "community": community,
        "node": cls in CLASSES,  # only network nodes have neighbourhood and lineage views
    }


def build_network(view: View) -> Network:
    """The pyvis network of a view: coloured by class, sized by centrality, positioned when large."""
    g = view.graph
    net = Network(directed=True, cdn_resources="in_line")
    # pyvis's own environment does not escape; ours does (its template is not used for pages anyway).
    net.templateEnv = _TEMPLATES
    scores = rank(g) if g.number_of_nodes() else {}
    top = max(scores.values(), default=1.0) or 1.0
    positions = layout(g) if g.number_of_nodes() > LAYOUT_THRESHOLD and not view.hierarchical else {}
    for n, attrs in g.nodes(data=True):
        cls = attrs.get("cls", "")
        extra: dict[str, Any] = {}
        if n in positions:
            extra.update(x=positions[n][0], y=positions[n][1], physics=False)
        if n == view.focus:
            extra["borderWidth"] = 4
        net.add_node(
            n,
            label=short(pick(attrs.get("label", ""), attrs.get("label_en", ""))),
            color=CLASS_COLOURS.get(cls, "#777777"),
            size=10 + 30 * math.sqrt(scores.get(n, 0.0) / top),
            shape="dot",
            **extra,
        )
        net.node_map[n]["cls"] = cls  # not vis "group": pyvis drops the colour when a group is given
    show_labels = view.hierarchical or bool(view.paths) or g.number_of_nodes() <= 60
    from rolkg.viz.pages import relation_word  # late: pages imports this module

    for a, b, attrs in g.edges(data=True):
        rel = attrs.get("rel", "")
        word = relation_word(rel)
        net.add_edge(a, b, label=word if show_labels else "", relation=rel, arrows="to")
        net.edges[-1].update(word=word, quote=attrs.get("quote", ""))
    return net


def options(view: View, positioned: bool) -> dict[str, Any]:
    """vis-network options: hierarchical LR for lineage, physics only for small unpositioned graphs."""
    opts: dict[str, Any] = {
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": positioned},
        "nodes": {
            "font": {"size": 16, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {"font": {"size": 11, "align": "middle"}, "smooth": False, "color": {"color": "#8a8a8a"}},
    }
    if view.hierarchical:
        opts["layout"] = {
            "hierarchical": {
                "enabled": True,
                "direction": "LR",
                "sortMethod": "directed",
                "levelSeparation": 260,
                "nodeSpacing": 120,
            }
        }
        opts["physics"] = {"enabled": False}
    elif positioned:
        opts["physics"] = {"enabled": False}
    else:
        opts["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": True, "iterations": 300, "fit": True},
        }
    return opts


def payload(view: View) -> dict[str, Any]:
    """Everything the page script needs, JSON-ready."""
    net = build_network(view)
    g = view.graph
    communities: dict[str, int] = {}
    if g.number_of_edges():
        u = nx.Graph(g.to_undirected(as_view=True))
        for i, members in enumerate(nx.community.louvain_communities(u, seed=7)):
            communities.update(dict.fromkeys(members, i))
    positioned = any("x" in n for n in net.nodes)
    nodes = [{k: v for k, v in n.items() if k != "title"} for n in net.nodes]
    edges = [
        {
            "from": e["from"],
            "to": e["to"],
            "label": e.get("label", ""),
            "relation": e["relation"],
            "word": e.get("word", e["relation"]),
            "quote": e.get("quote", ""),
            "arrows": "to",
        }
        for e in net.edges
    ]
    return {
        "view": view.title,
        "focus": view.focus,
        "total": view.total,
        "drawn": len(nodes),
        "nodes": nodes,
        "edges": edges,
        "options": options(view, positioned),
        "panel": {n: panel(n, a, communities.get(n)) for n, a in g.nodes(data=True)},
        "legend": sorted({a.get("cls", "") for _, a in g.nodes(data=True)}),
        "colours": CLASS_COLOURS,
    }
