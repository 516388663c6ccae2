"""Which place a report belongs to, in one spot so the rest of rolkg does not care how places are named.

A report's place is its ``rol:jurisdiction`` (a path such as 浙江省宁波市慈溪市, or a Place IRI once the
gazetteer gives one), else its publisher. Reports of one place — the city government's and its justice
bureau's — share it, which is what cross-report lineage and per-place facilities key on.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node
from rolkg.graph.iris import slug_of, slugify
from rolkg.graph.namespaces import DCTERMS, GRAPH, ROL


def place_of(graph: Graph, report: URIRef) -> Node | None:
    """The place term of ``report`` as ``graph`` states it (jurisdiction, else publisher)."""
    return graph.value(report, ROL.jurisdiction) or graph.value(report, DCTERMS.publisher)


def place_slug(place: Node | str) -> str:
    """A short, stable slug for a place term: the slug of one of our IRIs, else the pinyin of the text."""
    if isinstance(place, URIRef) and (parts := slug_of(str(place))):
        return parts[1]
    return slugify(str(place))


def lineage_graph(place: Node | str) -> URIRef:
    """The named graph holding one place's cross-report links and plan follow-through."""
    return GRAPH[f"lineage/{place_slug(place)}"]
