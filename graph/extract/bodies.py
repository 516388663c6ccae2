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
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from rolkg.graph.extract.places import Jurisdiction, canonical_name, fold, locate
from rolkg.graph.gazetteer import Place, gazetteer
from rolkg.graph.model import BodyMention, Span

__all__ = ["Jurisdiction", "bracket_ranges", "find_bodies", "lead_and_partners"]

_HAN = "\u4e00-\u9fff"
# A relative 市 is not a prefix in 市场, 市民, 市本级, 市镇村, 市管干部, 市县 (a level pair); 镇/街道 likewise.
_REL = r"(?:[省市区县](?!场|民|本级|镇|管|县|区|级|域|外|内|直)|(?:镇|乡|街道)(?=党委|党工委|政府|人民政府|人大|纪委|办事处))"
_LAW_UNIT = r"依法治[国省市区县]"
# Ordered: longer organs first, since regex alternation takes the first that matches.
_ORGAN = (
    r"常委会|第[一二三四五六七八九十\d]{1,3}巡察组|巡察组|党工委|党委"
    rf"|(?:(?![的和与及在对为是了、，。；：,.;:\d])[{_HAN}]){{2,14}}?领导小组(?:办公室)?"
    rf"|(?:(?![的和与及在对为是了、，。；：,.;:\d])[{_HAN}]){{2,12}}?委员会(?:办公室)?(?=[^{_HAN}]|召开|印发|出台|牵头|组织|[的和与及、])"
    rf"|全面{_LAW_UNIT}委员会办公室|全面{_LAW_UNIT}委员会|{_LAW_UNIT}委员会办公室|{_LAW_UNIT}委员会|{_LAW_UNIT}办"
    rf"|人民政府[{_HAN}]{{2,10}}?局|人民政府办公[室厅]|政府办公[室厅]|人民政府|政府(?!信息)"
    r"|市场监督管理局|市场监管局|办事处|人大常委会|人民代表大会常务委员会|政协|中级人民法院|人民法院|法院|人民检察院|检察院"
    r"|司法局|司法厅|政法委员会|政法委|党校|网信办|纪委|组织部|宣传部|统战部|工商联"
    rf"|(?:(?![的和与及全在对为是了各等个级委省市区县、，。；：,.;:\d])[{_HAN}]){{1,8}}?(?<![大格布全结当时])局"
)
_TAIL = rf"(?P<wei>委(?!员))?(?P<organ>{_ORGAN})?(?P<group>党组|党委)?"
_PREFIXED = re.compile(rf"(?P<party>中共)?(?P<place>{_REL}){_TAIL}")
_AFTER_PLACE = re.compile(_TAIL)
_VILLAGE = re.compile(rf"[{_HAN}]{{2,3}}(?:村|社区)(?![民级务])")
# Bodies that need no place prefix; the 依法治X forms carry their own level.
# The State Council's ministries and commissions and other national organs, with the short forms the
# genre uses (reference data, like the gazetteer): short form → full name.
_MINISTRIES: dict[str, str] = {
    **{
        name: name
        for name in re.findall(
            r"\S+",
            "外交部 国防部 国家发展和改革委员会 教育部 科学技术部 工业和信息化部 国家民族事务委员会 公安部 国家安全部 "
            "民政部 财政部 人力资源和社会保障部 自然资源部 生态环境部 住房和城乡建设部 交通运输部 水利部 农业农村部 "
            "商务部 文化和旅游部 国家卫生健康委员会 退役军人事务部 应急管理部 中国人民银行 审计署 海关总署 "
            "国家税务总局 国家市场监督管理总局 国家金融监督管理总局 国家广播电视总局 国家体育总局 国家统计局 "
            "国家知识产权局 国家医疗保障局 国家信访局 国家数据局 全国人大常委会 全国政协 中央政法委 中央纪委国家监委",
        )
    },
    "国家发展改革委": "国家发展和改革委员会",
    "国家发改委": "国家发展和改革委员会",
    "科技部": "科学技术部",
    "工信部": "工业和信息化部",
    "国家民委": "国家民族事务委员会",
    "人力资源社会保障部": "人力资源和社会保障部",
    "人社部": "人力资源和社会保障部",
    "住房城乡建设部": "住房和城乡建设部",
    "住建部": "住房和城乡建设部",
    "文旅部": "文化和旅游部",
    "国家卫生健康委": "国家卫生健康委员会",
    "国家卫健委": "国家卫生健康委员会",
    "市场监管总局": "国家市场监督管理总局",
}
_MINISTRY = "|".join(sorted(map(re.escape, _MINISTRIES), key=len, reverse=True))
_BARE = re.compile(
    rf"(?P<ministry>{_MINISTRY})(?![门分队署])"
    r"|最高人民法院|最高人民检察院|国务院|司法部|中央全面依法治国委员会(?:办公室)?|中央依法治国办"
    r"|(?:我|本)(?:局|镇|乡|街道|委|办|厅|部|机关|单位)(?![长级内里区域])|[部局厅](?:党组|党委)(?:理论学习中心组)?"
    rf"|(?:全面)?{_LAW_UNIT}(?:委员会办公室|委员会|办)|行政执法协调监督局"
    r"|人民法院|人民检察院|法院|检察院|政法委|工商联|行业协会|商会"
    rf"|(?P<so>[{_HAN}]{{2,3}})司法所"
)
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


@lru_cache(maxsize=8)
def _prepared(text: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """The folded text and its 《》 ranges (starts, ends), computed once per text however many times the
    extractors ask (a str caches its hash, so the cache lookup does not re-read the text)."""
    folded = fold(text)
    ranges = bracket_ranges(folded)
    return folded, tuple(a for a, _ in ranges), tuple(b for _, b in ranges)


def _inside(starts: Sequence[int], ends: Sequence[int], s: int, e: int) -> bool:
    """Whether ``[s, e)`` lies inside one of the (sorted, disjoint) ranges."""
    k = bisect_right(starts, s) - 1
    return k >= 0 and e <= ends[k]


@lru_cache(maxsize=64)
def _parsed(jur: str) -> Jurisdiction | None:
    try:
        return Jurisdiction.parse(jur)
    except ValueError:
        return None


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
    if organ == "常委会" and wei:
        return party_root + "常委会", party_root
    if organ.endswith("巡察组"):
        return party_root + organ, party_root
    if organ == "党委":
        return party_root, None
    if organ == "党工委":
        return f"中共{place}工委", None
    if wei and organ.endswith(("委员会", "委员会办公室")):
        committee = party_root + organ.removesuffix("办公室")
        return party_root + organ, (committee if organ.endswith("办公室") else party_root)
    if organ.endswith(("领导小组", "领导小组办公室")):
        root = party_root if wei else place
        name = root + organ
        return name, (name[: -len("办公室")] if organ.endswith("办公室") else None)
    if organ == "纪委":
        return f"中共{place}纪委", None
    if organ.startswith("人民政府") and organ.endswith("局"):
        return place + organ[len("人民政府") :], None
    if organ in ("政府", "人民政府"):
        return place + "人民政府", None
    if organ == "办事处":
        return place + "办事处", None
    if organ.endswith(("办公室", "办公厅")):
        return place + "人民政府" + organ[-3:], place + "人民政府"
    if organ in ("法院", "人民法院"):
        return place + "人民法院", None
    if organ in ("检察院", "人民检察院"):
        return place + "人民检察院", None
    if organ in ("人民代表大会常务委员会", "常委会"):
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
    """Organisation names in ``text[start:end]``, not inside 《》 titles, canonical in the jurisdiction.

    Relative names (省委, 市司法局, 镇政府) are read against the jurisdiction's chain; names with a place
    (宁波市委, 广东省司法厅) use the gazetteer; the issuer's self-references (我局, 我镇, 局党组) are the
    issuer. The text is folded and its 《》 ranges found once per text, so repeated calls on parts of one
    report cost only the part."""
    end = len(text) if end is None else end
    jur = _as_jurisdiction(jurisdiction, issuer, text)
    folded, title_starts, title_ends = _prepared(text)
    found: list[BodyMention] = []
    taken: list[tuple[int, int]] = []  # kept sorted by start

    def add(s: int, e: int, canonical: str, level: str, parent: str | None = None) -> None:
        if s < start or e > end or _inside(title_starts, title_ends, s, e) or _header_line(folded, s):
            return
        k = bisect_right(taken, (s, e))
        if (k > 0 and taken[k - 1][1] > s) or (k < len(taken) and taken[k][0] < e):
            return
        taken.insert(k, (s, e))
        found.append(BodyMention(text[s:e], canonical, level, Span(s, e), parent))

    own_place = jur.unit if jur else None
    places_at: dict[int, Place] = {}  # end offset of a Party body → its place (for 省委常委、政法委)
    own = jur.own if jur else ""
    own_level = own_place.level if own_place else "other"
    self_name = issuer or None

    _named_places(folded, start, end, jur, add, issuer)

    for m in _PREFIXED.finditer(folded, start, end):
        organ, wei, party = m.group("organ") or "", bool(m.group("wei")), bool(m.group("party"))
        if not organ and not wei:
            continue  # a bare place (鄞州区获评…) is not a body mention
        written = m.group("place")
        if not jur or (written in "省市区县" and _preceded_by_word(folded, m.start())):
            continue  # 全市, 城市: the relative prefix is the tail of a word before it
        unit = jur.unit_for(written)
        if unit is None or unit.level == "national":
            continue
        name, parent = _organ_canon(canonical_name(unit), organ, wei, party)
        if m.group("group"):
            name, parent = name + m.group("group"), name
        if unit == own_place and self_name and name == _issuer_key(self_name):
            name = self_name
        add(m.start(), m.end(), name, unit.level, parent)
        if wei or party:
            places_at[m.end()] = unit

    for m in _BARE.finditer(folded, start, end):
        word = m.group(0)
        if word[0] in "我本" or word[:2] in ("部党", "局党", "厅党"):
            if not issuer:
                continue
            if word[0] in "我本":
                if word[1:] in ("镇", "乡", "街道") and own_level != "township":
                    continue
                add(m.start(), m.end(), issuer, _issuer_level(issuer, jur))
            else:
                group = word[1:3]
                add(m.start(), m.end(), issuer + group, _issuer_level(issuer, jur), issuer)
            continue
        if m.group("ministry"):
            if _preceded_by_place(folded, m.start()):
                continue  # 市公安局? no: 某市公安部门 is caught by the lookahead; a place before it is local
            add(m.start(), m.end(), _MINISTRIES[word], "national")
        elif word in _NATIONAL or word.startswith("中央"):
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
            unit = jur.unit_for(rel if rel != "国" else "") if jur else None
            if unit is None:
                continue
            name, parent = _organ_canon(canonical_name(unit), word, False, False)
            add(m.start(), m.end(), name, unit.level, parent)
        elif own:
            unit = _listed_after(folded, m.start(), places_at) or own_place
            name, parent = _organ_canon(canonical_name(unit), word, False, False)
            add(m.start(), m.end(), name, unit.level, parent)

    for s, e, stem in _listed_departments(folded, start, end):
        if own:
            add(s, e, f"{own}{stem}局", own_level)
    found.sort(key=lambda b: b.span.start)
    return found


_HEADER_FIELD = re.compile(r"\s*(?:信息)?(?:来源|发布机构|发文机关|发布单位|索引号|组配分类)")


def _header_line(folded: str, s: int) -> bool:
    """Whether ``s`` is on a page-header line (来源:…司法局, 发布机构 …): clutter, not the report's words."""
    line = folded.rfind("\n", 0, s) + 1
    return bool(_HEADER_FIELD.match(folded, line)) or "来源" in folded[max(line, s - 6) : s]


def _issuer_key(issuer: str) -> str:
    """The canonical form an issuer's own name takes when the text names it relatively (镇政府)."""
    return re.sub(r"(?<!人民)政府$", "人民政府", issuer)


def _named_places(folded: str, start: int, end: int, jur: Jurisdiction | None, add, issuer) -> None:  # type: ignore[no-untyped-def]
    """Bodies named with a place of the gazetteer (宁波市委, 广东省司法厅, 鄞州区人民政府), townships of the
    report's own county (龙山镇) and villages after them (龙山镇徐福村)."""
    g = gazetteer()
    own = jur.unit if jur else None
    towns_in = _town_anchor(own)
    run: list[tuple[int, int, Place]] = []
    for s, e, cands in g.scan(folded, start, end, under=towns_in):
        prev = run[-1][2] if run and run[-1][1] == s else None
        place = _pick(cands, prev, own)
        if place is None:
            run = []
            continue
        if prev is not None and g.within(place, prev):
            run.append((s, e, place))
        else:
            run = [(s, e, place)]
        s0 = run[0][0]
        if s0 >= 2 and folded[s0 - 2 : s0] == "中共":
            s0 -= 2
        m = _AFTER_PLACE.match(folded, e)
        organ, wei = (m.group("organ") or "", bool(m.group("wei"))) if m else ("", False)
        canon = canonical_name(place)
        if organ or wei:
            name, parent = _organ_canon(canon, organ, wei, folded.startswith("中共", s0))
            if m and m.group("group"):
                name, parent = name + m.group("group"), name
            if issuer and place == own and name == _issuer_key(issuer):
                name = issuer
            add(s0, m.end() if m else e, name, place.level, parent)
        elif place.level == "township":
            # A township named alone stands for its government; the issuer's own township is the issuer.
            is_own = own is not None and place == own and issuer
            add(s0, e, issuer if is_own else canon, "township", None if is_own else _gov(g, place))
            v = _VILLAGE.match(folded, e)
            if v:
                add(e, v.end(), canon + v.group(0), "village", canon)


def _gov(g, town: Place) -> str | None:  # type: ignore[no-untyped-def]
    county = g.parent(town)
    return canonical_name(county) + "人民政府" if county is not None else None


def _town_anchor(own: Place | None) -> Place | None:
    """Where township names are looked for: the report's county (a township report: its county)."""
    if own is None:
        return None
    if own.level == "township":
        return gazetteer().parent(own)
    return own if own.level in ("county", "municipal") else None


def _pick(cands: list[Place], prev: Place | None, own: Place | None) -> Place | None:
    """One place among those a name may mean: inside the name before it, else near the report's own unit."""
    g = gazetteer()
    if len(cands) == 1:
        return cands[0]
    for ctx in (prev, own):
        if ctx is not None:
            near = [p for p in cands if g.within(p, ctx) or g.within(ctx, p)]
            if len(near) == 1:
                return near[0]
            if own is not None and ctx is own:
                shared = [p for p in cands if g.chain(p)[0] == g.chain(own)[0]]
                if len(shared) == 1:
                    return shared[0]
    return None


_POSTS = ("", "常委", "委员", "书记", "副书记")


def _listed_after(folded: str, s: int, places_at: dict[int, Place]) -> Place | None:
    """The place of a Party body listed just before an unprefixed organ: in 省委常委、政法委书记 the 政法委 is
    the province's, not the report's own."""
    if s < 2 or folded[s - 1] != "、":
        return None
    for post in _POSTS:
        end = s - 1 - len(post)
        if end in places_at and folded[end : s - 1] == post:
            return places_at[end]
    return None


def _preceded_by_place(folded: str, i: int) -> bool:
    """Whether a ministry-like name is the tail of a local body (宁波市公安部…: not the Ministry)."""
    return i > 0 and folded[i - 1] in "省市区县"


def _preceded_by_word(folded: str, i: int) -> bool:
    # 全市/本市/各市/城市: the relative prefix is the tail of a word, not a place.
    return i > 0 and folded[i - 1] in "全本各城该两三我外"


def _set_up_here(folded: str, i: int) -> bool:
    return any(v in folded[max(0, i - 8) : i] for v in ("挂牌成立", "加挂", "成立", "组建"))


def _issuer_level(issuer: str, jur: Jurisdiction | None) -> str:
    if jur and (issuer.startswith(jur.own) if jur.own else True):
        return jur.unit.level
    place = locate(fold(issuer))
    return place.level if place is not None else "other"


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
        return _parsed(jur)
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
    folded = _prepared(text)[0]
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
