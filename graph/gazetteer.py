"""Administrative divisions, so that a place named alone (慈溪市, 鄞州区) gets its full path.

Zhejiang is listed in full because the project's reports come from there; elsewhere a place found in the
text is kept as written. This is reference data, not a rule about any one report.
"""

from __future__ import annotations

PROVINCE = "浙江省"

ZHEJIANG: dict[str, tuple[str, ...]] = {
    "杭州市": (
        "上城区",
        "拱墅区",
        "西湖区",
        "滨江区",
        "萧山区",
        "余杭区",
        "临平区",
        "钱塘区",
        "富阳区",
        "临安区",
        "桐庐县",
        "淳安县",
        "建德市",
    ),
    "宁波市": (
        "海曙区",
        "江北区",
        "北仑区",
        "镇海区",
        "鄞州区",
        "奉化区",
        "象山县",
        "宁海县",
        "余姚市",
        "慈溪市",
    ),
    "温州市": (
        "鹿城区",
        "龙湾区",
        "瓯海区",
        "洞头区",
        "永嘉县",
        "平阳县",
        "苍南县",
        "文成县",
        "泰顺县",
        "瑞安市",
        "乐清市",
        "龙港市",
    ),
    "嘉兴市": ("南湖区", "秀洲区", "嘉善县", "海盐县", "海宁市", "平湖市", "桐乡市"),
    "湖州市": ("吴兴区", "南浔区", "德清县", "长兴县", "安吉县"),
    "绍兴市": ("越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"),
    "金华市": ("婺城区", "金东区", "武义县", "浦江县", "磐安县", "兰溪市", "义乌市", "东阳市", "永康市"),
    "衢州市": ("柯城区", "衢江区", "常山县", "开化县", "龙游县", "江山市"),
    "舟山市": ("定海区", "普陀区", "岱山县", "嵊泗县"),
    "台州市": ("椒江区", "黄岩区", "路桥区", "三门县", "天台县", "仙居县", "温岭市", "临海市", "玉环市"),
    "丽水市": (
        "莲都区",
        "青田县",
        "缙云县",
        "遂昌县",
        "松阳县",
        "云和县",
        "庆元县",
        "景宁畲族自治县",
        "龙泉市",
    ),
}

_COUNTY_TO_CITY = {county: city for city, counties in ZHEJIANG.items() for county in counties}
# Short forms used in running text: 鄞州 for 鄞州区, 慈溪 for 慈溪市, 舟山 for 舟山市.
_SHORT: dict[str, str] = {}
for _city, _counties in ZHEJIANG.items():
    _SHORT[_city[:-1]] = _city
    for _county in _counties:
        _SHORT.setdefault(_county[:-1], _county)


def full_path(place: str) -> str | None:
    """浙江省宁波市慈溪市 for 慈溪市 or 慈溪; 浙江省舟山市 for 舟山市; None when unknown."""
    name = _SHORT.get(place, place)
    if name in ZHEJIANG:
        return PROVINCE + name
    city = _COUNTY_TO_CITY.get(name)
    if city:
        return PROVINCE + city + name
    return None


def places_in(text: str) -> list[str]:
    """Known place names (full or short) in ``text``, longest match first, in order of appearance."""
    found: list[tuple[int, str]] = []
    names = sorted({*ZHEJIANG, *_COUNTY_TO_CITY}, key=len, reverse=True)
    for name in names:
        i = text.find(name)
        if i != -1:
            found.append((i, name))
    return [name for _, name in sorted(found)]


def place_counts(text: str) -> dict[str, int]:
    """How often each known place occurs in ``text``, by full name, counting short forms (慈溪) too."""
    counts: dict[str, int] = {}
    for short, name in _SHORT.items():
        if len(short) >= 2:
            n = text.count(short)
            if n:
                counts[name] = counts.get(name, 0) + n
    return counts
