"""HTTP content negotiation: pick the best offered media type for an ``Accept`` header (RFC 9110 q-values)."""

from __future__ import annotations

from collections.abc import Sequence

# Offers, first = default for */* or a missing Accept header.
RESULT_TYPES: tuple[str, ...] = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
)
GRAPH_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/xml",
    "text/plain",
)
# Aliases answered in a canonical type (a client asking for application/json gets SPARQL JSON results).
CANONICAL: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
}
GRAPH_CANONICAL: dict[str, str] = {
    "application/xml": "application/rdf+xml",
    "text/plain": "application/n-triples",
}


class NotAcceptable(Exception):
    """None of the offered media types is acceptable; the message lists what can be given."""

    def __init__(self, offers: Sequence[str]) -> None:
        self.offers = tuple(offers)
        super().__init__("cannot answer in any accepted media type; available: " + ", ".join(self.offers))


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` for each part of an Accept header; malformed q counts as 0."""
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


def negotiate(header: str | None, offers: Sequence[str]) -> str:
    """The offer the client prefers most; ties keep the server's order. Raise :class:`NotAcceptable`."""
    ranges = parse_accept(header)
    scored = [(_quality(o, ranges), -i, o) for i, o in enumerate(offers)]
    (q, _), _, best = max(scored)
    if q <= 0:
        raise NotAcceptable(offers)
    return best
