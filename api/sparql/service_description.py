"""The SPARQL 1.1 Service Description of ``/sparql`` (what GET /sparql without a query answers)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rolkg.graph import formats
from rolkg.graph.namespaces import SD


def service_description(endpoint: str, graphs: Iterable[str], max_rows: int, timeout: float) -> Graph:
    """An ``sd:Service`` for ``endpoint`` listing the named graphs and the result formats."""
    g = Graph()
    g.bind("sd", SD)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (*formats.RESULT_OFFERS, *formats.GRAPH_OFFERS):
        g.add((service, SD.resultFormat, URIRef(fmt.iri)))
    g.add(
        (
            service,
            RDFS.comment,
            Literal(
                f"Read-only. SERVICE and updates are refused; FROM / FROM NAMED may name only the graphs "
                f"below. Queries stop after {timeout:g} s; answers are cut at {max_rows} rows "
                "(the X-Result-Capped header says so).",
                lang="en",
            ),
        )
    )
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for name in graphs:
        node = BNode()
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
    return g
