"""A view → pyvis network → the JSON the page script draws (nodes, edges, options, side-panel facts).

pyvis assembles nodes and edges; its HTML template is not used (it links CDNs and does not escape), the
page template in ``viz/templates`` is. Labels stay plain text here: the browser only ever puts them into
the canvas or into DOM text nodes.
"""

from __future__ import annotations

import math
from typing import Any

import jinja2
from pyvis.network import Network
from rolkg.viz.i18n import pick, t
from rolkg.viz.kg import CLASS_COLOURS, CLASS_LABELS, CLASSES
from rolkg.viz.views import View, grouped_layout, rings

LAYOUT_THRESHOLD = 150  # above this many nodes, positions are computed here and physics is off
HUB_EDGE = {"color": "#c9c9c9", "opacity": 0.5}  # edges to a hub: context, drawn faint and dashed
# a measure's edge to its own group's anchor: the shaded block already says it
GROUPING_EDGE = {"color": {"color": "#bbbbbb", "opacity": 0.35}, "arrows": "", "grouping": True}
CANVAS_LABEL = 18  # characters of a label drawn on the canvas; the panel shows it whole
_TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("rolkg.viz", "templates"), autoescape=True)


def short(label: str, n: int = CANVAS_LABEL) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def year_of(attrs: dict[str, Any]) -> str:
    """The year a node's facts give (a measure's, a focus area's report's), or ""."""
    return str(attrs.get("facts", {}).get("year", "") or "")


def canvas_label(attrs: dict[str, Any], with_year: bool) -> str:
    """The label drawn on the canvas: shortened, in the page language, the year on a second line."""
    label = short(pick(attrs.get("label", ""), attrs.get("label_en", "")))
    year = year_of(attrs)
    return f"{label}\n{year}" if with_year and year else label


def panel(node: str, attrs: dict[str, Any]) -> dict[str, Any]:
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
        "node": cls in CLASSES,  # only network nodes have neighbourhood and lineage views
    }


def positions(view: View) -> tuple[dict[str, tuple[float, float]], dict[str, str], set[str]]:
    """Node positions (empty: vis lays out small views itself), each node's group, and the hubs."""
    g = view.graph
    if view.grouped:
        return grouped_layout(g)
    if g.number_of_nodes() > LAYOUT_THRESHOLD and not view.hierarchical:
        return rings(g, view.focus), {}, set()
    return {}, {}, set()


def build_network(view: View) -> tuple[Network, dict[str, str]]:
    """The pyvis network of a view (coloured by class, sized by degree in the view, positioned when
    large or grouped) and each node's group."""
    g = view.graph
    net = Network(directed=True, cdn_resources="in_line")
    # pyvis's own environment does not escape; ours does (its template is not used for pages anyway).
    net.templateEnv = _TEMPLATES
    degree = dict(g.degree())
    top = max(degree.values(), default=1) or 1
    pos, group, hubs = positions(view)
    with_year = view.grouped or view.hierarchical
    for n, attrs in g.nodes(data=True):
        cls = attrs.get("cls", "")
        extra: dict[str, Any] = {}
        if n in pos:
            extra.update(x=pos[n][0], y=pos[n][1], physics=False)
        if n == view.focus:
            extra["borderWidth"] = 4
        anchor = cls in {"FocusArea", "Report"}
        if anchor:
            extra.update(shape="box", font={"size": 17, "color": "#ffffff", "strokeWidth": 0}, margin=8)
        net.add_node(
            n,
            label=canvas_label(attrs, with_year and (anchor or view.hierarchical)),
            color=CLASS_COLOURS.get(cls, "#777777"),
            size=10 + 22 * math.sqrt(degree.get(n, 0) / top) if n not in hubs else 22,
            shape=extra.pop("shape", "diamond" if n in hubs else "dot"),
            **extra,
        )
        net.node_map[n]["cls"] = cls  # not vis "group": pyvis drops the colour when a group is given
        if n in group:
            net.node_map[n]["cluster"] = group[n]
        if n in hubs:
            net.node_map[n]["hub"] = True
    show_labels = view.hierarchical or bool(view.paths) or g.number_of_nodes() <= 60
    from rolkg.viz.pages import relation_word  # late: pages imports this module

    for a, b, attrs in g.edges(data=True):
        rel = attrs.get("rel", "")
        word = relation_word(rel)
        to_hub = a in hubs or b in hubs
        grouping = view.grouped and rel == "partOf" and g.nodes[b].get("cls") in {"FocusArea", "Report"}
        net.add_edge(a, b, label=word if show_labels and not to_hub else "", relation=rel, arrows="to")
        net.edges[-1].update(word=word, quote=attrs.get("quote", ""), hub=to_hub, grouping=grouping)
    return net, group


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
    net, group = build_network(view)
    g = view.graph
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
        # edges to a hub are hidden until the hub or their other end is selected (see network.js)
        | ({"color": HUB_EDGE, "dashes": True, "hub": True, "hidden": True} if e.get("hub") else {})
        | (GROUPING_EDGE if e.get("grouping") else {})
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
        "panel": {n: panel(n, a) for n, a in g.nodes(data=True)},
        "legend": sorted({a.get("cls", "") for _, a in g.nodes(data=True)}),
        "groups": sorted(set(group.values())),  # the grouped view's anchors (the page shades each group)
        "colours": CLASS_COLOURS,
    }
