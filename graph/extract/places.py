"""Places: text folding with a 1:1 offset map, canonical place names, and the report's jurisdiction.

Shared by the body, document and facility extractors so that 市/区/省 resolve the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rolkg.graph.gazetteer import Place, gazetteer


def fold(text: str) -> str:
    """NFKC per character, keeping the original character when NFKC would change the length.

    The result has exactly ``len(text)`` characters, so offsets found in it index the original text.
    """
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def canonical_name(place: Place) -> str:
    """One name per place across reports: a district with its city (宁波市鄞州区, 北京市朝阳区), a county or
    county-level city alone (慈溪市), a township after its county's name (慈溪市观海卫镇), the country ''."""
    g = gazetteer()
    if place.level == "national":
        return ""
    if place.level == "township":
        parent = g.parent(place)
        return (canonical_name(parent) if parent else "") + place.name
    if place.is_district:
        parent = g.parent(place)
        if parent is not None and parent.level != "national":
            return parent.name + place.name
    return place.name


def _names_of(level: str) -> tuple[str, ...]:
    return tuple(sorted({p.name for p in gazetteer().by_code.values() if p.level == level}))


# Names of the provinces, prefectures and counties, longest first (for callers that look for any place).
KNOWN_PLACES: tuple[str, ...] = tuple(
    sorted({*_names_of("provincial"), *_names_of("municipal"), *_names_of("county")}, key=len, reverse=True)
)
PROVINCES: tuple[str, ...] = _names_of("provincial")
_RELATIVE_ENDINGS = {
    "省": ("省", "自治区"),
    "市": ("市",),
    "州": ("州",),
    "盟": ("盟",),
    "区": ("区",),
    "县": ("县", "旗"),
}


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Where a report's issuer sits: a place of the gazetteer, read through its chain (province, city,
    county, township)."""

    unit: Place

    @property
    def chain(self) -> tuple[Place, ...]:
        return gazetteer().chain(self.unit)

    def _at(self, level: str) -> Place | None:
        return next((p for p in self.chain if p.level == level), None)

    @property
    def province(self) -> str | None:
        p = self._at("provincial")
        return p.name if p else None

    @property
    def city(self) -> str | None:
        p = self._at("municipal")
        return p.name if p else None

    @property
    def county(self) -> str | None:
        p = self._at("county")
        return p.name if p else None

    @property
    def township(self) -> str | None:
        p = self._at("township")
        return p.name if p else None

    @property
    def full(self) -> str:
        """The textual path: 浙江省宁波市慈溪市 (全国 for the country)."""
        return gazetteer().path(self.unit)

    @classmethod
    def parse(cls, full: str) -> Jurisdiction:
        """The jurisdiction of a path, name or code (浙江省宁波市慈溪市, 慈溪市, 330282, 全国)."""
        place = gazetteer().lookup_path(fold(full))
        if place is None:
            raise ValueError(f"not a place of the gazetteer (or a name several places share): {full!r}")
        return cls(place)

    @classmethod
    def guess(cls, issuer: str | None, text: str = "") -> Jurisdiction | None:
        """Best guess from the issuer's name (慈溪市司法局, 宁波市奉化区司法局), else the text's opening."""
        for source, strict in ((issuer or "", True), (fold(text[:1500]), False)):
            place = locate(fold(source), strict=strict)
            if place is not None:
                return cls(place)
        return None

    def unit_for(self, prefix: str) -> Place | None:
        """The place a relative prefix means here: 省 the province; 市 the nearest city up the chain (the
        county-level city itself, else the prefecture or municipality); 区/县 the county; 镇/乡/街道 the
        township; '' the report's own unit."""
        if prefix == "":
            return self.unit
        if prefix in ("镇", "乡", "街道"):
            return self.unit if self.unit.level == "township" else None
        endings = _RELATIVE_ENDINGS.get(prefix)
        if endings is None:
            return None
        for p in reversed(self.chain):
            if p.level != "township" and p.name.endswith(endings):
                if prefix in ("区", "县") and p.level != "county":
                    continue
                return p
        return self.unit if prefix in ("区", "县") and self.unit.level == "county" else None

    def place(self, prefix: str) -> str | None:
        """Canonical name of the place meant by a relative prefix (see :meth:`unit_for`)."""
        p = self.unit_for(prefix)
        return canonical_name(p) if p is not None else None

    @property
    def own(self) -> str:
        """Canonical name of the report's own unit (宁波市奉化区, 慈溪市, 舟山市; '' for the country)."""
        return canonical_name(self.unit)


def canonical_place(written: str, jur: Jurisdiction | None = None) -> str:
    """One form per place for a written name or path (鄞州区 → 宁波市鄞州区, 浙江省宁波市慈溪市 → 慈溪市),
    read inside the jurisdiction when the name alone is ambiguous; unknown names stay as written."""
    place = locate(written, jur.unit if jur else None)
    return canonical_name(place) if place is not None else written


# An administrative unit the gazetteer does not know, named right before an organ (某某区司法局).
_UNKNOWN_UNIT = re.compile(
    r"[\u4e00-\u9fff]{1,6}?(?:自治县|区|县|市|旗|镇|乡|街道)(?=司法|人民政府|政府|办事处|党|[局委厅])"
)


def locate(
    text: str, anchor: Place | None = None, context: str = "", *, strict: bool = False
) -> Place | None:
    """The deepest place a name or run of names in ``text`` stands for (广东省深圳市南山区粤海街道 → 粤海街道).

    Each name is read inside the one before it; a name several places share is narrowed by ``anchor`` (a
    place it lies in or contains) and by the places named in ``context``, and when it stays ambiguous the
    answer is None. Townships count only right after their county's name, or anywhere inside ``anchor``.
    With ``strict`` (an issuer's name), a unit the gazetteer does not know right after the deepest place
    (北京市某某区司法局) makes the answer None rather than that unit's parent."""
    g = gazetteer()
    current: Place | None = None
    last_end = 0
    for _, e, cands in g.scan(text):
        inside = [p for p in cands if current is None or g.within(p, current)]
        if len(inside) > 1:
            inside = _narrow(inside, anchor, context)
        if len(inside) != 1:
            if current is None and inside:
                return None  # the first name is ambiguous: let the caller ask
            continue
        current, last_end = inside[0], e
    base = current or anchor
    if base is not None and base.level in ("county", "municipal"):
        for s, _, cands in g.scan(text, last_end if current else 0, under=base):
            if cands[0].level == "township" and (current is None or s == last_end):
                return cands[0]
            if current is not None:
                break
    if strict and current is not None and _UNKNOWN_UNIT.match(text, last_end):
        return None
    return current


def _narrow(cands: list[Place], anchor: Place | None, context: str) -> list[Place]:
    g = gazetteer()
    if anchor is not None:
        near = [p for p in cands if g.within(p, anchor) or g.within(anchor, p)]
        if near:
            return near
    if context:
        named = {q.code for _, _, qs in g.scan(context, short=True) for q in qs}
        near = [p for p in cands if any(a.code in named for a in g.chain(p)[:-1])]
        if near:
            return near
    return cands
