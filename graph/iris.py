"""Deterministic, readable IRIs: ``https://w3id.org/rolkg/id/{kind}/{slug}`` with pinyin slugs."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef
from rolkg.graph.namespaces import GRAPH, ID

MAX_SLUG = 60
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_len: int = MAX_SLUG) -> str:
    """Lowercase ASCII slug of ``text``: Chinese as tone-less pinyin, other scripts transliterated or dropped.

    Too long a slug is cut and suffixed with a short hash of the whole text, so it stays unique.
    """
    # Imported here, not above: pypinyin's tables are ~54 MB of memory, which the server (reading IRIs
    # minted at build time) never needs.
    from pypinyin import Style, lazy_pinyin

    normal = unicodedata.normalize("NFKC", text).strip()
    # Syllables of one run of Chinese are joined; anything between runs becomes a hyphen.
    joined = "".join(lazy_pinyin(normal, style=Style.NORMAL, errors=lambda s: [s]))
    slug = _NON_SLUG.sub("-", joined.lower()).strip("-")
    if not slug:
        return _digest(normal)
    if len(slug) > max_len:
        slug = slug[: max_len - 7].rstrip("-") + "-" + _digest(normal)
    return slug


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def mint(kind: str, slug: str) -> URIRef:
    """The IRI of a resource of ``kind`` (report, initiative, body, …) with an already-made slug."""
    return ID[f"{kind}/{slug}"]


def report_graph(report_slug: str) -> URIRef:
    """The named graph that holds one report's triples."""
    return GRAPH[f"report/{report_slug}"]


def slug_of(iri: str) -> tuple[str, str] | None:
    """``(kind, slug)`` of a data IRI, or None when it is not one of ours."""
    base = str(ID)
    if not iri.startswith(base):
        return None
    kind, _, slug = iri[len(base) :].partition("/")
    return (kind, slug) if kind and slug else None


def digest(*parts: str) -> str:
    """A short stable hash of several strings (for link IRIs)."""
    return _digest("\x1f".join(parts))
