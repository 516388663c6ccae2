"""The one format registry and the one content negotiation.

Each :class:`Format` ties together what the rest of rolkg calls a syntax: its media type (and the aliases
answered in it), the short name the CLI takes, the file extension, the rdflib plugin name, the pyoxigraph
format and the W3C format IRI (https://www.w3.org/ns/formats/). The endpoint, linked data, dumps, the CLI
and the stores all look formats up here, so they cannot disagree.

Negotiation follows RFC 9110: q-values, the most specific matching range decides an offer's q, an offer
named explicitly beats one reached by a wildcard, ties keep the server's order.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from rolkg.errors import NotAcceptable

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True, slots=True)
class Format:
    """One syntax. ``kind``: ``graph`` (triples), ``dataset`` (quads; also takes triples) or ``results``."""

    name: str
    media_type: str
    kind: str
    extension: str
    rdflib: str | None
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat
    w3c: str
    aliases: tuple[str, ...] = ()
    text: bool = True  # answered with "; charset=utf-8" (XML and JSON declare their own encoding)

    @property
    def iri(self) -> str:
        """The W3C format IRI, for service descriptions and DCAT distributions."""
        return W3C_FORMATS + self.w3c

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value for an answer in this format."""
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type


_R = ox.RdfFormat
_Q = ox.QueryResultsFormat

TURTLE = Format("turtle", "text/turtle", "graph", "ttl", "turtle", _R.TURTLE, "Turtle")
NTRIPLES = Format(
    "ntriples", "application/n-triples", "graph", "nt", "nt", _R.N_TRIPLES, "N-Triples", ("text/plain",)
)
JSONLD = Format(
    "jsonld", "application/ld+json", "graph", "jsonld", "json-ld", _R.JSON_LD, "JSON-LD", text=False
)
RDFXML = Format(
    "rdfxml", "application/rdf+xml", "graph", "rdf", "xml", _R.RDF_XML, "RDF_XML", ("application/xml",), False
)
TRIG = Format("trig", "application/trig", "dataset", "trig", "trig", _R.TRIG, "TriG")
NQUADS = Format("nquads", "application/n-quads", "dataset", "nq", "nquads", _R.N_QUADS, "N-Quads")
RESULTS_JSON = Format(
    "json",
    "application/sparql-results+json",
    "results",
    "srj",
    None,
    _Q.JSON,
    "SPARQL_Results_JSON",
    ("application/json",),
    False,
)
RESULTS_XML = Format(
    "xml",
    "application/sparql-results+xml",
    "results",
    "srx",
    None,
    _Q.XML,
    "SPARQL_Results_XML",
    ("application/xml",),
    False,
)
RESULTS_CSV = Format("csv", "text/csv", "results", "csv", None, _Q.CSV, "SPARQL_Results_CSV")
RESULTS_TSV = Format("tsv", "text/tab-separated-values", "results", "tsv", None, _Q.TSV, "SPARQL_Results_TSV")

ALL: tuple[Format, ...] = (
    TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS, RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV
)  # fmt: skip
# Offers in the server's order of preference (the first is the answer to */* or no Accept header).
GRAPH_OFFERS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML)
DATASET_OFFERS: tuple[Format, ...] = (TRIG, NQUADS, JSONLD)
RESULT_OFFERS: tuple[Format, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)


def by_name(name: str, among: Iterable[Format] = ALL) -> Format:
    """The format called ``name`` (``turtle``, ``nquads``, ``json`` …); :class:`NotAcceptable` otherwise."""
    choices = tuple(among)
    for fmt in choices:
        if fmt.name == name:
            return fmt
    raise NotAcceptable([f.name for f in choices])


def by_media_type(media: str, among: Iterable[Format] = ALL) -> Format | None:
    """The format whose media type (or alias) is ``media`` (parameters ignored), or None."""
    media = media.split(";")[0].strip().lower()
    choices = tuple(among)
    for fmt in choices:
        if fmt.media_type == media:
            return fmt
    for fmt in choices:
        if media in fmt.aliases:
            return fmt
    return None


def by_extension(path: str | Path, among: Iterable[Format] = ALL) -> Format | None:
    """The format a file name's extension stands for (``.ttl`` → Turtle), or None."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return next((f for f in among if f.extension == suffix), None)


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` for each part of an Accept header; a malformed q counts as 0."""
    if not header or not header.strip():
        return [("*/*", 1.0, 0)]
    ranges: list[tuple[str, float, int]] = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media + "/*"
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    return ranges or [("*/*", 1.0, 0)]


def _quality(offer: str, ranges: list[tuple[str, float, int]]) -> tuple[float, int]:
    """The q of the most specific range matching ``offer`` (and its position, to break ties)."""
    main, _, _sub = offer.partition("/")
    best: tuple[int, float, int] | None = None  # (specificity, q, position)
    for media, q, position in ranges:
        rmain, _, rsub = media.partition("/")
        if media == offer:
            spec = 3
        elif rmain == main and rsub == "*":
            spec = 2
        elif media == "*/*":
            spec = 1
        else:
            continue
        if best is None or spec > best[0]:
            best = (spec, q, position)
    if best is None:
        return 0.0, 0
    # An explicitly named type wins ties over one reached by a wildcard.
    return best[1], -best[2] if best[0] == 3 else -10_000


def negotiate_media(header: str | None, offers: Sequence[str]) -> str:
    """The offered media type the client prefers most; raise :class:`NotAcceptable` when none is."""
    ranges = parse_accept(header)
    scored = [(_quality(o, ranges), -i, o) for i, o in enumerate(offers)]
    (q, _), _, best = max(scored)
    if q <= 0:
        raise NotAcceptable(offers)
    return best


def negotiate(header: str | None, offers: Sequence[Format], *, fallback: bool = False) -> Format:
    """The format of ``offers`` the client prefers, matching media types and their aliases.

    With ``fallback``, a header that accepts none of them gets the first offer instead of
    :class:`NotAcceptable` (SPARQL clients that ask a CONSTRUCT for results formats only, like rdflib's
    SPARQLStore with ``returnFormat="json"``, still get an RDF answer they can read).
    """
    media: list[str] = []
    owner: dict[str, Format] = {}
    for fmt in offers:
        for name in (fmt.media_type, *fmt.aliases):
            if name not in owner:
                owner[name] = fmt
                media.append(name)
    try:
        return owner[negotiate_media(header, media)]
    except NotAcceptable:
        if fallback and offers:
            return offers[0]
        raise NotAcceptable([f.media_type for f in offers]) from None


@functools.lru_cache(maxsize=256)  # clients repeat their Accept header; a refusal is raised anew
def negotiate_answer(header: str | None, *, graph_form: bool) -> Format:
    """The format of a SPARQL answer: results formats for SELECT/ASK, RDF for CONSTRUCT/DESCRIBE.

    A CONSTRUCT/DESCRIBE whose Accept names only results formats falls back to Turtle (see
    :func:`negotiate`); a SELECT/ASK that accepts no results format is refused.
    """
    if not graph_form:
        return negotiate(header, RESULT_OFFERS)
    try:
        return negotiate(header, GRAPH_OFFERS)
    except NotAcceptable:
        negotiate(header, RESULT_OFFERS)  # raises when the client takes no SPARQL format at all
        return GRAPH_OFFERS[0]
