"""Bounded subgraphs for the network views, read from the store with ``read/network/…`` queries.

Each view asks only for what it draws: the overview for the focus areas of the newest reports (and the
measures under them), a neighbourhood or a lineage for the resources a few hops from one IRI, each capped.
Nodes and edges carry the attributes of :func:`rolkg.viz.kg.load_graph` (the whole graph, which the tests
use as the views' reference), so :mod:`rolkg.viz.views` and :mod:`rolkg.viz.payload` work on either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import networkx as nx
from rdflib import URIRef
from rolkg.graph.query import EVERY
from rolkg.viz.kg import CLASS_RANK, LINEAGE, kind_slug, local
from rolkg.viz.source import ANY, Selector, number, text

if TYPE_CHECKING:
    from rolkg.viz.routemap import RouteMap

Q = "read/network/"
MEASURES = {"Initiative", "PlannedInitiative", "Pilot"}
CONTEXT = {"Body", "Document", "Facility", "Shortcoming"}  # drawn around the measures
REPORTS_PER_STEP = 6  # reports whose focus areas are read per query while filling the overview
SHARED_KINDS = {"body", "document", "facility"}  # resources of many reports, not of one lineage
NEIGHBOURS_PER_NODE = 400  # edges read per frontier node of a neighbourhood (a hub body has thousands)


def version(sel: Selector) -> str:
    """A fingerprint of the store's content (``read/network/version``): caches are keyed by it."""
    rows = sel.select(Q + "version")
    parts = [f"{k}={text(r, k)}" for r in rows for k in ("graphs", "started", "ended", "reports", "chars")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _iris(nodes: Iterable[str]) -> list[URIRef]:
    return [URIRef(n) for n in nodes]


def _blank(g: nx.MultiDiGraph, iri: str) -> dict:
    if iri not in g:
        kind, slug = kind_slug(iri)
        g.add_node(
            iri,
            label="",
            label_en="",
            kind=kind,
            slug=slug,
            cls="",
            reports=[],
            themes=[],
            metrics=[],
            facts={},
        )
    return g.nodes[iri]


def node_class(classes: set[str]) -> str:
    """The class a resource of ``classes`` is drawn as: the most specific network class, else
    ``FocusArea``, else "" (not drawn)."""
    return next((c for c in CLASS_RANK if c in classes), "FocusArea" if "FocusArea" in classes else "")


def describe(sel: Selector, g: nx.MultiDiGraph, nodes: Sequence[str] | None, *, details: bool = True) -> None:
    """Add ``nodes`` (None: every network node) to ``g`` with class (the most specific), labels, year and
    reports; with ``details`` also the side panel's facts, themes and figures. Resources of no drawable
    class are left out."""
    found: dict[str, set[str]] = {}
    for r in sel.select_chunked(Q + "nodes", "nodes", EVERY if nodes is None else _iris(nodes)):
        iri = text(r, "node")
        found.setdefault(iri, set()).add(local(text(r, "cls")))
        a = _blank(g, iri)
        a["label"] = a["label"] or text(r, "label")
        a["label_en"] = a["label_en"] or text(r, "labelEn")
        if r.get("year") is not None:
            a["facts"]["year"] = text(r, "year")
    for iri, classes in found.items():
        a = g.nodes[iri]
        a["cls"] = node_class(classes)
        a["label"] = a["label"] or a["label_en"] or a["slug"]
    for r in sel.select_chunked(Q + "node-reports", "nodes", _iris(found)):
        g.nodes[text(r, "node")]["reports"].append(text(r, "report"))
    for iri in found:
        g.nodes[iri]["reports"] = sorted(set(g.nodes[iri]["reports"]))
    if details and found:
        _details(sel, g, list(found))


def _details(sel: Selector, g: nx.MultiDiGraph, nodes: list[str]) -> None:
    iris = _iris(nodes)
    for r in sel.select_chunked(Q + "facts", "nodes", iris):
        a = g.nodes[text(r, "node")]
        a["facts"].update(
            {k: text(r, k) for k in ("description", "year", "kind", "count", "quote") if r.get(k)}
        )
    for r in sel.select_chunked(Q + "themes", "nodes", iris):
        theme = text(r, "theme")
        g.nodes[text(r, "node")]["themes"].append(
            {"iri": theme, "label": text(r, "themeLabel", local(theme)), "label_en": text(r, "themeLabelEn")}
        )
    for r in sel.select_chunked(Q + "metrics", "nodes", iris):
        g.nodes[text(r, "node")]["metrics"].append(
            {k: text(r, k) for k in ("value", "unit", "indicator", "qualifiers", "quote")}
            | {"iri": text(r, "metric")}
        )
    for n in nodes:
        g.nodes[n]["metrics"].sort(key=lambda m: m["iri"])
        g.nodes[n]["themes"].sort(key=lambda t: t["iri"])


def relations(
    sel: Selector, nodes: Sequence[str] | None, *, limit: int | None = None
) -> list[tuple[str, str, str]]:
    """``(subject, relation, object)`` of the drawn relations touching ``nodes`` (None: all of them;
    ``limit`` per chunk)."""
    rows = sel.select_chunked(Q + "edges", "nodes", EVERY if nodes is None else _iris(nodes), limit=limit)
    return sorted({(text(r, "s"), local(text(r, "p")), text(r, "o")) for r in rows})


def connect_edges(sel: Selector, g: nx.MultiDiGraph, edges: Iterable[tuple[str, str, str]]) -> None:
    """Add the edges whose two ends are nodes of ``g``, with the quote of the lineage statements."""
    lineage_subjects = set()
    for s, rel, o in edges:
        if s in g and o in g and s != o and not g.has_edge(s, o, key=rel):
            g.add_edge(s, o, key=rel, rel=rel)
            if rel in LINEAGE:
                lineage_subjects.add(s)
    if lineage_subjects:
        for r in sel.select_chunked(Q + "edge-evidence", "subjects", _iris(sorted(lineage_subjects))):
            s, o, rel = text(r, "s"), text(r, "o"), local(text(r, "p"))
            if g.has_edge(s, o, key=rel):
                g.edges[s, o, rel]["quote"] = text(r, "quote")


def whole(sel: Selector) -> nx.MultiDiGraph:
    """Every network node and relation (the connect view's graph: read once per store version)."""
    g = nx.MultiDiGraph()
    describe(sel, g, None)
    _drop_undrawable(g)
    g.remove_nodes_from([n for n, a in g.nodes(data=True) if a["cls"] == "FocusArea"])
    connect_edges(sel, g, relations(sel, None))
    return g


def path_graph(
    sel: Selector, routes: RouteMap, members: list[str], links: list[tuple[str, str, str]]
) -> nx.MultiDiGraph:
    """The connect view's ``draw`` over the store: ``members`` described (themes from ``routes``, which
    made them nodes) and ``links`` between them, with the quotes of lineage statements."""
    g = nx.MultiDiGraph()
    describe(sel, g, [m for m in members if routes.cls(m) != "Theme"])
    for m in members:
        if m not in g:
            a = _blank(g, m)
            a.update(label=routes.label(m), label_en=routes.labels_en[routes.index[m]], cls=routes.cls(m))
            if a["cls"] == "Theme":
                a.update(kind="theme", slug=m.rsplit("/", 1)[-1])
    connect_edges(sel, g, links)
    return g


def _drop_undrawable(g: nx.MultiDiGraph, keep: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    g.remove_nodes_from([n for n, a in g.nodes(data=True) if not a.get("cls") and n not in keep])


def around(sel: Selector, iri: str, depth: int, limit: int) -> tuple[nx.MultiDiGraph, int]:
    """The resources within ``depth`` hops of ``iri`` (breadth first, at most ``limit``) and how many
    resources its own relations reach (the total a "show more" link grows towards)."""
    g = nx.MultiDiGraph()
    describe(sel, g, [iri], details=False)
    if iri not in g or not g.nodes[iri]["cls"]:
        raise KeyError(iri)
    hops = {iri: 0}
    frontier = [iri]
    found: list[tuple[str, str, str]] = []
    for d in range(1, max(depth, 0) + 1):
        if not frontier or len(hops) >= limit:
            break
        edges = relations(sel, frontier, limit=NEIGHBOURS_PER_NODE * len(frontier[:400]))
        found.extend(edges)
        nxt = []
        for s, _, o in edges:
            for n in (s, o):
                if n not in hops and len(hops) < limit:
                    hops[n] = d
                    nxt.append(n)
        frontier = nxt
    describe(sel, g, list(hops))
    _drop_undrawable(g, {iri})
    connect_edges(sel, g, found + relations(sel, list(g)))
    total_rows = sel.select(Q + "degree", node=URIRef(iri))
    total = int(number(total_rows[0], "n") or 0) + 1 if total_rows else g.number_of_nodes()
    for n, a in g.nodes(data=True):
        a["hop"] = hops.get(n, depth)
    return g, max(total, g.number_of_nodes())


def lineage_around(sel: Selector, iri: str, limit: int) -> nx.MultiDiGraph:
    """``iri`` and the resources its lineage relations reach, transitively (at most ``limit``), with the
    figures that measure them."""
    g = nx.MultiDiGraph()
    describe(sel, g, [iri], details=False)
    if iri not in g or not g.nodes[iri]["cls"]:
        raise KeyError(iri)
    seen, frontier, found = {iri}, [iri], []
    while frontier and len(seen) < limit:
        edges = [e for e in relations(sel, frontier, limit=NEIGHBOURS_PER_NODE) if e[1] in LINEAGE]
        found.extend(edges)
        frontier = []
        for s, _, o in edges:
            for n in (s, o):
                if n not in seen and len(seen) < limit:
                    seen.add(n)
                    # A shared document or facility is a leaf: through it, every measure that implements
                    # the same plan would join the lineage (the hub problem again).
                    if kind_slug(n)[0] not in SHARED_KINDS:
                        frontier.append(n)
    describe(sel, g, sorted(seen))
    _drop_undrawable(g, {iri})
    connect_edges(sel, g, found)
    return g


def overview_graph(
    sel: Selector,
    reports: Sequence[str],
    *,
    classes: set[str] | None,
    theme: str | None,
    body: str | None,
    limit: int,
    titles: dict[str, str] | None = None,
    years: dict[str, int] | None = None,
) -> nx.MultiDiGraph:
    """Focus areas of ``reports`` (in that order) and the measures under them, until ``limit`` nodes, then
    the bodies, documents and facilities those measures link to (still within ``limit``).

    Each measure's ``group`` is its focus area (or its report, for measures under no area); areas and
    reports are drawn as the groups' labelled anchors.
    """
    g = nx.MultiDiGraph()
    params = {"theme": URIRef(theme) if theme else ANY, "body": URIRef(body) if body else ANY}
    groups: dict[str, list[str]] = {}  # group anchor → its measures, in order
    count = 0
    for i in range(0, len(reports), REPORTS_PER_STEP):
        if count >= limit:
            break
        step = _iris(reports[i : i + REPORTS_PER_STEP])
        areas = [text(r, "area") for r in sel.select_chunked(Q + "areas", "reports", step, **params)]
        rows = [
            (text(r, "area"), text(r, "node"))
            for r in sel.select_chunked(Q + "members", "areas", _iris(areas), **params)
        ]
        rows += [
            (text(r, "report"), text(r, "node"))
            for r in sel.select_chunked(Q + "loose", "reports", step, **params)
        ]
        order = {a: k for k, a in enumerate(areas)}
        rows.sort(key=lambda an: (order.get(an[0], len(order)), an[0], an[1]))
        for anchor, node in rows:
            if count >= limit:
                break
            members = groups.setdefault(anchor, [])
            if not members:
                count += 1  # the anchor is drawn too
            members.append(node)
            count += 1
    measures = [m for ms in groups.values() for m in ms]
    describe(sel, g, measures)
    describe(sel, g, [a for a in groups if a not in g], details=False)
    for anchor, members in groups.items():
        _blank(g, anchor)  # a report anchor is no network node: nodes.rq does not describe it
        if not g.nodes[anchor]["cls"]:
            g.nodes[anchor]["cls"] = "Report" if kind_slug(anchor)[0] == "report" else "FocusArea"
            g.nodes[anchor]["label"] = (titles or {}).get(anchor) or g.nodes[anchor]["label"]
        # an area has no year of its own: its report's (nodes show their year)
        year = next((years[r] for r in g.nodes[anchor]["reports"] + [anchor] if (years or {}).get(r)), None)
        if year and "year" not in g.nodes[anchor]["facts"]:
            g.nodes[anchor]["facts"]["year"] = str(year)
        for m in members:
            if m in g:
                g.nodes[m]["group"] = anchor
    # Context comes from every selected measure, so a class filter without measures ("Facility") still
    # draws the facilities of these groups; measures of classes filtered out are dropped afterwards.
    edges = relations(sel, [m for m in measures if m in g])
    dropped = {m for m in measures if m in g and classes is not None and g.nodes[m]["cls"] not in classes}
    room = max(limit - g.number_of_nodes() + len(dropped), 0)
    others = [n for n in dict.fromkeys(x for s, _, o in edges for x in (s, o)) if n not in g][: room * 2]
    extra = nx.MultiDiGraph()
    describe(sel, extra, others)
    wanted = CONTEXT if classes is None else CONTEXT & classes
    picked = [n for n in others if n in extra and extra.nodes[n]["cls"] in wanted][:room]
    g.add_nodes_from((n, extra.nodes[n]) for n in picked)
    connect_edges(sel, g, edges)
    g.remove_nodes_from(dropped)
    g.remove_nodes_from([a for a in groups if a in g and not any(m in g for m in groups[a])])
    # partOf edges from measures to their own area anchor are what groups them; keep them, they are cheap
    for anchor, members in groups.items():
        for m in members:
            if m in g and anchor in g and not g.has_edge(m, anchor) and g.nodes[m]["cls"] in MEASURES:
                g.add_edge(m, anchor, key="partOf", rel="partOf")
    return g
