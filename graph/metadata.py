"""Detect a report's title, issuer, year, jurisdiction and publication date from its text.

Values given by ``reports.tsv`` or the command line win; detection only fills what is missing. Sources,
most telling first: the title line (慈溪市司法局关于2023年…), the page header's 发布机构/来源 fields, the
preamble's self-reference (我局, 我镇, 本机关) with the level it names (市司法局, 镇人民政府), and the
places the text names most (法治慈溪). Places come from the national gazetteer; a name several places share
is read inside the other places the report names. When a field cannot be told, :class:`MetadataError`
says which, why, and which option supplies it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from rolkg.graph.extract.places import Jurisdiction, canonical_name, fold, locate
from rolkg.graph.gazetteer import Place, gazetteer
from rolkg.graph.model import ReportMeta
from rolkg.graph.segment import Layout
from rolkg.graph.text import title_text

from rolkg.errors import ExtractionError

_HAN = "\u4e00-\u9fff"
# The organ part of an issuer's name, longest first.
_ORG_SUFFIX = (
    r"(?:司法局|司法厅|人民政府办公[室厅]|人民政府|政府办公[室厅]|政府|街道办事处|办事处|"
    r"依法治[省市区县]办|委员会办公室|委员会|办公[室厅]|[^\s,，。、的和与及关于年]{1,10}?(?:局|厅|部|署|委))"
)
_ISSUER_IN_TITLE = re.compile(rf"^([{_HAN}()（）]{{0,40}}?{_ORG_SUFFIX})(?:关于|\d{{4}}\s*年|年度|法治)")
_YEAR = re.compile(r"(20\d{2})\s*年")
_DATE = re.compile(
    r"(?:发布日期|发文日期|生成日期|成文日期|发布时间)[\s:：|]*(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})"
)
# Header fields that name the publishing body (a page's 发布机构 / 来源 / 发文机关).
_HEADER_ORG = re.compile(
    rf"(?:发布机构|发文机关|发布单位|信息来源|来源)[\s:：|]*([{_HAN}()（）]{{2,30}}?{_ORG_SUFFIX})(?![{_HAN}])"
)
# The preamble naming its issuer by level alone: 2024年以来,市司法局…; 今年,镇政府…
_BARE_ORG = re.compile(
    rf"(?:^|[,，。\n:：])\s*(?:今年以来|\d{{4}}年(?:以来|度)?)?[,，]?\s*([省市区县镇乡]|街道)({_ORG_SUFFIX})"
)
# A ministry or national body: a name with no place in it, ending in 部/总局/署, or the State Council.
_NATIONAL_ORG = re.compile(
    rf"^(?:中华人民共和国)?(?:国务院|(?:国家)?[{_HAN}]{{1,10}}(?:部|总局|署)|国家[{_HAN}]{{1,10}}局)$"
)


class MetadataError(ExtractionError):
    """A metadata field cannot be told from the text; the message names it and the option to pass."""


def detect(layout: Layout, given: ReportMeta) -> ReportMeta:
    """Fill the fields of ``given`` that are None from the text."""
    norm = fold(layout.norm)
    title = given.title or (title_text(layout.title.quote(layout.text)) if layout.title else None)
    header = norm[: layout.preamble.start]
    opening = norm[layout.preamble.start : layout.preamble.start + 300]
    # Detection reads the title in the simplified view (區 → 区); the title kept is the published one.
    seen_title = given.title or (title_text(layout.title.quote(layout.norm)) if layout.title else None)
    year = given.year or _year(fold(seen_title or ""), opening[:200])
    issuer, place = given.issuer, None
    if given.jurisdiction:
        place = _given_place(given.jurisdiction)
    if issuer is None:
        issuer, found = _issuer(fold(seen_title or ""), header, opening, norm, place)
        place = place or found
    if place is None and issuer:
        place = _place_of_issuer(fold(issuer), norm)
    jurisdiction = given.jurisdiction or (gazetteer().path(place) if place else None)
    issued = given.issued or _issued(norm[: max(layout.preamble.start, 1)])
    return replace(given, title=title, issuer=issuer, year=year, jurisdiction=jurisdiction, issued=issued)


def _given_place(jurisdiction: str) -> Place:
    try:
        return Jurisdiction.parse(jurisdiction).unit
    except ValueError as err:
        raise MetadataError(
            f"jurisdiction {jurisdiction!r} is not a place of the gazetteer, or names several places: "
            "pass --jurisdiction as a full path (e.g. 浙江省宁波市慈溪市) or a 行政区划代码 (e.g. 330282)"
        ) from err


def _year(title: str, preamble: str) -> int | None:
    for source in (title, preamble):
        m = _YEAR.search(source)
        if m:
            return int(m.group(1))
    return None


def _issuer(
    title: str, header: str, opening: str, norm: str, given_place: Place | None
) -> tuple[str | None, Place | None]:
    """(canonical issuer, its place) from the title, the header, then the preamble."""
    m = _ISSUER_IN_TITLE.match(title)
    if m:
        return _qualify(m.group(1), norm, given_place)
    context_place = given_place or _main_place(norm)
    # A title naming a place but no body (2024年度鄞州区法治政府建设工作报告): the government's report.
    if title and "法治" in title:
        place = locate(title, context_place, norm, strict=True) or _township(title, norm)
        if place is not None and place.level != "national":
            return canonical_name(place) + _government(place), place
    for m in _HEADER_ORG.finditer(header):
        found = _qualify(m.group(1), norm, given_place)
        if found[0] and found[1] is not None:
            return found
    # The preamble names the issuer by level (市司法局) or by itself (我局): read in the text's place.
    m = _BARE_ORG.search(opening)
    if m and context_place is not None:
        unit = Jurisdiction(context_place).unit_for(m.group(1))
        if unit is not None:
            organ = re.sub(r"(?<!人民)政府$", "人民政府", m.group(2))
            return canonical_name(unit) + organ, unit
    return None, None


def _government(place: Place) -> str:
    return "办事处" if place.level == "township" and place.name.endswith("街道") else "人民政府"


def _qualify(org: str, norm: str, given_place: Place | None) -> tuple[str | None, Place | None]:
    """奉化区司法局 → (宁波市奉化区司法局, 奉化区); 姜山镇人民政府 read inside the text's county; 司法部 → the
    country. (None, None) when the name holds no place it can be read in."""
    org = re.sub(r"(?<!人民)政府$", "人民政府", org)
    if _NATIONAL_ORG.match(org) and not any(True for _ in gazetteer().scan(org)):
        return org, gazetteer().country
    place = locate(org, given_place, norm, strict=True)
    if place is None:
        anchor = given_place or _main_place(norm)
        place = locate(org, anchor, norm, strict=True) if anchor is not None else None
    if place is None:
        place = _township(org, norm)
    if place is None:
        _ambiguous(org, norm)
        # A place the gazetteer does not know (某某区): the name as written, with no jurisdiction.
        return (org, None) if _names_a_unit(org) else (None, None)
    rest = _after_places(org, place)
    if rest is None:
        return org, place
    return canonical_name(place) + rest, place


_TOWNSHIP = re.compile(rf"[{_HAN}]{{1,8}}?(?:镇|乡|街道)")


def _township(org: str, norm: str) -> Place | None:
    """A township named without its county (横渠镇人民政府): the one of that name in the whole country, or
    the one inside a place the text names (眉县). Raises when several remain."""
    g = gazetteer()
    for i in range(len(org)):
        m = _TOWNSHIP.match(org, i)
        if not m:
            continue
        cands = g.townships_named(m.group(0))
        if not cands:
            continue
        if len(cands) > 1:
            named = {q.code for _, _, qs in g.scan(norm, short=True) for q in qs}
            cands = [t for t in cands if any(a.code in named for a in g.chain(t)[:-1])] or cands
        if len(cands) == 1:
            return cands[0]
        options = "、".join(g.path(p) for p in cands[:4])
        raise MetadataError(
            f"jurisdiction: {m.group(0)} is the name of {len(cands)} townships ({options}…) and the text "
            f"does not name its county; pass --jurisdiction (e.g. {g.path(cands[0])})"
        )
    return None


def _names_a_unit(org: str) -> bool:
    """Whether an issuer's name starts with an administrative unit, known or not (某某区司法局)."""
    return bool(
        re.match(
            rf"[{_HAN}]{{1,12}}?(?:省|自治区|市|州|盟|区|县|旗|镇|乡|街道)(?=司法|人民政府|政府|办事处|[局委厅])",
            org,
        )
    )


def _after_places(org: str, place: Place) -> str | None:
    """The organ part after the last place name of ``org`` (宁波市奉化区司法局 → 司法局)."""
    i = org.rfind(place.name)
    if i < 0:
        return None
    return org[i + len(place.name) :] or None


def _ambiguous(name: str, norm: str) -> None:
    """Raise when the name's place is one several places share; quiet when it names no place at all."""
    g = gazetteer()
    for _, _, cands in g.scan(name):
        if len(cands) > 1:
            options = "、".join(g.path(p) for p in cands[:4])
            raise MetadataError(
                f"jurisdiction: {cands[0].name} is the name of {len(cands)} places ({options}) and the text "
                f"does not say which; pass --jurisdiction (e.g. {g.path(cands[0])})"
            )


def _place_of_issuer(issuer: str, norm: str) -> Place | None:
    if _NATIONAL_ORG.match(issuer) and not any(True for _ in gazetteer().scan(issuer)):
        return gazetteer().country
    place = locate(issuer, None, norm, strict=True)
    if place is None:
        anchor = _main_place(norm)
        place = locate(issuer, anchor, norm, strict=True) if anchor else None
    if place is None:
        _ambiguous(issuer, norm)
    return place


def _main_place(norm: str) -> Place | None:
    """The place the text names most often, full or short (法治慈溪), among those named at least twice;
    the most specific when counts tie."""
    g = gazetteer()
    counts: Counter[str] = Counter()
    for _, _, cands in g.scan(norm, short=True):
        if len(cands) == 1:
            counts[cands[0].code] += 1
    ranked = [(n, code) for code, n in counts.items() if n >= 2]
    if not ranked:
        return None
    depth = {"provincial": 1, "municipal": 2, "county": 3, "township": 4}
    best = max(ranked, key=lambda nc: (nc[0], depth.get(g.by_code[nc[1]].level, 0)))
    return g.by_code[best[1]]


def _issued(header: str) -> str | None:
    m = _DATE.search(header)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}"
