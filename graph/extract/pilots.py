"""Pilots and trial reforms: clauses that 试点, 探索 or 先行先试 a new way of working."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rolkg.graph.model import Span
from rolkg.graph.text import inside_quotes, strip_span

_PILOT = re.compile(r"试点|探索|先行先试|先行区|示范点")
# 探索 followed by an abstract gain (探索经验) is not a trial of something specific.
_NOT_PILOT = re.compile(r"探索(?:经验|成果)|积极探索的")
_SCALES = re.compile(r"以.{0,40}试点.{0,4}为(?:契机|抓手|基础|依托)|(?:推广|复制|全面推开|全覆盖|扩面)")
_CLAUSE = re.compile(r"[^,;。:!?\n]+")


@dataclass(slots=True)
class PilotMention:
    label: str
    span: Span
    scaled: bool  # the sentence scales the pilot up (以…试点为契机…推进全覆盖): the parent scaledFrom it


def find_pilots(norm: str, start: int, end: int) -> list[PilotMention]:
    """Each clause in ``norm[start:end]`` that announces a pilot or trial (spans index the original)."""
    out: list[PilotMention] = []
    for m in _CLAUSE.finditer(norm, start, end):
        clause = m.group(0)
        hit = _PILOT.search(clause)
        if not hit or _NOT_PILOT.search(clause) or len(clause.strip()) < 6:
            continue
        if inside_quotes(norm, m.start() + hit.start()):
            continue  # 《…试点工作的通知》 names a document; “…探索…” names a brand
        s, e = strip_span(norm, m.start(), m.end(), " \t\r\n\u3000|、")
        sentence_end = norm.find("。", e)
        sentence = norm[s : sentence_end if sentence_end != -1 else end]
        out.append(PilotMention(norm[s:e], Span(s, e), bool(_SCALES.search(sentence))))
    return out
