"""The place a report speaks for: its ``rol:Place`` resource, its slug and its lineage graph.

This is the one module that turns a report's ``rol:jurisdiction`` into a ``rol:Place`` IRI (the
gazetteer's, ``place/{code}``; for a path the gazetteer does not know, one built from the path, e.g.
``浙江省宁波市慈溪市`` → ``place/zhejiangshengningboshicixishi``, with parents from the path's levels) and
into the slug that names the place's facilities and lineage graph. Reports of one place — the city
government's and its justice bureau's — share it, which is what cross-report lineage and per-place
facilities key on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node
from rolkg.graph.gazetteer import place_iri as gazetteer_iri
from rolkg.graph.iris import mint, slug_of, slugify
from rolkg.graph.namespaces import DCTERMS, GRAPH, ROL

# One administrative level ends with one of these; a bare 州 is not one (苏州市, 杭州市: 州 is part of the name).
_LEVEL_RE = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|盟|区|县|旗|镇|乡|街道)")


@dataclass(frozen=True, slots=True)
class PlaceLevel:
    """One level of a jurisdiction path: its IRI, its own name and its parent's IRI (None at the top)."""

    iri: URIRef
    name: str
    path: str
    parent: URIRef | None


def levels(jurisdiction: str) -> list[str]:
    """``浙江省宁波市慈溪市`` → ``[浙江省, 宁波市, 慈溪市]``; a path with no level suffix is one level."""
    parts = _LEVEL_RE.findall(jurisdiction.strip())
    rest = jurisdiction.strip()[sum(map(len, parts)) :]
    if rest:
        parts.append(rest)
    return parts or [jurisdiction.strip()]


def place_iri(path: str) -> URIRef:
    """The IRI of the place whose full path is ``path``."""
    return mint("place", slugify(path))


def place_of(jurisdiction: str) -> URIRef:
    """The ``rol:Place`` IRI of a report's jurisdiction: the gazetteer's (``place/{code}``) when the path
    names one of its places, else one built from the path."""
    from rolkg.graph.extract.places import Jurisdiction

    try:
        return gazetteer_iri(Jurisdiction.parse(jurisdiction).unit)
    except ValueError:
        return place_iri("".join(levels(jurisdiction)))


def place_chain(jurisdiction: str) -> list[PlaceLevel]:
    """Every level of ``jurisdiction`` from the top down, each with its parent (for ``rol:within``)."""
    chain: list[PlaceLevel] = []
    path = ""
    parent: URIRef | None = None
    for name in levels(jurisdiction):
        path += name
        iri = place_iri(path)
        chain.append(PlaceLevel(iri, name, path, parent))
        parent = iri
    return chain


def report_place(g: Graph, report: URIRef, jurisdiction: str | None) -> tuple[URIRef | None, bool]:
    """The place of ``report``: its ``rol:jurisdiction`` when that is already a Place IRI (the gazetteer's),
    else one derived from the jurisdiction's path. The flag says whether the place is derived here (and so
    must be described here)."""
    given = g.value(report, ROL.jurisdiction)
    if isinstance(given, URIRef):
        return given, False
    if given is not None:
        jurisdiction = str(given)
    return (place_of(jurisdiction), True) if jurisdiction else (None, False)


def place_term(graph: Graph, report: URIRef) -> Node | None:
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
