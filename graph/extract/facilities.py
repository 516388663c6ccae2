"""Facilities a report says were set up: centres, stations, halls, bases, zones, studios, expert pools.

A facility is a name ending in a facility noun (中心, 站(点), 联络点, 基地, 展厅, 专区, 工作室, 专家库 …) that
is the object of a founding verb (建成, 设立, 成立, 打造, 增设, 组建 …), or the X in 推进/完善 X 建设.
Abstractions (体系, 机制, 模式, 格局, 圈) never end in a facility noun, so they are not facilities.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort

from rolkg.graph.extract.places import Jurisdiction, fold
from rolkg.graph.model import FacilityMention, Span
from rolkg.graph.numerals import parse_numeral

__all__ = ["canonical_facility", "find_facilities"]

# (suffix, kind); longer suffixes first so 分中心 wins over 中心 and 观察站(点) over 站.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("分中心", "centre"),
    ("中心", "centre"),
    ("观察站(点)", "station"),
    ("站(点)", "station"),
    ("工作室(站)", "studio"),
    ("观察站", "station"),
    ("实践站", "station"),
    ("工作站", "station"),
    ("服务站", "station"),
    ("驿站", "station"),
    ("站点", "station"),
    ("服务点", "service point"),
    ("联络点", "liaison point"),
    ("工作室", "studio"),
    ("专家库", "expert pool"),
    ("人才库", "expert pool"),
    ("基地", "base"),
    ("展厅", "hall"),
    ("展馆", "hall"),
    ("文化馆", "hall"),
    ("陈列馆", "hall"),
    ("大厅", "hall"),
    ("专区", "zone"),
    ("服务区", "zone"),
    ("调解委员会", "committee"),
    ("法庭", "other"),
    ("公园", "park"),
    ("长廊", "park"),
    ("公开栏", "notice board"),
    ("宣传栏", "notice board"),
    ("点位", "service point"),
    ("工作点", "service point"),
    ("调解点", "service point"),
    ("咨询点", "service point"),
    ("受理点", "service point"),
    ("联系点", "liaison point"),
    ("阵地", "base"),
    ("平台", "platform"),
    ("大院", "courtyard"),
    ("站", "station"),
    ("室", "room"),
    ("馆", "hall"),
    ("厅", "hall"),
    ("所", "office"),
)
# Words ending in a facility noun that name something else: a place in general (场所), an office that is
# a body (司法所, 办公厅), a department (科室), a firm (事务所).
_NOT_NAMES = ("场所", "司法所", "派出所", "事务所", "研究所", "科室", "处室", "司法厅", "办公厅", "办公室")
_SUFFIX_RE = "|".join(re.escape(s) for s, _ in _SUFFIXES)
_KIND = dict(_SUFFIXES)
_FOUND = re.compile(
    r"(挂牌成立|争取建成|全面建成|建成|设立|成立|打造|增设|新建|组建|建立|设置|开设|揭牌|建设|新增"
    r"|搭建|构建|挂牌|启用|投用|改建|升级打造)"
)
# 推进/完善 X 建设: X is being built up.
_BUILD_UP = re.compile(rf"(推进|加强|完善健全|完善|深化|健全|加快)([^,，。；;]{{2,40}}?(?:{_SUFFIX_RE}))建设")
_CLAUSE_END = re.compile(r"[,，。；;:：!?！？\n]")
_QTY_UNIT = "(?:个|家|处|所|块|座|间|支|套)"
_LEAD_QTY = re.compile(
    rf"^(?:第[一二三四五六七八九十\d]+批|首批|一批)?(?:(\d+|[两二三四五六七八九十百千]+){_QTY_UNIT})?"
)
_FIRST_OF = re.compile(r"^[\u4e00-\u9fff]{0,4}首(?:家|个|批)")
_ALL_IN_ONE = re.compile(r"集[^,，。；;]*?于一体的")
_FIELD_LIST = re.compile(r"^[^,，。；;]*?等[\u4e00-\u9fff]{0,2}?(?:领域|行业|方面)")
_TRAIL_QTY = re.compile(rf"^(?:并投入(?:运行|使用|运营))?(\d+|[两二三四五六七八九十百千]+){_QTY_UNIT}")
_LOCATION = re.compile(r"^[(（][\u4e00-\u9fff]{1,6}[)）]")
_NAME_END = re.compile(rf"(?=({_SUFFIX_RE}))")
_REL_PREFIX = re.compile(r"^([市区县])(级)?(?!场|民|本级|镇|乡|管|县|区|域|内|外|直)")


def canonical_facility(name: str, jurisdiction: Jurisdiction | None) -> str:
    """Expand a leading 市/区/县 (or 区级) to the jurisdiction's name: 市小家电… → 慈溪市小家电…."""
    m = _REL_PREFIX.match(name)
    if not m or not jurisdiction:
        return name
    place = jurisdiction.place(m.group(1)) or ""
    return place + name[m.end() :]


def find_facilities(
    text: str,
    start: int = 0,
    end: int | None = None,
    jurisdiction: Jurisdiction | str | None = None,
) -> list[FacilityMention]:
    """Facilities established, built or planned in ``text[start:end]``, with counts where given."""
    end = len(text) if end is None else end
    jur = Jurisdiction.parse(jurisdiction) if isinstance(jurisdiction, str) else jurisdiction
    folded = fold(text)
    out: list[FacilityMention] = []
    seen: list[tuple[int, int]] = []  # spans taken so far, sorted and disjoint

    def emit(s: int, e: int, count: int | None) -> None:
        if _overlaps(seen, s, e):
            return
        name = text[s:e]
        core = fold(name)
        if _only_quoted(core) or len(core) < 3 or _not_a_name(core):
            return
        kind = next(k for suf, k in _SUFFIXES if core.endswith(suf) or _ends_with_located(core, suf))
        insort(seen, (s, e))
        out.append(FacilityMention(canonical_facility(core, jur), kind, Span(s, e), count))

    for v in _FOUND.finditer(folded, start, end):
        zone_end = _clause_end(folded, v.end(), end)
        for s, e, count in _objects(folded, v.end(), zone_end):
            emit(s, e, count)
    for m in _BUILD_UP.finditer(folded, start, end):
        s = m.start(2)
        name = m.group(2)
        if fm := _FIELD_LIST.match(name):
            s += fm.end()
        s = _after_last_de(folded, s, m.end(2))
        emit(s, m.end(2), None)
    out.sort(key=lambda f: f.span.start)
    return out


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether ``[s, e)`` overlaps one of the sorted, disjoint ``spans`` (a scan of all would be quadratic)."""
    i = bisect_right(spans, (s, 1 << 62))
    return any(0 <= j < len(spans) and spans[j][0] < e and s < spans[j][1] for j in (i - 1, i))


def _clause_end(folded: str, i: int, limit: int) -> int:
    m = _CLAUSE_END.search(folded, i, limit)
    return m.start() if m else limit


def _objects(folded: str, s: int, e: int) -> list[tuple[int, int, int | None]]:
    """Facility names (with counts) in the object zone ``folded[s:e]`` of one founding verb."""
    zone = folded[s:e]
    # Cut at 并 (并投入运行22家 keeps its count) and at a second verb phrase.
    blank = _ALL_IN_ONE.sub(lambda m: "\0" * len(m.group(0)), zone)
    found: list[tuple[int, int, int | None]] = []
    pos = 0
    for piece in re.split(r"([、和及与])", blank):
        if piece in ("、", "和", "及", "与"):
            pos += 1
            continue
        item_s = s + pos
        pos += len(piece)
        # The \0 run (集…于一体的) is a modifier: the name starts after it.
        lead = piece.rfind("\0") + 1
        got = _one_object(folded, item_s + lead, item_s + len(piece))
        if got:
            found.append(got)
    return found


def _one_object(folded: str, s: int, e: int) -> tuple[int, int, int | None] | None:
    text = folded[s:e]
    count = None
    q = _LEAD_QTY.match(text)
    if q and q.end():
        if q.group(1):
            count = _count(q.group(1))
        s += q.end()
        text = folded[s:e]
    if f := _FIRST_OF.match(text):
        s += f.end()
        text = folded[s:e]
    # The name ends at the last facility noun (plus a (周巷)-like location) before any trailing words.
    last = None
    for m in _NAME_END.finditer(text):  # overlapping: 服务点 and 点位 both end a name in 服务点位
        noun_end = m.start() + len(m.group(1))
        loc = _LOCATION.match(text[noun_end:])
        name_end = noun_end + (loc.end() if loc else 0)
        rest = text[name_end:]
        if rest == "" or rest.startswith("并") or _TRAIL_QTY.match(rest):
            last = name_end
    if last is None:
        return None
    if count is None and (t := _TRAIL_QTY.match(text[last:])):
        count = _count(t.group(1))
    if count is None and (t := re.match(r"^并投入(?:运行|使用|运营)(\d+)(?:个|家|处|所)", text[last:])):
        count = int(t.group(1))
    start = _after_last_de(folded, s, s + last)
    return start, s + last, count


def _count(written: str) -> int | None:
    try:
        return int(parse_numeral(written))
    except ValueError:
        return None


def _after_last_de(folded: str, s: int, e: int) -> int:
    # …的X: the facility is X; what comes before 的 describes it.
    i = folded.rfind("的", s, e)
    return i + 1 if i >= 0 and e - i > 3 else s


def _ends_with_located(core: str, suffix: str) -> bool:
    m = re.search(r"[(（][\u4e00-\u9fff]{1,6}[)）]$", core)
    return bool(m) and core[: m.start()].endswith(suffix)


def _not_a_name(core: str) -> bool:
    bare = re.sub(r"[(（][\u4e00-\u9fff]{1,6}[)）]$", "", core)
    return bare.endswith(_NOT_NAMES)


def _only_quoted(core: str) -> bool:
    # “三会两庭一中心” is a brand for a set of services, not one built facility.
    return bool(re.fullmatch(r"“[^”]*”", core))
