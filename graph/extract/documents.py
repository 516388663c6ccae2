"""Items named in 《》: policies, laws, plans, agreements, projects, publications, forms, artworks, reports.

Kind precedence (first that applies wins):

1. a noun right after the group: ``《A》《B》等2个项目`` → project, ``《法治宁波》简报`` → publication,
   ``…》录用/刊发`` → publication (the group shares it);
2. a genre word right before: ``朗诵作品《…》`` → artwork;
3. the title's head noun (its ending once a trailing ``(试行)`` / ``(2021-2025年)`` is set aside);
4. the title reads as a practice (打造/探索… or ends in 模式/体系/机制/品牌) or the clause says
   项目/最佳实践/入选/培育 → project;
5. other.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rolkg.graph.extract.bodies import bracket_ranges, find_bodies
from rolkg.graph.extract.places import Jurisdiction, fold
from rolkg.graph.model import BodyMention, DocumentMention, Span

__all__ = ["HEADS", "classify_title", "find_documents"]

# Head nouns per kind, checked on the title's ending; within a kind longer nouns come first.
HEADS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "form",
        (
            "通知书",
            "决定书",
            "建议书",
            "意见书",
            "告知书",
            "提示函",
            "登记簿",
            "登记表",
            "审批表",
            "台账",
            "表",
        ),
    ),
    ("agreement", ("框架协议", "合作协议", "协议书", "协议", "备忘录", "合作框架", "协定", "公约")),
    (
        "publication",
        ("简报", "专刊", "政务信息", "信息", "杂志", "日报", "晚报", "时报", "周刊", "期刊", "通讯"),
    ),
    ("report", ("白皮书", "报告", "情况", "总结")),
    ("plan", ("规划", "纲要", "要点", "计划", "行动方案", "实施方案", "方案", "重点工作", "工作安排")),
    (
        "policy",
        (
            "办法",
            "规定",
            "细则",
            "意见",
            "通知",
            "通告",
            "公告",
            "指引",
            "指南",
            "措施",
            "规范",
            "制度",
            "规则",
            "清单",
            "决定",
            "标准",
            "准则",
            "守则",
            "手册",
            "目录",
        ),
    ),
    ("law", ("条例", "法典", "法")),
    ("project", ("新模式", "模式", "新体系", "体系", "机制", "品牌", "工作法")),
)
# 办法/方法/工作法/宪法 end in 法 but only 宪法 and …法 proper are laws; 工作法 is a practice.
_NOT_LAW = ("办法", "方法", "工作法", "做法", "写法", "算法")
_TRAILING_PAREN = re.compile(r"[(（][^()（）]{0,20}[)）]$")
_PRACTICE_START = re.compile(r"^(打造|探索|构建|创新|推进|推行|深化|建立|实施|首创|聚力|以)")
_ARTWORK_BEFORE = re.compile(
    r"(朗诵作品|文艺作品|作品|歌曲|微电影|情景剧|小品|短视频|快板|漫画|动漫|视频|MV|剧本)$"
)
_GROUP_AFTER = re.compile(
    r"^(?:等)?(?:(\d+|[一二两三四五六七八九十]+)(?:个|项|部|篇|件))?(项目|简报|杂志|专刊|作品|案例)"
)
_PUBLISHED_AFTER = re.compile(r"^[^,，。；;]{0,4}?(录用|刊发|刊登|刊载|转载|采用|登载)")
_COUNT_AFTER = re.compile(r"^(\d+)(?:余)?(份|本|册|件|张|套|个|部)")
_PROJECT_CUES = ("项目", "最佳实践", "入选", "培育", "典型案例")
_CREATION_VERBS = (
    "审议出台",
    "研究出台",
    "出台",
    "制定",
    "印发",
    "发布",
    "制订",
    "签订",
    "审议通过",
    "联合发布",
)
_CLAUSE_STOP = "。；;\n"


def classify_title(title: str) -> str | None:
    """The kind implied by a title alone (its head noun or a practice phrasing), or None."""
    t = fold(title).strip()
    if t.startswith("中华人民共和国"):
        return "law"
    core = t
    while _TRAILING_PAREN.search(core) and len(core) > 4:
        tail = _TRAILING_PAREN.search(core)
        assert tail is not None
        inner = tail.group(0)[1:-1]
        # (专刊) names the publication type; (试行) / (2021-2025年) only qualify the head noun.
        if inner in ("专刊", "增刊"):
            return "publication"
        core = core[: tail.start()]
    core = core.rstrip('”"')
    for kind, heads in HEADS:
        for head in heads:
            if core.endswith(head):
                if kind == "law" and core.endswith(_NOT_LAW):
                    break
                return kind
    if _PRACTICE_START.match(core):
        return "project"
    return None


def find_documents(
    text: str,
    start: int = 0,
    end: int | None = None,
    jurisdiction: Jurisdiction | str | None = None,
    issuer: str | None = None,
) -> list[DocumentMention]:
    """Every 《…》 item in ``text[start:end]`` with its kind, copy count and (when stated) creating body."""
    end = len(text) if end is None else end
    folded = fold(text)
    # Resolve the jurisdiction once, from the whole text: the creator look-ups below see only a clause.
    if isinstance(jurisdiction, str) and jurisdiction:
        jurisdiction = Jurisdiction.parse(jurisdiction)
    elif jurisdiction is None or isinstance(jurisdiction, str):
        jurisdiction = Jurisdiction.guess(issuer, text)
    ranges = [(s, e) for s, e in bracket_ranges(folded) if start <= s and e <= end]
    out: list[DocumentMention] = []
    for group in _groups(folded, ranges):
        g_end = group[-1][1]
        after = folded[g_end : g_end + 12]
        group_kind = _group_kind(after)
        multi = len(group) > 1 or after.startswith("等")
        before = folded[max(0, group[0][0] - 8) : group[0][0]]
        clause = _clause(folded, group[0][0], g_end)
        for s, e in group:
            title = text[s + 1 : e - 1]
            kind = group_kind or _kind(folded[s + 1 : e - 1], before, clause)
            count = None
            if not multi and (cm := _COUNT_AFTER.match(after)):
                count = int(cm.group(1))
            creator = _creator(text, folded, s, jurisdiction, issuer)
            out.append(DocumentMention(title, kind, Span(s, e), count, creator))
    return out


def _groups(folded: str, ranges: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Runs of adjacent 《A》《B》 (or 《A》、《B》) that share what follows them."""
    groups: list[list[tuple[int, int]]] = []
    for s, e in ranges:
        if groups and folded[groups[-1][-1][1] : s] in ("", "、", "和", "及"):
            groups[-1].append((s, e))
        else:
            groups.append([(s, e)])
    return groups


def _group_kind(after: str) -> str | None:
    if m := _GROUP_AFTER.match(after):
        noun = m.group(2)
        return {
            "项目": "project",
            "案例": "project",
            "作品": "artwork",
        }.get(noun, "publication")
    if _PUBLISHED_AFTER.match(after):
        return "publication"
    return None


def _kind(title: str, before: str, clause: str) -> str:
    if _ARTWORK_BEFORE.search(before):
        return "artwork"
    by_title = classify_title(title)
    if by_title:
        return by_title
    if any(c in clause for c in _PROJECT_CUES):
        return "project"
    return "other"


def _clause(folded: str, s: int, e: int) -> str:
    a = s
    while a > 0 and folded[a - 1] not in _CLAUSE_STOP:
        a -= 1
    b = e
    while b < len(folded) and folded[b] not in _CLAUSE_STOP:
        b += 1
    # Titles themselves must not trigger cues (《…项目管理办法》), so blank them out.
    return re.sub(r"《[^》]*》", "", folded[a:b])


def _creator(
    text: str, folded: str, s: int, jurisdiction: Jurisdiction | str | None, issuer: str | None
) -> str | None:
    """The body stated as issuing the title: a subject before a creation verb in the clause, or the
    issuer named at the head of the title (《中共…委员会办公室关于…的通知》)."""
    inner_end = folded.find("》", s)
    title = folded[s + 1 : inner_end]
    if "关于" in title:
        head = title[: title.index("关于")]
        if head:
            named = find_bodies(head, jurisdiction=jurisdiction, issuer=issuer)
            if named and named[0].span.start == 0:
                return named[0].canonical
    a = s
    while a > 0 and folded[a - 1] not in _CLAUSE_STOP + ",，":
        a -= 1
    prefix = folded[a:s]
    verb_at = max((prefix.rfind(v) for v in _CREATION_VERBS), default=-1)
    if verb_at < 0:
        return _adjacent_body(text, s, jurisdiction, issuer)
    subject_zone = prefix[:verb_at]
    if re.search(r"(联合|会同|提请|指导|督促|推动|配合)", subject_zone) and "提请" not in subject_zone:
        return None  # co-issuers are partners; the issuer remains the creator by default
    bodies = _bodies_in(text, a, a + verb_at, jurisdiction, issuer)
    if not bodies and "审议通过" in prefix:
        # 召开…委员会第三次会议,审议通过《…》: the meeting's committee approved it.
        sent = s
        while sent > 0 and folded[sent - 1] not in _CLAUSE_STOP:
            sent -= 1
        bodies = _bodies_in(text, sent, a, jurisdiction, issuer)[-1:]
    if not bodies:
        return None
    if "提请" in subject_zone:
        after_ask = a + subject_zone.rindex("提请")
        bodies = [b for b in bodies if b.span.start >= after_ask] or bodies
    return bodies[0].canonical


def _adjacent_body(
    text: str, s: int, jurisdiction: Jurisdiction | str | None, issuer: str | None
) -> str | None:
    # 省政府办公厅《浙江政务信息(专刊)》: a body written directly before the title owns it.
    bodies = _bodies_in(text, max(0, s - 14), s, jurisdiction, issuer)
    if bodies and bodies[-1].span.end == s:
        return bodies[-1].canonical
    return None


_MARGIN = 8  # characters of left context a body match looks at (全市, 指导龙山镇)


def _bodies_in(
    text: str, s: int, e: int, jurisdiction: Jurisdiction | str | None, issuer: str | None
) -> list[BodyMention]:
    """Bodies in ``text[s:e]``, searched in a window around the span so the cost is the span's, not the
    whole text's (one look-up per 《》 item would otherwise make extraction quadratic)."""
    w0 = max(0, s - _MARGIN)
    window = text[w0 : min(len(text), e + _MARGIN)]
    found = find_bodies(window, s - w0, e - w0, jurisdiction=jurisdiction, issuer=issuer)
    return [replace(b, span=Span(b.span.start + w0, b.span.end + w0)) for b in found]
