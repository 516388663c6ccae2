"""Figures as a Data Cube: each figure matched to an indicator becomes an observation of the dataset
``rolid:dataset/indicators`` (structure ``rolid:dataset/indicators-structure``: place × year × indicator × statistic,
measure ``rdf:value``, unit attribute), so that one query gives a place's series.

Everything here depends only on the report itself (its jurisdiction, year and text), so it is written
into the report's own graph at extraction; what depends on other reports (figure checks) is in
``graph/checks.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import QB, RDF, RDFS, XSD
from rolkg.graph.indicators import Match, match_metrics, statistic
from rolkg.graph.iris import mint
from rolkg.graph.model import Metric, Span
from rolkg.graph.namespaces import ROL
from rolkg.graph.report_place import place_chain, place_of, report_place

DATASET = mint("dataset", "indicators")

EvidenceFn = Callable[[URIRef, Span], URIRef]


def add_places(g: Graph, jurisdiction: str) -> URIRef:
    """The jurisdiction's ``rol:Place`` and the places it lies within; returns the jurisdiction's IRI."""
    # (only while rol:jurisdiction is a string: the gazetteer's places come with their own description)
    for level in place_chain(jurisdiction):
        g.add((level.iri, RDF.type, ROL.Place))
        g.add((level.iri, RDFS.label, Literal(level.name, lang="zh")))
        if level.parent is not None:
            g.add((level.iri, ROL.within, level.parent))
    return place_of(jurisdiction)


def add_observations(
    g: Graph,
    text: str,
    metrics: list[Metric],
    iris: list[URIRef],
    *,
    slug: str,
    year: int,
    jurisdiction: str | None,
    evidence: EvidenceFn,
) -> list[Match | None]:
    """Match each figure to an indicator and, when one fits, make it an observation of the dataset.

    The place is the report's ``rol:jurisdiction`` when the graph already has it as a Place; otherwise it
    is derived from ``jurisdiction`` and described here."""
    matches = match_metrics(text, metrics)
    place, derived = report_place(g, mint("report", slug), jurisdiction)
    if place is not None and derived and jurisdiction:
        place = add_places(g, jurisdiction)
    for metric, iri, match in zip(metrics, iris, matches, strict=True):
        if match is None:
            continue
        base = metrics[metric.change_of] if metric.change_of is not None else None
        g.add((iri, ROL.indicatorConcept, match.concept))
        node = mint("match", f"{slug}-{metric.span.start}")
        g.add((iri, ROL.indicatorMatch, node))
        g.add((node, RDF.type, ROL.IndicatorMatch))
        g.add((node, ROL.indicatorConcept, match.concept))
        g.add((node, ROL.matchedForm, Literal(match.form)))
        g.add((node, ROL.report, mint("report", slug)))
        evidence(node, match.span)
        g.add((iri, RDF.type, QB.Observation))
        g.add((iri, QB.dataSet, DATASET))
        g.add((iri, ROL.year, Literal(year, datatype=XSD.integer)))
        g.add((iri, ROL.statistic, Literal(statistic(metric, base))))
        if place is not None:
            g.add((iri, ROL.place, place))
    return matches
