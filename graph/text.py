"""Normalising report text without losing offsets into the original.

Reports mix full-width and ASCII punctuation and digits (，/, （/( ：/: ０/0). Matching is done on an
NFKC-normalised copy of the same length, so an offset found in the copy is an offset in the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Sentence and clause delimiters after normalisation (full-width forms become ASCII under NFKC).
SENTENCE_END = "。!?"
CLAUSE_END = SENTENCE_END + ";,:、"


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch)
    # Keep a 1:1 character map: a character whose normal form is longer (… → ..., ① → 1) stays as it is.
    return out if len(out) == 1 else ch


def normalize(text: str) -> str:
    """NFKC per character, same length as ``text``; also folds the ideographic space to a space."""
    return "".join(_norm_char(ch) for ch in text)


_WS = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Collapse whitespace (for labels)."""
    return _WS.sub(" ", text).strip()


def strip_span(text: str, start: int, end: int, chars: str = " \t\r\n\u3000|") -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with any of ``chars``."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def sentences(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``norm[start:end]`` into sentences (each keeps its closing 。), skipping empty ones."""
    out: list[tuple[int, int]] = []
    i = start
    for j in range(start, end):
        if norm[j] in SENTENCE_END or norm[j] == "\n":
            s, e = strip_span(norm, i, j + 1 if norm[j] != "\n" else j)
            if e > s and any(c.isalnum() for c in norm[s:e]):
                out.append((s, e))
            i = j + 1
    s, e = strip_span(norm, i, end)
    if e > s and any(c.isalnum() for c in norm[s:e]):
        out.append((s, e))
    return out


_OPEN = {"《": "》", "“": "”", "〈": "〉"}


def inside_quotes(norm: str, pos: int, lookback: int = 80) -> bool:
    """Whether ``pos`` lies inside 《…》 or “…” (a name or title, not running text)."""
    lo = max(0, pos - lookback)
    for opening, closing in _OPEN.items():
        o = norm.rfind(opening, lo, pos)
        if o != -1 and norm.rfind(closing, o, pos) == -1:
            return True
    return False
