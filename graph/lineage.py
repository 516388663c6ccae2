"""Lineage inside one report: the work each planned measure continues, the shortcomings it addresses.

A plan clause and a measure of the year are compared on everything the extractor found in both:
the same document (after variant titles are resolved), the same facility, the same themes, and the
words of the two texts (jieba-segmented, TF-IDF weighted, genre-generic words left out). Each pair gets
one score in [0, 1]; a link is kept when the score reaches a threshold chosen by measurement against a
hand annotation (``tests/fixtures/annotation/``), and every kept link carries its score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from rolkg.graph.extract.report import ItemFacts, ReportFacts
from rolkg.graph.model import Span
from rolkg.graph.words import Weigher, cosine, coverage, tokens

# Chosen on the annotated bundled report (see tests/test_lineage_deep.py for the figures they give).
CONTINUES_MIN = 0.18
ADDRESSES_MIN = 0.30
# A plan clause often continues more than one measure; a second target must come close to the best one.
RUNNER_UP = 0.6


@dataclass(slots=True)
class Profile:
    """What a measure's text shares with others: its words, heading words, documents, facilities, themes."""

    words: list[str]
    heading: list[str]
    documents: frozenset[str] = frozenset()
    facilities: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    vector: dict[str, float] = field(default_factory=dict)
    heading_vector: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Link:
    subject: ItemFacts
    relation: str  # continues | addresses
    target: ItemFacts
    evidence: tuple[Span, ...]
    score: float


def profile(
    text: str,
    heading: str,
    documents: frozenset[str] = frozenset(),
    facilities: frozenset[str] = frozenset(),
    themes: frozenset[str] = frozenset(),
) -> Profile:
    """A measure's :class:`Profile` (vectors are filled in by :func:`weigh`)."""
    return Profile(tokens(text), tokens(heading), documents, facilities, themes)


def weigh(profiles: list[Profile]) -> None:
    """Fill in the TF-IDF vectors, the rarity of each word taken over ``profiles``."""
    weigher = Weigher(p.words for p in profiles)
    for p in profiles:
        p.vector = weigher.vector(p.words)
        p.heading_vector = weigher.vector(p.heading)


def similarity(later: Profile, earlier: Profile) -> float:
    """How strongly ``later`` (a plan clause, or next year's work) carries on ``earlier``, in [0, 1]."""
    text = cosine(later.vector, earlier.vector)
    # A short heading (提升法律援助质效) repeated in the plan is a strong sign even in a long item.
    head = coverage(earlier.heading_vector, later.vector) if earlier.heading != earlier.words else text
    score = 0.6 * text + 0.4 * head
    if later.documents & earlier.documents:
        score += 0.35
    if later.facilities & earlier.facilities:
        score += 0.25
    if later.themes and earlier.themes:
        score += 0.1 * len(later.themes & earlier.themes) / len(later.themes | earlier.themes)
    return min(score, 1.0)


T = TypeVar("T")


def best_targets(scored: list[tuple[float, T]], threshold: float) -> list[tuple[float, T]]:
    """The targets worth linking: at or above ``threshold`` and close to the best one."""
    if not scored:
        return []
    top = max(s for s, _ in scored)
    return [(s, t) for s, t in scored if s >= threshold and s >= RUNNER_UP * top]


def item_profiles(facts: ReportFacts, canonical_title: dict[str, str]) -> dict[int, Profile]:
    """A weighted :class:`Profile` for each item of the report (keyed by ``id(item)``)."""
    text = facts.layout.norm
    items = facts.items()
    out: dict[int, Profile] = {}
    for it in items:
        out[id(it)] = profile(
            text[it.span.start : it.span.end],
            text[it.label_span.start : it.label_span.end],
            frozenset(canonical_title.get(d.title, d.title) for d, _ in it.documents),
            frozenset(f.name for f in it.facilities),
            frozenset(str(t) for t in it.themes),
        )
    weigh(list(out.values()))
    return out


def link_plans(facts: ReportFacts, canonical_title: dict[str, str]) -> list[Link]:
    """``continues`` and ``addresses`` links from each planned measure (and planned pilot) of the report."""
    items = facts.items()
    done = [it for it in items if not it.planned and it.kind in ("initiative", "pilot")]
    planned = [it for it in items if it.planned and it.kind in ("planned", "pilot")]
    flaws = [it for it in items if it.kind == "shortcoming"]
    prof = item_profiles(facts, canonical_title)
    by_path = {it.path: it for it in items}
    cont: dict[int, list[float]] = {}
    links: list[Link] = []
    for plan in planned:  # depth first: a pilot comes after the measure it belongs to
        mine = prof[id(plan)]
        own = [similarity(mine, prof[id(w)]) for w in done]
        parent = by_path.get(plan.parent_path)
        if plan.kind == "pilot" and parent is not None and id(parent) in cont:
            # A planned trial is a clause of its measure: it carries on what the measure carries on.
            own = [max(a, b) for a, b in zip(own, cont[id(parent)], strict=True)]
        cont[id(plan)] = own
        for score, work in best_targets(list(zip(own, done, strict=True)), CONTINUES_MIN):
            links.append(Link(plan, "continues", work, (plan.span, work.label_span), round(score, 3)))
        scored = [(similarity(mine, prof[id(f)]), f) for f in flaws]
        for score, flaw in best_targets(scored, ADDRESSES_MIN):
            links.append(Link(plan, "addresses", flaw, (plan.span, flaw.span), round(score, 3)))
    return links
