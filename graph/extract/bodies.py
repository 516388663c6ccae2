"""Organisations named in a report, canonicalised within the report's jurisdiction.

Canonical forms (one per body across reports):

- government ``{P}人民政府`` (+ ``办公室`` / ``办公厅``);
- courts ``{P}人民法院``, procuratorates ``{P}人民检察院``;
- party bodies ``中共{P}委`` + organ: ``政法委员会``, ``全面依法治市委员会`` (+ ``办公室``),
  ``党校``, ``网信办``;
- departments ``{P}{name}局`` (a department named as ``{P}人民政府X局`` drops the 人民政府);
- ``{P}`` is the canonical place: a district as prefecture + district (宁波市奉化区), a county-level city or
  county alone (慈溪市), a prefecture alone (宁波市), the province (浙江省).

A relative prefix resolves against the report: 省 → the province; 市 → the county-level city when the report
is one, else the prefecture; 区/县 or no prefix (法院, 政法委) → the report's own unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rolkg.graph.extract.places import (
    KNOWN_PLACES,
    PREFECTURE_OF,
    PROVINCE_OF,
    PROVINCES,
    Jurisdiction,
    canonical_place,
    fold,
)
from rolkg.graph.model import BodyMention, Span

__all__ = ["Jurisdiction", "bracket_ranges", "find_bodies", "lead_and_partners"]

_HAN = "\u4e00-\u9fff"
_ABS = "(?:" + "|".join(map(re.escape, KNOWN_PLACES)) + ")+"
# A relative 市 is not a prefix in 市场, 市民, 市本级, 市镇村, 市管干部, 市县 (a level pair).
_REL = r"(?:[省市区县](?!场|民|本级|镇|管|县|区|级|域|外|内|直))"
_LAW_UNIT = r"依法治[国省市区县]"
# Ordered: longer organs first, since regex alternation takes the first that matches.
_ORGAN = (
    rf"全面{_LAW_UNIT}委员会办公室|全面{_LAW_UNIT}委员会|{_LAW_UNIT}委员会办公室|{_LAW_UNIT}委员会|{_LAW_UNIT}办"
    rf"|人民政府[{_HAN}]{{2,10}}?局|人民政府办公[室厅]|政府办公[室厅]|人民政府|政府(?!信息)"
    r"|人大常委会|人民代表大会常务委员会|政协|中级人民法院|人民法院|法院|人民检察院|检察院"
    r"|司法局|司法厅|政法委员会|政法委|党校|网信办|纪委|组织部|宣传部|统战部|工商联"
    rf"|(?:(?![的和与及全在对为是了各等个级委省市区县、，。；：,.;:\d])[{_HAN}]){{1,8}}?(?<![大格布全结当时])局"
)
_PREFIXED = re.compile(rf"(?P<party>中共)?(?P<place>{_ABS}|{_REL})(?P<wei>委)?(?P<organ>{_ORGAN})?")
# Bodies that need no place prefix; the 依法治X forms carry their own level.
_BARE = re.compile(
    r"最高人民法院|最高人民检察院|国务院|司法部|中央全面依法治国委员会(?:办公室)?|中央依法治国办"
    rf"|我局|本局|(?:全面)?{_LAW_UNIT}(?:委员会办公室|委员会|办)|行政执法协调监督局"
    r"|人民法院|人民检察院|法院|检察院|政法委|工商联|行业协会|商会"
    rf"|(?P<so>[{_HAN}]{{2,3}})司法所"
)
# 镇(街道) and 乡村/乡镇 are generic levels, not a named township.
_TOWN = re.compile(
    rf"(?P<stem>[{_HAN}]{{2,3}})(?P<suf>镇|乡|街道)(?![(（]街道|村|镇|街|级)(?P<vil>[{_HAN}]{{2,3}}(?:村|社区))?"
)
_TOWN_BAD_END = set("小城乡村集市各全个级等大名重特古新中域镇街")
_TOWN_BAD = set("的和与及在对以为是了各全个级等市区县省、办理建设开展推进实现完成治法共")
# Verbs/particles after which a place name may begin (指导龙山镇, 对桥头镇, 以九龙湖镇).
_BOUNDARY = set('对以在与和及导助到赴由将是为被、，。；：,.;: \n|“”"')
_NATIONAL = {"最高人民法院", "最高人民检察院", "国务院", "司法部", "中央依法治国办"}
_DEPARTMENT_STEMS = frozenset(
    re.findall(
        r"\S+",
        "财政 公安 民政 人社 教育 住建 交通 卫健 商务 经信 税务 市场监管 自然资源 农业农村 应急管理 "
        "生态环境 信访 文旅 综合执法 统计 审计 水利 科技 司法",
    )
)


def bracket_ranges(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each outermost 《…》 (nesting-aware); unclosed brackets run to the clause end."""
    out: list[tuple[int, int]] = []
    depth, open_at = 0, -1
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                out.append((open_at, i + 1))
        elif ch in "。\n" and depth:
            depth = 0  # an unbalanced 《 must not swallow the rest of the report
    return out


def _inside(ranges: Sequence[tuple[int, int]], s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in ranges)


def _canon_place(written: str, jur: Jurisdiction | None) -> tuple[str, str]:
    """(canonical place, level) for an absolute or relative place prefix."""
    if jur and written in ("省", "市", "区", "县", ""):
        place = jur.place(written) or ""
    else:
        place = canonical_place(written, jur)
    return place, _level_of_place(place)


def _level_of_place(place: str) -> str:
    tail = place
    for city in PROVINCE_OF:
        if tail.startswith(city) and len(tail) > len(city):
            tail = tail[len(city) :]
    if tail in PROVINCES:
        return "provincial"
    if tail in PROVINCE_OF:
        return "municipal"
    if tail in PREFECTURE_OF or tail.endswith(("区", "县")):
        return "county"
    if tail.endswith(("镇", "乡", "街道")):
        return "township"
    if tail.endswith("市"):
        return "county" if tail not in PROVINCE_OF and len(tail) <= 4 else "municipal"
    return "other"


def _organ_canon(place: str, organ: str, wei: bool, party: bool) -> tuple[str, str | None]:
    """(canonical name, parent canonical name) for place + organ."""
    party_root = f"中共{place}委"
    if m := re.fullmatch(rf"(?:全面)?({_LAW_UNIT})(委员会办公室|委员会|办)", organ):
        committee = f"{party_root}全面{m.group(1)}委员会"
        if m.group(2) == "委员会":
            return committee, party_root
        return committee + "办公室", committee
    if organ in ("政法委", "政法委员会"):
        return party_root + "政法委员会", party_root
    if organ in ("党校", "网信办", "组织部", "宣传部", "统战部"):
        return party_root + organ, party_root
    if organ == "纪委":
        return f"中共{place}纪委", None
    if organ.startswith("人民政府") and organ.endswith("局"):
        return place + organ[len("人民政府") :], None
    if organ in ("政府", "人民政府"):
        return place + "人民政府", None
    if organ.endswith(("办公室", "办公厅")):
        return place + "人民政府" + organ[-3:], place + "人民政府"
    if organ in ("法院", "人民法院"):
        return place + "人民法院", None
    if organ in ("检察院", "人民检察院"):
        return place + "人民检察院", None
    if organ == "人民代表大会常务委员会":
        return place + "人大常委会", None
    if not organ and (wei or party):
        return party_root, None
    return place + organ, None


def find_bodies(
    text: str,
    start: int = 0,
    end: int | None = None,
    jurisdiction: Jurisdiction | str | None = None,
    issuer: str | None = None,
) -> list[BodyMention]:
    """Organisation names in ``text[start:end]``, not inside 《》 titles, canonical in the jurisdiction."""
    end = len(text) if end is None else end
    jur = _as_jurisdiction(jurisdiction, issuer, text)
    folded = fold(text)
    titles = bracket_ranges(folded)
    found: list[BodyMention] = []
    taken: list[tuple[int, int]] = []

    def add(s: int, e: int, canonical: str, level: str, parent: str | None = None) -> None:
        if s < start or e > end or _inside(titles, s, e) or any(a < e and s < b for a, b in taken):
            return
        taken.append((s, e))
        found.append(BodyMention(text[s:e], canonical, level, Span(s, e), parent))

    for m in _PREFIXED.finditer(folded, start, end):
        organ, wei, party = m.group("organ") or "", bool(m.group("wei")), bool(m.group("party"))
        if not organ and not wei:
            continue  # a bare place (鄞州区获评…) is not a body mention
        place, level = _canon_place(m.group("place"), jur)
        if not place:
            continue
        if m.group("place") in "省市区县" and _preceded_by_word(folded, m.start()):
            continue  # 城市司法局? no: the 市 belongs to a longer word before it
        name, parent = _organ_canon(place, organ, wei, party)
        add(m.start(), m.end(), name, level, parent)

    own = jur.own if jur else ""
    own_level = _level_of_place(own) if own else "other"
    for m in _BARE.finditer(folded, start, end):
        word = m.group(0)
        if word in ("我局", "本局"):
            if issuer:
                add(m.start(), m.end(), issuer, _issuer_level(issuer, jur))
            continue
        if word in _NATIONAL or word.startswith("中央"):
            canon = "中央全面依法治国委员会办公室" if word in ("中央依法治国办",) else word
            add(m.start(), m.end(), canon, "national")
        elif word in ("行业协会", "商会"):
            add(m.start(), m.end(), word, "other")
        elif m.group("so"):
            if _generic_station(m.group("so")):
                continue  # 乡镇司法所, 加强基层司法所: the kind of office, not a named one
            add(m.start(), m.end(), own + word, "township", own + "司法局" if own else None)
        elif word == "行政执法协调监督局":
            parent = (
                issuer if issuer and issuer.endswith("司法局") and _set_up_here(folded, m.start()) else None
            )
            add(m.start(), m.end(), own + word, own_level, parent)
        elif "依法治" in word:
            rel = word[word.index("依法治") + 3]
            place, level = _canon_place(rel if rel != "国" else "", jur)
            name, parent = _organ_canon(place, word, False, False)
            add(m.start(), m.end(), name, level, parent)
        elif own:
            name, parent = _organ_canon(own, word, False, False)
            add(m.start(), m.end(), name, own_level, parent)

    for s, e, stem in _listed_departments(folded, start, end):
        if own:
            add(s, e, f"{own}{stem}局", own_level)
    for m in _TOWN.finditer(folded, start, end):
        _add_town(m, folded, own, add)
    found.sort(key=lambda b: b.span.start)
    return found


def _add_town(m: re.Match[str], folded: str, own: str, add) -> None:  # type: ignore[no-untyped-def]
    stem = m.group("stem")
    # Shift to a 2-character stem when the 3-character one starts mid-word (指导龙山镇 → 龙山镇).
    s = m.start()
    if len(stem) == 3 and folded[s] in _BOUNDARY:
        stem, s = stem[1:], s + 1
    elif s > 0 and folded[s - 1] not in _BOUNDARY:
        return
    if stem[-1] in _TOWN_BAD_END or any(c in _TOWN_BAD for c in stem):
        return
    town_end = s + len(stem) + len(m.group("suf"))
    town = stem + m.group("suf")
    # Prefixed by the report's unit: town names repeat across counties.
    add(s, town_end, own + town, "township", own + "人民政府" if own else None)
    if m.group("vil"):
        add(town_end, m.end(), own + town + m.group("vil"), "village", own + town)


def _preceded_by_word(folded: str, i: int) -> bool:
    # 全市/本市/各市/城市: the relative prefix is the tail of a word, not a place.
    return i > 0 and folded[i - 1] in "全本各城该两三我外"


def _set_up_here(folded: str, i: int) -> bool:
    return any(v in folded[max(0, i - 8) : i] for v in ("挂牌成立", "加挂", "成立", "组建"))


def _issuer_level(issuer: str, jur: Jurisdiction | None) -> str:
    if jur and issuer.startswith(jur.own or "\0"):
        return _level_of_place(jur.own)
    for place in KNOWN_PLACES:
        if issuer.startswith(place):
            return _level_of_place(canonical_place(place))
    return "other"


_LIST_AFTER = re.compile(
    r"(?:联合|会同)((?:[\u4e00-\u9fff]{2,12}[、和及]){1,12}[\u4e00-\u9fff]{2,12}?)(?=等|共同|[,，。;；]|出台|印发|制定|开展|推进)"
)


def _listed_departments(folded: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Bare department stems in a 联合/会同 list (联合政法委、法院、财政等6个部门 → 财政 = 财政局)."""
    out: list[tuple[int, int, str]] = []
    for m in _LIST_AFTER.finditer(folded, start, end):
        pos = m.start(1)
        for item in re.split(r"[、和及]", m.group(1)):
            if item in _DEPARTMENT_STEMS:
                out.append((pos, pos + len(item), item))
            pos += len(item) + 1
    return out


def _as_jurisdiction(jur: Jurisdiction | str | None, issuer: str | None, text: str) -> Jurisdiction | None:
    if isinstance(jur, Jurisdiction):
        return jur
    if isinstance(jur, str) and jur:
        return Jurisdiction.parse(jur)
    return Jurisdiction.guess(issuer, text)


_LEAD_VERBS = ("牵头", "组织", "出台", "制定", "制订", "印发", "指导", "召开", "主办", "承办", "发布")
_PARTNER_CUES = ("联合", "会同", "协同", "配合", "携手", "与")
_CLAUSE_END = "。；;\n"


def lead_and_partners(
    item_start: int,
    item_end: int,
    text: str,
    mentions: Sequence[BodyMention],
    issuer: str | None,
) -> tuple[list[str], list[str]]:
    """Canonical lead bodies (subjects of 牵头/组织/出台/制定/指导…; default the issuer) and partner bodies
    (after 联合/会同/与…协同/配合, or named as co-issuers) of the item ``text[item_start:item_end]``."""
    folded = fold(text)
    inside = sorted(
        (b for b in mentions if item_start <= b.span.start and b.span.end <= item_end),
        key=lambda b: b.span.start,
    )
    lead: list[str] = []
    partners: list[str] = []
    for b in inside:
        if b.canonical in ("行业协会", "商会"):
            continue  # generic sectors where something happens, not actors
        if _is_partner(folded, b, item_start):
            _push(partners, b.canonical)
        elif _is_subject(folded, b, inside, item_end):
            _push(lead, b.canonical)
    if not lead and issuer:
        lead.append(issuer)
    partners = [p for p in partners if p not in lead]
    return lead, partners


def _push(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


def _clause_start(folded: str, i: int, floor: int) -> int:
    j = i
    while j > floor and folded[j - 1] not in _CLAUSE_END + ",，":
        j -= 1
    return j


def _is_partner(folded: str, b: BodyMention, floor: int) -> bool:
    head = folded[_clause_start(folded, b.span.start, floor) : b.span.start]
    if any(head.endswith(c) or re.search(rf"{c}[^,，。；;]*$", head) for c in ("联合", "会同", "携手")):
        return True
    tail = folded[b.span.end : b.span.end + 20]
    with_cue = re.search(r"与[^,，。；;]*$", head)
    return bool(with_cue and re.match(r"[^,，。；;]*(协同|配合|合作|联动|共同|签订)", tail))


def _is_subject(folded: str, b: BodyMention, inside: Sequence[BodyMention], item_end: int) -> bool:
    # The body is a subject when a lead verb follows it after at most a list of other bodies / adverbs.
    j = b.span.end
    later = [o for o in inside if o.span.start >= j]
    while True:
        gap = folded[j : j + 6]
        for o in later:
            if o.span.start == j + (1 if gap[:1] in "、和及" else 0) and o.span.start > j - 1:
                j = o.span.end
                break
        else:
            break
    rest = folded[j : min(item_end, j + 8)]
    if re.match(
        r"[、和及]?(?:等\d*个?部门)?(?:共同|统一|联合|专题|集中|全面|积极)?(" + "|".join(_LEAD_VERBS) + ")",
        rest,
    ):
        before = folded[_clause_start(folded, b.span.start, 0) : b.span.start]
        return not any(v in before for v in ("提请", "指导", "督促", "推动", "协助"))
    return False


_GENERIC_STATION_TAIL = ("乡镇", "基层", "街道", "全市", "全区", "全县", "各地", "镇级", "村级")


def _generic_station(stem: str) -> bool:
    """Whether the words before 司法所 name a kind of station rather than a place (九龙湖司法所)."""
    return stem.endswith(_GENERIC_STATION_TAIL) or any(t in stem for t in ("乡镇", "基层", "各"))
