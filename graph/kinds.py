"""Kinds of measure (``ontology/kinds.ttl``): which kind a facility's name or a measure's text names.

A kind's labels (zh prefLabel and altLabels) are names used across the genre (行政执法监督观察站,
新时代法治实践站, 法治体检 …). A facility gets the kind whose label its name contains; a measure gets
each programme kind its text names. When labels overlap (调解委员会 / 商会调解委员会) the longest wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, URIRef
from rolkg.graph.namespaces import ROL, SKOS
from rolkg.graph.text import normalize
from rolkg.ontology import KINDS_TTL


@dataclass(frozen=True, slots=True)
class KindMatch:
    kind: URIRef
    start: int  # offsets into the text searched
    end: int


@lru_cache(maxsize=1)
def _tables() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, URIRef]]:
    g = Graph().parse(KINDS_TTL)
    by_label: dict[str, URIRef] = {}
    facility: list[str] = []
    programme: list[str] = []
    for kind in sorted(g.subjects(SKOS.inScheme, ROL.kinds)):
        is_facility = g.value(kind, ROL.appliesTo) == ROL.Facility
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in g.objects(kind, prop):
                if getattr(label, "language", None) != "zh":
                    continue
                text = normalize(str(label))
                by_label[text] = kind  # type: ignore[assignment]
                (facility if is_facility else programme).append(text)

    def alternation(labels: list[str]) -> re.Pattern[str]:
        ordered = sorted(set(labels), key=lambda s: (-len(s), s))  # longest first: the regex takes the first
        return re.compile("|".join(re.escape(s) for s in ordered))

    return alternation(facility), alternation(programme), by_label


def facility_kind(name: str) -> URIRef | None:
    """The kind a facility's name names (the longest matching label), or None."""
    pattern, _, by_label = _tables()
    folded = normalize(name)
    hits = [m.group(0) for m in _overlapping(pattern, folded)]
    if not hits:
        return None
    return by_label[max(hits, key=len)]


def programme_kinds(text: str, offset: int = 0) -> list[KindMatch]:
    """Each mention of a recurring programme kind in ``text`` (offsets shifted by ``offset``)."""
    _, pattern, by_label = _tables()
    folded = normalize(text)  # same length as ``text``, so offsets carry over
    return [
        KindMatch(by_label[m.group(0)], offset + m.start(), offset + m.end())
        for m in pattern.finditer(folded)
    ]


def _overlapping(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Matches starting at every position, so a longer label later in a name is not hidden by a shorter one."""
    out: list[re.Match[str]] = []
    for i in range(len(text)):
        m = pattern.match(text, i)
        if m:
            out.append(m)
    return out
