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


# A date after a title: (2025-03-26), （2025年3月26日）, 2025-03-26, [2025/3/26].
_TRAILING_DATE = re.compile(
    r"[\s_\-—|]*[(\[【]?\s*20\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*[)\]】]?\s*$"
)
# A site or column name a page appends to its title: "…报告_某市人民政府门户网站", "…报告 - 政务公开".
_SITE_TAIL = re.compile(
    r"\s*(?:[_|｜]|\s[-—–]+\s?|--|——)\s*[^_|｜]*?(?:网站|门户|网|政务公开|信息公开|首页|频道|专栏|栏目)[^_|｜]*$"
)


def trim_title(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a title's span ``[start, end)`` so that a trailing date or site name is left out."""
    for _ in range(3):  # "…报告_某市人民政府网(2025-03-26)" carries both
        line = text[start:end]
        m = _TRAILING_DATE.search(line) or _SITE_TAIL.search(line)
        if not m or m.start() < 4:
            break
        end = start + m.start()
        start, end = strip_span(text, start, end)
    return start, end


def title_text(text: str) -> str:
    """A title as one line: line breaks inside a two-line title removed (spaces between CJK dropped)."""
    parts = [p.strip(" \t\r\u3000") for p in text.split("\n")]
    return squeeze("".join(p for p in parts if p))


# -- traditional characters ----------------------------------------------------------------------------
# Some sites publish in traditional characters (Big5 pages, 繁體 versions). Extraction reads a simplified
# view of the same length (OpenCC's t2s, phrase-aware, one line at a time, falling back to one character
# at a time where a phrase would change the length), so every offset found in the view is an offset in
# the text as published.

_MIN_CONVERTED = 5  # characters that change under t2s before a text counts as traditional
_MIN_SHARE = 0.02  # ... and their share of the Han characters


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc  # imported lazily: only traditional texts need it

    return opencc.OpenCC("t2s")


def _convert_line(line: str) -> str:
    out = _t2s().convert(line)
    if len(out) == len(line):
        return out
    return "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in line)


def to_simplified(text: str) -> str:
    """The text in simplified characters, one character for one (offsets stay valid)."""
    return "\n".join(_convert_line(line) for line in text.split("\n"))


def simplified_view(text: str) -> str:
    """``text`` itself when it is written in simplified characters, else :func:`to_simplified` of it."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text[:4000]):
        return text
    view = to_simplified(text)
    changed = sum(a != b for a, b in zip(text, view, strict=True))
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    return view if changed >= _MIN_CONVERTED and changed >= _MIN_SHARE * han else text


class Script:
    """Maps names read from a report's simplified view back to the characters it was published in."""

    def __init__(self, text: str, view: str) -> None:
        self.traditional = text is not view and text != view
        counts: dict[str, dict[str, int]] = {}
        if self.traditional:
            for a, b in zip(text, view, strict=True):
                if a != b:
                    per = counts.setdefault(b, {})
                    per[a] = per.get(a, 0) + 1
        # A simplified character may stand for several traditional ones (干: 幹/乾); take the report's usual one.
        self._back = {b: max(per, key=lambda k: per[k]) for b, per in counts.items()}

    def published(self, name: str) -> str:
        """``name`` as the report writes it (unchanged for a report in simplified characters)."""
        if not self._back:
            return name
        return "".join(self._back.get(ch, ch) for ch in name)

    def simplified(self, name: str) -> str:
        return to_simplified(name) if self.traditional else name
