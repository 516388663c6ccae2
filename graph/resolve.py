"""Variant names of one document or facility (《…外出管理规范》 / 《…外出管理工作规范》) → one canonical name.

Two names are merged only when every hard guard agrees — the same years, the same numbers, the same places,
the same head noun — and the remaining characters are nearly the same (rapidfuzz ratio, or one name is the
other with a few filler characters such as 工作/管理/的 inserted). The canonical name of a group is the
earliest-seen one, so that a report's first wording (usually the full title) names the resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rolkg.graph.extract.documents import HEADS
from rolkg.graph.extract.places import KNOWN_PLACES, fold

__all__ = ["resolve_names", "resolve_titles", "same_title"]

THRESHOLD = 88.0
_YEAR = re.compile(r"\d{4}")
_NUMBER = re.compile(r"\d+|[一二两三四五六七八九十百千]+(?=[条项个大类])")
_FILLERS = ("工作", "管理", "实施", "有关", "的", "暂行", "试行", "进一步", "关于")
_PAREN = re.compile(r"[(（][^()（）]*[)）]")
_HEAD_NOUNS = tuple(sorted({h for _, hs in HEADS for h in hs}, key=len, reverse=True))
_FACILITY_NOUNS = (
    "分中心",
    "中心",
    "站(点)",
    "站",
    "服务点",
    "联络点",
    "基地",
    "展厅",
    "馆",
    "专区",
    "工作室",
    "专家库",
)


def _key(name: str) -> str:
    return re.sub(r"\s+", "", fold(name)).strip('《》“”"')


def _head(name: str) -> str:
    core = _PAREN.sub("", name).rstrip('”"')
    for noun in (*_HEAD_NOUNS, *_FACILITY_NOUNS):
        if core.endswith(noun):
            return noun
    return core[-2:]


@lru_cache(maxsize=1)
def _place_words() -> tuple[frozenset[str], frozenset[str], int]:
    """Place names, their stems without the level (法治慈溪 names 慈溪市), and the longest name's length."""
    names = frozenset(KNOWN_PLACES)
    stems = frozenset(p[:-1] for p in KNOWN_PLACES if len(p) >= 3)
    return names, stems, max((len(p) for p in KNOWN_PLACES), default=0)


def _places(name: str) -> set[str]:
    """The places a name mentions (by substring look-up, so the cost is the name's, not the gazetteer's)."""
    names, stems, longest = _place_words()
    found: set[str] = set()
    for i in range(len(name)):
        for j in range(i + 2, min(len(name), i + longest) + 1):
            sub = name[i:j]
            if sub in names or sub in stems:
                found.add(sub)
    return found


@dataclass(frozen=True, slots=True)
class _Features:
    """What the guards compare, computed once per name."""

    key: str
    block: tuple  # years, numbers, places, head noun: names that differ here are never merged
    parens: tuple[str, ...]
    bare: str  # without brackets and filler words


def _features(name: str) -> _Features:
    k = _key(name)
    numbers = tuple(sorted(_NUMBER.findall(_PAREN.sub("", k))))
    block = (frozenset(_YEAR.findall(k)), numbers, frozenset(_places(k)), _head(k))
    return _Features(k, block, tuple(_PAREN.findall(k)), _strip_fillers(k))


def _same(fa: _Features, fb: _Features) -> bool:
    if fa.key == fb.key:
        return True
    if fa.block != fb.block:
        return False
    if fa.parens and fb.parens and fa.parens != fb.parens:
        return False  # (周巷) vs (附海): two sites of one kind
    if fa.bare == fb.bare:
        return True
    return fuzz.ratio(fa.key, fb.key) >= THRESHOLD


def same_title(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are wordings of one title (guards first, then fuzzy similarity)."""
    return _same(_features(a), _features(b))


def _strip_fillers(s: str) -> str:
    s = _PAREN.sub("", s)
    for f in _FILLERS:
        s = s.replace(f, "")
    return s


def resolve_titles(titles: Iterable[str]) -> dict[str, str]:
    """Map each title (in first-seen order) to its canonical title, the earliest-seen variant.

    Titles are compared only within a block that shares every hard guard (years, numbers, places, head
    noun), and within a block by one vectorised similarity pass, so the cost stays near linear.
    """
    out: dict[str, str] = {}
    by_key: dict[str, str] = {}
    blocks: dict[tuple, list[tuple[str, _Features]]] = {}
    for title in titles:
        if title in out:
            continue
        f = _features(title)
        if f.key in by_key:
            out[title] = by_key[f.key]
            continue
        block = blocks.setdefault(f.block, [])
        match = _first_match(f, block)
        if match is None:
            block.append((title, f))
            by_key[f.key] = title
            out[title] = title
        else:
            out[title] = match
    return out


def _first_match(f: _Features, block: list[tuple[str, _Features]]) -> str | None:
    """The earliest canonical name in ``block`` that ``f`` is a wording of."""
    fits = [(t, g) for t, g in block if not (f.parens and g.parens and f.parens != g.parens)]
    if not fits:
        return None
    same_bare = [i for i, (_, g) in enumerate(fits) if g.bare == f.bare]
    hits = process.extract(
        f.key, [g.key for _, g in fits], scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=None
    )
    found = same_bare + [i for _, _, i in hits]
    return fits[min(found)][0] if found else None


def resolve_names(names: Iterable[str]) -> dict[str, str]:
    """Same as :func:`resolve_titles`, for facility names (the same guards apply)."""
    return resolve_titles(names)
