"""Provenance of the input as RDF: the report ``prov:wasDerivedFrom`` a ``rol:SourceFile`` named by the
raw bytes' SHA-256, with their media type and the file name or the address they were fetched from."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rolkg.graph.iris import mint
from rolkg.graph.namespaces import DCTERMS, PROV, RDF, ROL
from rolkg.graph.read.base import Provenance


def source_file_iri(provenance: Provenance) -> URIRef:
    """``https://w3id.org/rolkg/id/source/{sha256}``: the same bytes are the same source file."""
    return mint("source", provenance.sha256)


def add_provenance(graph: Graph, report: URIRef, provenance: Provenance) -> URIRef:
    """Add the source file of ``report`` to ``graph``; returns its IRI."""
    node = source_file_iri(provenance)
    graph.add((report, PROV.wasDerivedFrom, node))
    graph.add((node, RDF.type, ROL.SourceFile))
    graph.add((node, ROL.sha256, Literal(provenance.sha256)))
    graph.add((node, DCTERMS["format"], Literal(provenance.media_type)))
    if provenance.file_name:
        graph.add((node, ROL.fileName, Literal(provenance.file_name)))
    if provenance.url:
        graph.add((node, DCTERMS.source, URIRef(provenance.url)))
    return node
