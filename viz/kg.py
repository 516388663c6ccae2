"""The graph as networkx sees it: drawable resources as nodes with display attributes, relations as edges."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
from rolkg.graph.classes import registry
from rolkg.viz.source import Selector, number, text

ONT = "https://w3id.org/rolkg/ontology#"
DATA = "https://w3id.org/rolkg/id/"

# Classes, labels and colours come from the ontology's display annotations (rolkg.graph.classes).
_REG = registry()
CLASSES = _REG.nodes()  # drawn as network nodes
# The most specific class wins when a resource has several (a Pilot is also an Initiative).
CLASS_RANK = sorted(CLASSES, key=lambda c: (-_REG.by_name[c].depth, c))
CLASS_LABELS: dict[str, tuple[str, str]] = {c.name: (c.zh, c.en) for c in _REG.ordered}
CLASS_COLOURS: dict[str, str] = _REG.colours()
LINEAGE = {"continues", "implements", "addresses", "scaledFrom", "produces"}


def local(iri: str) -> str:
    """The local name of an ontology or vocabulary IRI (after ``#`` or the last ``/``)."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def kind_slug(iri: str) -> tuple[str, str]:
    """``(kind, slug)`` of a data IRI; ``("", iri)`` for anything else."""
    if iri.startswith(DATA):
        kind, _, slug = iri[len(DATA) :].partition("/")
        if kind and slug:
            return kind, slug
    return "", iri


@dataclass
class Report:
    iri: str
    title: str
    year: int | None
    jurisdiction: str
    source: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def load_reports(sel: Selector) -> list[Report]:
    """The reports with per-class counts."""
    reports = {
        text(r, "report"): Report(
            iri=text(r, "report"),
            title=text(r, "title"),
            year=number(r, "year"),  # type: ignore[arg-type]
            jurisdiction=text(r, "jurisdiction"),
            source=text(r, "source"),
        )
        for r in sel.select("viz_reports")
    }
    for r in sel.select("viz_counts"):
        rep = reports.get(text(r, "report"))
        if rep is not None:
            rep.counts[local(text(r, "cls"))] = int(number(r, "n") or 0)
    return list(reports.values())


def class_counts(sel: Selector) -> dict[str, int]:
    """How many resources of each class the graph holds."""
    return {local(text(r, "cls")): int(number(r, "n") or 0) for r in sel.select("viz_class_counts")}


def load_graph(sel: Selector) -> nx.MultiDiGraph:
    """All drawable resources and the relations between them, with what the pages show about each."""
    g = nx.MultiDiGraph()
    classes: dict[str, set[str]] = {}
    for r in sel.select("viz_nodes"):
        iri = text(r, "node")
        classes.setdefault(iri, set()).add(local(text(r, "cls")))
        attrs = g.nodes[iri] if iri in g else None
        if attrs is None:
            kind, slug = kind_slug(iri)
            g.add_node(
                iri, label="", label_en="", kind=kind, slug=slug, reports=[], themes=[], metrics=[], facts={}
            )
            attrs = g.nodes[iri]
        attrs["label"] = attrs["label"] or text(r, "label")
        attrs["label_en"] = attrs["label_en"] or text(r, "labelEn")
    for iri, found in classes.items():
        node = g.nodes[iri]
        node["cls"] = next(c for c in CLASS_RANK if c in found)
        node["label"] = node["label"] or node["label_en"] or node["slug"]
    for r in sel.select("viz_node_reports"):
        iri = text(r, "node")
        if iri in g:
            g.nodes[iri]["reports"].append(text(r, "report"))
    for r in sel.select("viz_node_themes"):
        iri = text(r, "node")
        if iri in g:
            theme = text(r, "theme")
            g.nodes[iri]["themes"].append(
                {
                    "iri": theme,
                    "label": text(r, "themeLabel", local(theme)),
                    "label_en": text(r, "themeLabelEn"),
                }
            )
    for r in sel.select("viz_facts"):
        iri = text(r, "node")
        if iri in g:
            facts = {k: text(r, k) for k in ("description", "year", "kind", "count", "quote") if r.get(k)}
            g.nodes[iri]["facts"] = facts
    for r in sel.select("viz_metrics"):
        iri = text(r, "node")
        if iri in g:
            g.nodes[iri]["metrics"].append(
                {
                    "iri": text(r, "metric"),
                    "value": text(r, "value"),
                    "unit": text(r, "unit"),
                    "indicator": text(r, "indicator"),
                    "qualifiers": text(r, "qualifiers"),
                    "quote": text(r, "quote"),
                }
            )
    for r in sel.select("viz_edges"):
        s, o = text(r, "s"), text(r, "o")
        if s in g and o in g and s != o:
            rel = local(text(r, "p"))
            g.add_edge(s, o, key=rel, rel=rel)
    for r in sel.select("viz_edge_evidence"):
        s, o, rel = text(r, "s"), text(r, "o"), local(text(r, "p"))
        if g.has_edge(s, o, key=rel):
            g.edges[s, o, rel]["quote"] = text(r, "quote")
    for _, attrs in g.nodes(data=True):
        attrs["reports"].sort()
        attrs["metrics"].sort(key=lambda m: m["iri"])
    return g
