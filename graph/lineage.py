"""Lineage inside one report: what next year's plan continues, which shortcomings it addresses.

A planned measure continues an earlier initiative when both deal with the same document (after variant
titles are resolved) or when their wording overlaps strongly; it addresses a shortcoming when its wording
overlaps the shortcoming's. Overlap is measured on character bigrams, leaving out the words every
measure in this genre uses (推进, 加强, 法治 …), so that shared subject matter decides.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rolkg.graph.extract.report import ItemFacts, ReportFacts
from rolkg.graph.model import Span

# Words that say how hard, not what: they carry no subject matter.
_GENERIC = re.compile(
    r"进一步|持续|深化|深入|加强|加快|推进|推动|提升|提高|强化|完善|健全|建立|优化|全面|积极|不断|"
    r"落实|工作|建设|机制|体系|水平|质效|能力|法治|依法|开展|实现|严格|规范|打造|构建|探索|实施|"
    r"以及|相关|各类|等|的|和|与|及|为|在|了|是|还需|不足|不够|问题|存在|方面"
)
_PUNCT = re.compile(r"[\s,.;:!?、。“”\"'()《》〈〉【】\[\]|\d%]+")

CONTINUES_MIN = 0.30
ADDRESSES_MIN = 0.22


@dataclass(slots=True)
class Link:
    subject: ItemFacts
    relation: str  # continues | addresses
    target: ItemFacts
    evidence: tuple[Span, ...]
    score: float


def bigrams(text: str) -> set[str]:
    """Subject-matter bigrams of ``text``: generic words and punctuation removed."""
    core = _PUNCT.sub("|", _GENERIC.sub("|", text))
    return {core[i : i + 2] for i in range(len(core) - 1) if "|" not in core[i : i + 2]}


def overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def link_plans(facts: ReportFacts, canonical_title: dict[str, str]) -> list[Link]:
    """``continues`` and ``addresses`` links from each planned measure of the report."""
    norm = facts.layout.norm
    items = facts.items()
    done = [it for it in items if it.kind == "initiative"]
    planned = [it for it in items if it.kind == "planned"]
    flaws = [it for it in items if it.kind == "shortcoming"]
    text_of = {id(it): bigrams(norm[it.span.start : it.span.end]) for it in items}
    docs_of = {id(it): {canonical_title.get(d.title, d.title) for d, _ in it.documents} for it in items}
    links: list[Link] = []
    for plan in planned:
        best: tuple[float, ItemFacts] | None = None
        for earlier in done:
            shared_docs = docs_of[id(plan)] & docs_of[id(earlier)]
            score = 1.0 if shared_docs else overlap(text_of[id(plan)], text_of[id(earlier)])
            if score >= CONTINUES_MIN and (best is None or score > best[0]):
                best = (score, earlier)
        if best:
            links.append(Link(plan, "continues", best[1], (plan.span, best[1].label_span), best[0]))
        for flaw in flaws:
            score = overlap(text_of[id(plan)], text_of[id(flaw)])
            if score >= ADDRESSES_MIN:
                links.append(Link(plan, "addresses", flaw, (plan.span, flaw.span), score))
    return links
