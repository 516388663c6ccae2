"""China's administrative divisions: every province, prefecture, county and township with its official
code (行政区划代码), parent and pinyin, read from ``data/places/divisions.tsv`` (built by
``data/places/make_divisions.py`` from the Ministry of Civil Affairs' table; see DESIGN.md).

Names are found in text with one left-to-right pass (a dict per name length), so the cost is linear in
the text. A name that several places share (朝阳区, 城关镇) is narrowed by the chain around it: the places
named just before it (广东省深圳市南山区), or an anchor such as the report's own county.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from rdflib import URIRef
from rolkg.data import HERE as DATA_DIR
from rolkg.graph.namespaces import ID

DIVISIONS = DATA_DIR / "places" / "divisions.tsv"
NATIONAL_CODE = "100000"  # the whole country, as in the national standard's tables (GB/T 2260 root)
LEVELS = {0: "national", 1: "provincial", 2: "municipal", 3: "county", 4: "township"}

# Generic endings, longest first: stripping one gives the short name used in running text (宁波市 → 宁波).
_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "新区",
    "林区",
    "特区",
    "地区",
    "街道",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
    "镇",
    "乡",
)
_MAX_NAME = 16


@dataclass(frozen=True, slots=True)
class Place:
    """One administrative division."""

    code: str
    name: str  # official name: 宁波市, 慈溪市, 景宁畲族自治县, 姜山镇
    level: str  # national | provincial | municipal | county | township
    parent: str | None  # parent's code; None for the country
    pinyin: str  # Ningbo Shi

    @property
    def is_district(self) -> bool:
        """A city district (鄞州区, 朝阳区): named with its city in canonical names."""
        return self.level == "county" and self.name.endswith("区")


class Gazetteer:
    """Lookup by code and by name, chains, and linear name scanning over text."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.by_code: dict[str, Place] = {}
        self.children: dict[str, list[Place]] = {}
        self._names: dict[str, list[Place]] = {}  # full names, levels 1-3
        self._short: dict[str, list[Place]] = {}  # short names, levels 1-3
        for p in places:
            self.by_code[p.code] = p
            if p.parent is not None:
                self.children.setdefault(p.parent, []).append(p)
            if p.level in ("provincial", "municipal", "county"):
                self._names.setdefault(p.name, []).append(p)
                short = short_name(p.name)
                if short != p.name and len(short) >= 2:
                    self._short.setdefault(short, []).append(p)
        self.country = self.by_code[NATIONAL_CODE]
        # First character → the lengths of names starting with it, longest first: most characters of a
        # text start no name, so the scan does one dict lookup there.
        self._full_first = _first_chars(self._names)
        self._short_first = _first_chars(self._short)
        self._town_index: dict[str, list[Place]] = {}

    # -- structure -------------------------------------------------------------------------------
    def get(self, code: str) -> Place | None:
        return self.by_code.get(code)

    def parent(self, place: Place) -> Place | None:
        return self.by_code.get(place.parent) if place.parent else None

    def chain(self, place: Place) -> tuple[Place, ...]:
        """From the province down to ``place`` (the country itself is its own one-place chain)."""
        out: list[Place] = []
        p: Place | None = place
        while p is not None and p.code != NATIONAL_CODE:
            out.append(p)
            p = self.parent(p)
        return tuple(reversed(out)) or (self.country,)

    def within(self, place: Place, ancestor: Place) -> bool:
        """Whether ``place`` is ``ancestor`` or lies inside it."""
        return ancestor.code == NATIONAL_CODE or any(p.code == ancestor.code for p in self.chain(place))

    def path(self, place: Place) -> str:
        """The textual path, province down: 浙江省宁波市慈溪市; 全国 for the country."""
        return "".join(p.name for p in self.chain(place))

    def townships(self, county: Place) -> dict[str, Place]:
        """The townships and streets directly under ``county`` (or a prefecture without counties)."""
        return {p.name: p for p in self.children.get(county.code, []) if p.level == "township"}

    # -- names -----------------------------------------------------------------------------------
    def named(self, name: str, *, short: bool = False, under: Place | None = None) -> list[Place]:
        """Places (levels 1-3) called ``name`` (or, with ``short``, 宁波 for 宁波市), optionally inside
        ``under``; townships only when ``under`` is given."""
        found = list(self._names.get(name, ()))
        if short:
            found += [p for p in self._short.get(name, ()) if p not in found]
        if under is not None:
            found = [p for p in found if self.within(p, under)]
            found += [t for t in self._townships_named(name, under) if t not in found]
        return found

    def townships_named(self, name: str) -> list[Place]:
        """Every township in the country called ``name`` (built on first use)."""
        if not self._town_index:
            for p in self.by_code.values():
                if p.level == "township":
                    self._town_index.setdefault(p.name, []).append(p)
        return list(self._town_index.get(name, ()))

    def _townships_named(self, name: str, under: Place) -> list[Place]:
        if under.level == "township":
            return [under] if under.name == name else []
        if under.level not in ("county", "municipal"):
            return []
        counties = [under] + (
            [c for c in self.children.get(under.code, [])] if under.level == "municipal" else []
        )
        return [t for c in counties if (t := self.townships(c).get(name))]

    def scan(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        *,
        short: bool = False,
        under: Place | None = None,
    ) -> Iterator[tuple[int, int, list[Place]]]:
        """Place names in ``text[start:end]``, longest at each position, left to right, not overlapping:
        ``(start, end, candidates)``. Townships are looked for only inside ``under``."""
        end = len(text) if end is None else end
        towns = self.towns_under(under)
        town_first = _first_chars({name: [] for name in towns})
        i, last_end = start, -1
        while i < end:
            ch = text[i]
            lengths = self._full_first.get(ch, ())
            if short and ch in self._short_first:
                lengths = tuple(sorted({*lengths, *self._short_first[ch]}, reverse=True))
            if ch in town_first:
                lengths = tuple(sorted({*lengths, *town_first[ch]}, reverse=True))
            if not lengths:
                i += 1
                continue
            hit: tuple[int, list[Place]] | None = None
            # A two-character name (南县, 城区) inside a longer word (湖南县级, 老城区) is not that place.
            loose = i > 0 and i != last_end and _is_han(text[i - 1])
            for n in lengths:
                if n > end - i:
                    continue
                word = text[i : i + n]
                cands = self._names.get(word) if not (n == 2 and loose) else None
                if not cands and short:
                    cands = self._short.get(word)
                if not cands and word in towns:
                    cands = [towns[word]]
                if cands:
                    hit = (n, cands)
                    break
            if hit:
                yield i, i + hit[0], hit[1]
                i = last_end = i + hit[0]
            else:
                i += 1

    def towns_under(self, under: Place | None) -> dict[str, Place]:
        """Townships inside ``under`` by name (a county's own, or every county's of a prefecture)."""
        if under is None or under.level == "provincial" or under.code == NATIONAL_CODE:
            return {}
        if under.level == "township":
            return {under.name: under}
        out = dict(self.townships(under))
        if under.level == "municipal":
            for county in self.children.get(under.code, []):
                for name, town in self.townships(county).items():
                    out.setdefault(name, town)
        return out

    def resolve_chain(self, matches: Iterable[list[Place]], anchor: Place | None = None) -> Place | None:
        """The deepest place of a run of names that nest (广东省 深圳市 南山区): each name is read inside
        the place before it. None when a name stays ambiguous."""
        current = anchor
        for cands in matches:
            inside = [p for p in cands if current is None or self.within(p, current)]
            if not inside:
                continue  # a name outside the chain (a neighbour mentioned in passing)
            if len(inside) > 1:
                return None
            current = inside[0]
        return current

    def lookup_path(self, text: str) -> Place | None:
        """The place a path or name stands for: 浙江省宁波市慈溪市, 慈溪市, 宁波, 330282, 全国."""
        text = text.strip()
        if text in ("全国", "中国", "中华人民共和国", NATIONAL_CODE):
            return self.country
        if text.isdigit():
            return self.by_code.get(text)
        place: Place | None = None
        i = 0
        while i < len(text):
            for n in range(min(_MAX_NAME, len(text) - i), 1, -1):
                word = text[i : i + n]
                cands = self.named(word, short=True, under=place) if place else self.named(word, short=True)
                if cands:
                    if len(cands) > 1:
                        return None
                    place, i = cands[0], i + n
                    break
            else:
                return None  # something in the path that is not a place inside the one before
        return place


# The 56 nationalities' names, for the ethnic part of an autonomous area's name (景宁畲族自治县 → 景宁).
_ETHNIC = tuple(
    sorted(
        [
            "汉",
            "蒙古",
            "回",
            "藏",
            "维吾尔",
            "苗",
            "彝",
            "壮",
            "布依",
            "朝鲜",
            "满",
            "侗",
            "瑶",
            "白",
            "土家",
            "哈尼",
            "哈萨克",
            "傣",
            "黎",
            "傈僳",
            "佤",
            "畲",
            "高山",
            "拉祜",
            "水",
            "东乡",
            "纳西",
            "景颇",
            "柯尔克孜",
            "土",
            "达斡尔",
            "仫佬",
            "羌",
            "布朗",
            "撒拉",
            "毛南",
            "仡佬",
            "锡伯",
            "阿昌",
            "普米",
            "塔吉克",
            "怒",
            "乌孜别克",
            "俄罗斯",
            "鄂温克",
            "德昂",
            "保安",
            "裕固",
            "京",
            "塔塔尔",
            "独龙",
            "鄂伦春",
            "赫哲",
            "门巴",
            "珞巴",
            "基诺",
        ],
        key=len,
        reverse=True,
    )
)


def _first_chars(names: dict[str, list[Place]]) -> dict[str, tuple[int, ...]]:
    out: dict[str, set[int]] = {}
    for name in names:
        out.setdefault(name[0], set()).add(len(name))
    return {ch: tuple(sorted(ns, reverse=True)) for ch, ns in out.items()}


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def short_name(name: str) -> str:
    """宁波市 → 宁波, 景宁畲族自治县 → 景宁, 广西壮族自治区 → 广西; a stem shorter than two characters
    keeps the whole name (盂县)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            return _drop_ethnic(stem) if suffix.startswith("自治") else stem
    return name


def _drop_ethnic(stem: str) -> str:
    """Strip the nationalities from the end of an autonomous area's stem: 恩施土家族苗族 → 恩施."""
    while True:
        body = stem[:-1] if stem.endswith("族") else stem
        for ethnic in _ETHNIC:
            if body.endswith(ethnic) and len(body) - len(ethnic) >= 2 and (body != stem or len(ethnic) > 1):
                stem = body[: -len(ethnic)]
                break
        else:
            return stem


def place_iri(place: Place) -> URIRef:
    """https://w3id.org/rolkg/id/place/{code}."""
    return ID[f"place/{place.code}"]


@cache
def gazetteer() -> Gazetteer:
    """The national gazetteer (loaded once)."""
    return Gazetteer(_read(DIVISIONS))


def _read(path) -> Iterator[Place]:  # type: ignore[no-untyped-def]
    yield Place(NATIONAL_CODE, "全国", "national", None, "Quanguo")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            code, parent, level, name, pinyin = line.rstrip("\n").split("\t")
            yield Place(code, name, LEVELS[int(level)], parent or NATIONAL_CODE, pinyin)
