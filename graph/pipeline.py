"""Report text + metadata → one named graph: the extractor's single entry point."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rolkg.graph.model import ReportMeta


@dataclass(slots=True)
class ExtractedReport:
    """The outcome of extracting one report: its IRI, its named graph's IRI and the triples."""

    report: URIRef
    graph_name: URIRef
    graph: Graph
    meta: ReportMeta


def extract_report(text: str, meta: ReportMeta | None = None) -> ExtractedReport:
    """Extract everything rolkg knows how to find in ``text``. ``meta`` fields that are None are detected."""
    from rolkg.graph.build import build_report  # the build step owns the mapping to RDF

    return build_report(text, meta or ReportMeta())
