"""Detect a report's title, issuer, year, jurisdiction and publication date from its text.

Values given by ``reports.tsv`` or the command line win; detection only fills what is missing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rolkg.graph.gazetteer import full_path, place_counts, places_in
from rolkg.graph.model import ReportMeta
from rolkg.graph.segment import Layout
from rolkg.graph.text import title_text

_ORG_SUFFIX = r"(?:司法局|人民政府|政府|司法厅|依法治[市区县]办|委员会办公室|办公室|局)"
_ISSUER_IN_TITLE = re.compile(rf"^(.{{2,20}}?{_ORG_SUFFIX})(?:关于|\d{{4}}年)")
_PLACE_ORG = re.compile(rf"([\u4e00-\u9fff]{{2,12}}?[省市区县]){_ORG_SUFFIX}")
_YEAR = re.compile(r"(20\d{2})\s*年")
_DATE = re.compile(
    r"(?:发布日期|发文日期|生成日期|成文日期|发布时间)[\s:|]*(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})"
)


def detect(layout: Layout, given: ReportMeta) -> ReportMeta:
    """Fill the fields of ``given`` that are None from the text."""
    norm = layout.norm
    title = given.title or (title_text(layout.title.quote(layout.text)) if layout.title else None)
    head = norm[: layout.preamble.start] + norm[layout.preamble.start : layout.preamble.start + 200]
    year = given.year or _year(title, norm[layout.preamble.start : layout.preamble.end][:200])
    jurisdiction = given.jurisdiction or _jurisdiction(given.issuer, title, head, norm)
    issuer = given.issuer or _issuer(title, head, jurisdiction)
    issued = given.issued or _issued(norm[: max(layout.preamble.start, 1)])
    return replace(given, title=title, issuer=issuer, year=year, jurisdiction=jurisdiction, issued=issued)


def _year(title: str | None, preamble: str) -> int | None:
    for source in (title or "", preamble):
        m = _YEAR.search(source)
        if m:
            return int(m.group(1))
    return None


def _jurisdiction(issuer: str | None, title: str | None, head: str, norm: str) -> str | None:
    for source in (issuer or "", title or "", head):
        paths = [p for p in (full_path(place) for place in places_in(source)) if p]
        if paths:
            return max(paths, key=len)  # the most specific: a county inside its city
    # No place in the title or header: the place the text names most often (慈溪 in 法治慈溪…).
    counts = place_counts(norm)
    if counts:
        best = max(
            counts, key=lambda place: (counts[place] >= 2 and len(full_path(place) or ""), counts[place])
        )
        return full_path(best)
    return None


def _issuer(title: str | None, head: str, jurisdiction: str | None) -> str | None:
    if title:
        m = _ISSUER_IN_TITLE.match(title)
        if m:
            return _qualify(m.group(1), jurisdiction)
    for m in _PLACE_ORG.finditer(head):
        if places_in(m.group(1)):
            return _qualify(m.group(0), jurisdiction)
    m = _BARE_ORG.search(head)
    if m and jurisdiction:
        return _qualify(_local_name(jurisdiction) + m.group(2), jurisdiction)
    if jurisdiction and title and "政府" in title:
        return _local_name(jurisdiction) + "人民政府"
    return None


# "2024年以来,市司法局…": the issuer named by its level alone, at the start of the preamble.
_BARE_ORG = re.compile(rf"(?:^|[,，。\n])\s*([市区县])({_ORG_SUFFIX})")


def _local_name(jurisdiction: str) -> str:
    """浙江省宁波市鄞州区 → 宁波市鄞州区 (a district keeps its city); 浙江省宁波市慈溪市 → 慈溪市; …安吉县 → 安吉县."""
    rest = jurisdiction.removeprefix("浙江省") if jurisdiction.startswith("浙江省") else jurisdiction
    parts = re.findall(r"[^省市区县]+[省市区县]", rest)
    if len(parts) >= 2 and parts[-1].endswith("区"):  # counties and county-level cities stand alone
        return parts[-2] + parts[-1]
    return parts[-1] if parts else rest


def _qualify(org: str, jurisdiction: str | None) -> str:
    """奉化区司法局 → 宁波市奉化区司法局; 鄞州区政府 → 宁波市鄞州区人民政府; full names stay."""
    org = re.sub(r"(?<!人民)政府$", "人民政府", org)
    if not jurisdiction:
        return org
    local = _local_name(jurisdiction)
    places = places_in(org)
    if places and local.endswith(places[0]) and not org.startswith(local):
        return local[: local.index(places[0])] + org
    return org


def _issued(header: str) -> str | None:
    m = _DATE.search(header)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}"
