"""Places: text folding with a 1:1 offset map, a Zhejiang gazetteer, and the report's jurisdiction.

Shared by the body, document and facility extractors so that 市/区/省 resolve the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def fold(text: str) -> str:
    """NFKC per character, keeping the original character when NFKC would change the length.

    The result has exactly ``len(text)`` characters, so offsets found in it index the original text.
    """
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


# County-level units of each prefecture city in Zhejiang (the genre's home province). This is general
# administrative geography, needed because "慈溪市" alone does not say whether it is a prefecture.
_ZHEJIANG: dict[str, str] = {
    "杭州市": "上城区 拱墅区 西湖区 滨江区 萧山区 余杭区 临平区 钱塘区 富阳区 临安区 桐庐县 淳安县 建德市",
    "宁波市": "海曙区 江北区 北仑区 镇海区 鄞州区 奉化区 象山县 宁海县 余姚市 慈溪市",
    "温州市": "鹿城区 龙湾区 瓯海区 洞头区 永嘉县 平阳县 苍南县 文成县 泰顺县 瑞安市 乐清市 龙港市",
    "嘉兴市": "南湖区 秀洲区 嘉善县 海盐县 海宁市 平湖市 桐乡市",
    "湖州市": "吴兴区 南浔区 德清县 长兴县 安吉县",
    "绍兴市": "越城区 柯桥区 上虞区 新昌县 诸暨市 嵊州市",
    "金华市": "婺城区 金东区 武义县 浦江县 磐安县 兰溪市 义乌市 东阳市 永康市",
    "衢州市": "柯城区 衢江区 常山县 开化县 龙游县 江山市",
    "舟山市": "定海区 普陀区 岱山县 嵊泗县",
    "台州市": "椒江区 黄岩区 路桥区 三门县 天台县 仙居县 温岭市 临海市 玉环市",
    "丽水市": "莲都区 青田县 缙云县 遂昌县 松阳县 云和县 庆元县 景宁畲族自治县 龙泉市",
}
PROVINCE_OF: dict[str, str] = {p: "浙江省" for p in _ZHEJIANG}
PREFECTURE_OF: dict[str, str] = {c: p for p, cs in _ZHEJIANG.items() for c in cs.split()}
PROVINCES = ("浙江省",)
# Place names as written, longest first, so 宁波市鄞州区 wins over 宁波市; short forms (鄞州区 → 鄞州) are
# not included because bare stems collide with ordinary words (法治宁波 is a programme, not a body).
KNOWN_PLACES: tuple[str, ...] = tuple(
    sorted({*PROVINCES, *PROVINCE_OF, *PREFECTURE_OF}, key=len, reverse=True)
)

_PARSE = re.compile(
    r"^(?P<prov>[^省]{2,4}省|[^区]{2,6}自治区)?(?P<city>[^市]{2,4}市|[^州]{2,6}自治州)?"
    r"(?P<county>[^市区县]{1,6}(?:市|区|县))?$"
)


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Where a report's issuer sits: 浙江省 / 宁波市 / 慈溪市 (county None for a prefecture city)."""

    province: str | None
    city: str | None
    county: str | None = None

    @property
    def full(self) -> str:
        return "".join(p for p in (self.province, self.city, self.county) if p)

    @classmethod
    def parse(cls, full: str) -> Jurisdiction:
        """Split a full path such as 浙江省宁波市慈溪市 or 浙江省舟山市 into its levels."""
        m = _PARSE.match(fold(full).strip())
        if not m:
            raise ValueError(f"not a jurisdiction path: {full!r}")
        prov, city, county = m.group("prov"), m.group("city"), m.group("county")
        if city and not county and city in PREFECTURE_OF:
            # 浙江省慈溪市: a county-level city written without its prefecture.
            city, county = PREFECTURE_OF[city], city
        if city and not prov:
            prov = PROVINCE_OF.get(city)
        return cls(prov, city, county)

    @classmethod
    def guess(cls, issuer: str | None, text: str = "") -> Jurisdiction | None:
        """Best guess from the issuer's name (慈溪市司法局, 宁波市奉化区司法局), else the text's opening."""
        for source in (issuer or "", fold(text[:1500])):
            found = _places_in(fold(source))
            if found:
                return found
        return None

    def place(self, prefix: str) -> str | None:
        """Canonical place meant by a relative prefix (省, 市, 区, 县) or '' (the report's own unit)."""
        if prefix == "省":
            return self.province
        if prefix == "市":
            # In a county-level city 市 means that city; in a district it means the prefecture.
            if self.county and self.county.endswith("市"):
                return self.county
            return self.city
        return canonical_place(self.county or "", self) if self.county else self.city

    @property
    def own(self) -> str:
        """Canonical name of the report's own unit (宁波市奉化区, 慈溪市, 舟山市)."""
        return self.place("") or ""


def canonical_place(written: str, jur: Jurisdiction | None = None) -> str:
    """One form per place: districts as prefecture + district, county-level cities and counties alone."""
    w = written
    for prov in PROVINCES:
        if w.startswith(prov) and len(w) > len(prov):
            w = w[len(prov) :]
    for city in PROVINCE_OF:
        if w.startswith(city) and len(w) > len(city):
            w = w[len(city) :]
    if w in PREFECTURE_OF:
        return PREFECTURE_OF[w] + w if w.endswith("区") else w
    if jur and jur.county and w == jur.county and w.endswith("区") and jur.city:
        return jur.city + w
    return w


def _places_in(s: str) -> Jurisdiction | None:
    for i in range(len(s)):
        for place in KNOWN_PLACES:
            if s.startswith(place, i):
                rest = s[i + len(place) :]
                if place in PROVINCE_OF:
                    county = next((c for c in PREFECTURE_OF if rest.startswith(c)), None)
                    if county and PREFECTURE_OF[county] == place:
                        return _jur(place, county)
                    return _jur(place, None)
                if place in PREFECTURE_OF:
                    return _jur(PREFECTURE_OF[place], place)
                if place in PROVINCES:
                    continue
    return None


def _jur(city: str, county: str | None) -> Jurisdiction:
    return Jurisdiction(PROVINCE_OF.get(city), city, county)
