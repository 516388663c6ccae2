"""Lineage across years: this year's measures that continue a measure or plan of an earlier report.

Runs at ingest, against what the store already holds for the same publisher. Links point from the new
report's initiatives to resources in older report graphs, so they are written into the new report's
graph with evidence from its own text; ingesting reports oldest first finds every link.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from rolkg.graph.build import add_link
from rolkg.graph.lineage import bigrams, overlap
from rolkg.graph.namespaces import ROL
from rolkg.graph.pipeline import ExtractedReport
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import Backend

# Stricter than within one report: across years the wording of routine work repeats more.
CONTINUES_ACROSS_YEARS_MIN = 0.45


def link_to_earlier(extracted: ExtractedReport, backend: Backend) -> int:
    """Add ``rol:continues`` links from ``extracted``'s initiatives to earlier ones; returns how many."""
    g, report = extracted.graph, extracted.report
    publisher = g.value(report, DCTERMS.publisher)
    year = g.value(report, ROL.year)
    if not isinstance(publisher, URIRef) or year is None:
        return 0
    earlier = QueryLayer(backend).select(
        "earlier-initiatives", publisher=publisher, before=Literal(int(year))
    )
    if not earlier:
        return 0
    candidates = [
        (row["initiative"], bigrams(f"{row['label']} {row['description']}"), int(row["reportYear"]))
        for row in earlier
    ]
    added = 0
    for initiative in set(g.subjects(RDF.type, ROL.Initiative)):
        if (initiative, RDF.type, ROL.PlannedInitiative) in g or (initiative, RDF.type, ROL.Pilot) in g:
            continue
        mine = bigrams(f"{g.value(initiative, RDFS.label) or ''} {g.value(initiative, DCTERMS.description)}")
        scored = [(overlap(mine, theirs), y, iri) for iri, theirs, y in candidates]
        best = max(scored, default=None, key=lambda t: (t[0], t[1]))
        if best is None or best[0] < CONTINUES_ACROSS_YEARS_MIN:
            continue
        node = add_link(g, report, extracted.meta.slug or "", initiative, ROL.continues, best[2])
        for evidence in g.objects(initiative, ROL.evidence):
            g.add((node, ROL.evidence, evidence))
        added += 1
    return added
