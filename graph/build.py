"""Extracted records → RDF triples in one report graph. (Work in progress: report node only.)"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from rolkg.graph.iris import mint, report_graph, slugify
from rolkg.graph.model import ReportMeta
from rolkg.graph.namespaces import DCTERMS, RDF, RDFS, ROL, SKOS
from rolkg.graph.pipeline import ExtractedReport, ExtractionError


def build_report(text: str, meta: ReportMeta) -> ExtractedReport:
    if not text.strip():
        raise ExtractionError("the report is empty: give a file with the report's text")
    issuer = meta.issuer or "未知机关"
    year = meta.year or 0
    slug = meta.slug or f"{slugify(issuer)}-{year}"
    report = mint("report", slug)
    g = Graph()
    g.add((report, RDF.type, ROL.Report))
    g.add((report, DCTERMS.title, Literal(meta.title or issuer, lang="zh")))
    g.add((report, RDFS.label, Literal(meta.title or issuer, lang="zh")))
    g.add((report, ROL.year, Literal(year, datatype=XSD.integer)))
    g.add((report, ROL.text, Literal(text)))
    if meta.jurisdiction:
        g.add((report, ROL.jurisdiction, Literal(meta.jurisdiction)))
    if meta.source:
        g.add((report, DCTERMS.source, URIRef(meta.source)))
    body = mint("body", slugify(issuer))
    g.add((report, DCTERMS.publisher, body))
    g.add((body, RDF.type, ROL.Body))
    g.add((body, SKOS.prefLabel, Literal(issuer, lang="zh")))
    g.add((body, RDFS.label, Literal(issuer, lang="zh")))
    return ExtractedReport(report=report, graph_name=report_graph(slug), graph=g, meta=meta)
