"""Recognitions received: selections (入选), endorsements (批示肯定), publications (录用), awards (获评)."""

from __future__ import annotations

import re

from rolkg.graph.model import RecognitionMention, Span
from rolkg.graph.text import inside_quotes, strip_span

_RECOGNITION = re.compile(
    r"入选|被评为|获评|评为|被命名为|命名为|授予|批示肯定|肯定性批示|录用|刊发|推广|获(?:得)?[^,;。]{0,20}(?:奖|优秀|表彰|称号)"
)
_SENTENCE = re.compile(r"[^。;!?\n]+")


def find_recognitions(norm: str, start: int, end: int) -> list[RecognitionMention]:
    """Each clause in ``norm[start:end]`` that reports a recognition, with its span."""
    out: list[RecognitionMention] = []
    for m in _SENTENCE.finditer(norm, start, end):
        clause_start = m.start()
        for c in _CLAUSE.finditer(norm, m.start(), m.end()):
            hit = _RECOGNITION.search(c.group(0))
            if not hit or inside_quotes(norm, c.start() + hit.start()):
                continue
            if hit.group(0) == "推广" and not re.search(r"[被获].{0,20}推广", c.group(0)):
                continue
            # A clause too short to name what was recognized takes the clause before it along.
            s = c.start() if c.end() - c.start() >= 10 else clause_start
            s, e = strip_span(norm, s, c.end(), " \t\r\n\u3000|,")
            out.append(RecognitionMention(label=norm[s:e], span=Span(s, e)))
            clause_start = c.end() + 1
    return out


_CLAUSE = re.compile(r"[^,]+")
