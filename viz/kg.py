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
        for r in sel.select("read/home/reports")
    }
    for r in sel.select("read/home/report-counts"):
        rep = reports.get(text(r, "report"))
        if rep is not None:
            rep.counts[local(text(r, "cls"))] = int(number(r, "n") or 0)
    return list(reports.values())


def class_counts(sel: Selector) -> dict[str, int]:
    """How many resources of each class the graph holds."""
    return {local(text(r, "cls")): int(number(r, "n") or 0) for r in sel.select("read/home/class-counts")}


def load_graph(sel: Selector) -> nx.MultiDiGraph:
    """All drawable resources and the relations between them, with what the pages show about each."""
    from rolkg.viz.subgraph import whole  # late: subgraph builds on this module's names

    return whole(sel)
