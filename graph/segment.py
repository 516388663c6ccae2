"""Find a report's structure: title, preamble, sections (一、), focus areas ((一)), items (一是 / 1、).

Everything is found on the normalised text (same length as the original), so every span is an offset
into the original text. Page clutter before the title (索引号 tables, breadcrumbs, 字体 buttons) and
metadata lines after it (发布日期, 信息来源) are skipped. A text cut off mid-sentence simply ends its
last item early.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rolkg.graph.model import Span
from rolkg.graph.text import normalize, sentences, simplified_view, strip_span, trim_title

CN_DIGITS = "一二三四五六七八九十"
_CN_VALUE = {c: i + 1 for i, c in enumerate(CN_DIGITS)}


def cn_ordinal(s: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20 (ordinals up to 99 as used in headings)."""
    if s.isdigit():
        return int(s)
    if len(s) == 1:
        return _CN_VALUE[s]
    if s[0] == "十":
        return 10 + _CN_VALUE[s[1]]
    if s[-1] == "十":
        return _CN_VALUE[s[0]] * 10
    return _CN_VALUE[s[0]] * 10 + _CN_VALUE[s[2]]


# A boundary before a heading or item marker: start of text, a line break, a space, or a sentence end.
_B = r"(?:(?<=^)|(?<=[\n\s。;:!?|]))"
_SECTION = re.compile(_B + rf"([{CN_DIGITS}]{{1,3}})(?:、|\.(?![\d.]))")
_PART = re.compile(_B + rf"第([{CN_DIGITS}]{{1,3}})(?:部分|章)")
_AREA = re.compile(_B + rf"\(([{CN_DIGITS}]{{1,3}})\)")
_ITEM_CN = re.compile(rf"(?:(?<=^)|(?<=[\n\s。;:!?|,]))([{CN_DIGITS}]{{1,3}})是")
_ITEM_NUM = re.compile(_B + r"(\d{1,2})\s?[、.](?!\d)")
_ITEM_PAREN = re.compile(_B + r"\((\d{1,2})\)")

_TITLE_HINT = re.compile(r"法治|依法行政|法制")
_TITLE_END = re.compile(r"(报告|总结|情况|工作)\s*\|?\s*$")
_CLUTTER = re.compile(
    r"索引号|组配分类|发布机构|发文日期|生成日期|成文日期|公开方式|公开范围|主题分类|体裁分类|"
    r"字体|进入老年版|当前位置|首页|浏览次数|发布日期|发布时间|信息来源|打印本页|关闭窗口|分享到|"
    r"来源\s*:|作者\s*:|责任编辑|编辑\s*:|访问量|点击数|阅读次数|阅读量|【打印】|【关闭】|扫一扫"
)

SHORTCOMING_HEAD = re.compile(r"不足|问题|短板|差距|困难|薄弱")
PLAN_HEAD = re.compile(r"下一步|下步|计划|打算|思路|安排|展望|\d{4}年(?:度)?(?:工作|重点)")
# Words that mark a heading as looking ahead even when it names the report's own year.
_AHEAD = re.compile(r"下一步|下步|计划|打算|思路|安排|展望|重点工作|工作要点")
_HEAD_YEAR = re.compile(r"(20\d{2})\s*年")


@dataclass(slots=True)
class Node:
    """One heading or item with the span of its whole text and of its label."""

    level: str  # "section" | "area" | "item" | "sentence"
    number: int
    span: Span  # whole text, marker included
    label_span: Span
    body_start: int  # where the text after the heading/label starts
    children: list[Node] = field(default_factory=list)
    kind: str = ""  # for sections: achievements | shortcomings | plan | other


@dataclass(slots=True)
class Layout:
    """The segmented report."""

    text: str  # as published
    norm: str  # the simplified view, NFKC-folded; same length as ``text``
    title: Span | None
    header: Span  # clutter + title + metadata lines
    preamble: Span
    sections: list[Node]
    view: str = ""  # the text in simplified characters (``text`` itself unless published in traditional)


def _markers(pattern: re.Pattern[str], norm: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """(marker start, text start after marker, ordinal) for a strictly 1,2,3… numbered run."""
    found: list[tuple[int, int, int]] = []
    expected = 1
    for m in pattern.finditer(norm, start, end):
        n = cn_ordinal(m.group(1))
        if n == expected:
            found.append((m.start(), m.end(), n))
            expected += 1
        elif n == 1 and len(found) == 1:
            # A new run restarting at 1 before the first took hold: prefer the later one.
            found = [(m.start(), m.end(), n)]
            expected = 2
    return found if found else []


def _label_end(norm: str, start: int, end: int, headline: bool) -> int:
    """End of a heading's label: the line end, a sentence end, or (for long lines) the first clause."""
    stops = "。\n" if headline else "。;\n"
    j = start
    while j < end and norm[j] not in stops:
        j += 1
    if headline:
        # One-line pages (no line breaks) run a heading into its first item: stop at a gap before a marker.
        m = _GAP_BEFORE_MARKER.search(norm, start, j)
        if m:
            j = m.start()
    elif j - start > 40:
        # A long sentence: its first clause, but never just a date or place ("2023年,").
        k = start
        while k < j:
            if norm[k] in ",:" and k - start >= 8:
                break
            k += 1
        j = k
    return j


_GAP_BEFORE_MARKER = re.compile(
    r"\s+(?=[一二三四五六七八九十]{1,3}是|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[、.])"
)


def _find_title(norm: str) -> tuple[Span | None, int]:
    """The title (if any) and where the body begins. A title may run over two lines; a trailing date
    (2025-03-26) or site name after it is not part of it."""
    pos = 0
    lines: list[tuple[int, int]] = []
    for line in norm.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    head = [(s2, e2) for s2, e2 in (_title_core(norm, s, e) for s, e in lines[:40])]
    for k, (s, e) in enumerate(head):
        if e <= s:
            continue
        prev = _previous_line(head, k)
        if prev is not None and _two_line_title(norm[prev[0] : prev[1]], norm[s:e]):
            return Span(prev[0], e), lines[k][1]
        if _is_title(norm[s:e]):
            return Span(s, e), lines[k][1]
    return None, 0


def _previous_line(head: list[tuple[int, int]], k: int) -> tuple[int, int] | None:
    """The non-empty line just before line ``k`` (at most one blank line between)."""
    for j in (k - 1, k - 2):
        if j >= 0 and head[j][1] > head[j][0]:
            return head[j]
        if j >= 0 and j == k - 2:
            return None
    return None


def _title_core(norm: str, s: int, e: int) -> tuple[int, int]:
    """A line's title part: without table residue (| |), a trailing date or a site name."""
    s2, e2 = strip_span(norm, s, e, " \t\r\u3000|")
    line = norm[s2:e2]
    if "|" in line:
        core = line.split("|")[0].strip()
        s2 = s2 + line.index(core) if core else s2
        e2 = s2 + len(core)
    s2, e2 = trim_title(norm, s2, e2)
    return s2, e2


def _is_title(core: str) -> bool:
    return (
        6 <= len(core) <= 60
        and not _MARKER_START.match(core)  # 一、2022年法治政府建设情况 is the first section's heading
        and bool(_TITLE_HINT.search(core))
        and "。" not in core
        and not _CLUTTER.search(core)
        and bool(re.search(r"报告|总结|情况", core))
    )


def _two_line_title(first: str, second: str) -> bool:
    """Whether ``first`` is the first line of a title that ``second`` finishes: the second line is no
    title alone, or one that does not say whose it is (关于…, 2023年…); the first line is not one either."""
    if not _is_title(first + second) or _is_title(first) or not _title_part(first):
        return False
    return not _is_title(second) or _needs_subject(second)


def _needs_subject(core: str) -> bool:
    # "关于2023年…的报告" or "2023年度…报告" alone does not say whose it is.
    return bool(re.match(r"(?:关于|\d{4}年)", core))


def _title_part(line: str) -> bool:
    """A line that can be the first half of a title: short, no sentence or clause end, not page chrome."""
    return 2 <= len(line) <= 40 and not any(c in line for c in "。,;:!?>") and not _CLUTTER.search(line)


def _body_start(norm: str, after: int) -> int:
    """Skip metadata lines (发布日期, 信息来源, addressees like 市委、市政府:) after the title."""
    pos = after
    while pos < len(norm):
        nl = norm.find("\n", pos)
        line_end = len(norm) if nl == -1 else nl
        line = norm[pos:line_end].strip(" |\t\r\u3000")
        addressee = line.endswith(":") and len(line) <= 20
        if line and not _CLUTTER.search(line[:30]) and not addressee and not re.fullmatch(r"[|\s]*", line):
            return pos
        if nl == -1:
            return len(norm)
        pos = nl + 1
    return pos


def _first_prose(norm: str) -> int:
    """With no title found: the first line that reads as prose (a sentence) or a section heading."""
    pos = 0
    for line in norm.split("\n"):
        stripped = line.strip(" |\t\r\u3000")
        if stripped and not _CLUTTER.search(stripped[:30]) and ("。" in stripped or _SECTION.match(stripped)):
            return pos + line.index(stripped[0])
        pos += len(line) + 1
    return 0


def _section_kind(label: str, index: int, year: int | None = None) -> str:
    """achievements | shortcomings | plan | other, from a heading and the report's own year.

    A heading naming a year after the report's is the plan; one naming the report's own year (or an
    earlier one) is work done, unless it also says it looks ahead (2023年工作计划 in a 2023 report).
    """
    m = _HEAD_YEAR.search(label)
    if m and year:
        named = int(m.group(1))
        if named > year:
            return "plan"
        if not _AHEAD.search(label):
            return "achievements"
    if PLAN_HEAD.search(label):
        return "plan"
    if SHORTCOMING_HEAD.search(label) and not re.search(r"成效|举措|做法", label):
        return "shortcomings"
    return "achievements" if index == 0 or re.search(r"举措|成效|做法|情况|工作", label) else "other"


def report_year(norm: str, title: Span | None, preamble: Span) -> int | None:
    """The year a report covers, as its title or the opening of its preamble names it."""
    for s, e in ((title.start, title.end) if title else (0, 0), (preamble.start, preamble.start + 200)):
        m = _HEAD_YEAR.search(norm, s, min(e, len(norm)))
        if m:
            return int(m.group(1))
    return None


def segment(text: str, year: int | None = None) -> Layout:
    """Segment a report's text. Never raises on odd input.

    Sections are found by the first layout that fits: 一、 headings; top-level (一) headings; unnumbered
    heading lines (a short line between paragraphs). Text with none of these still yields one section
    whose items are its numbered items, or else its sentences. ``year`` (the report's, when known) tells
    work done from the plan; without it the title or preamble names it.
    """
    view = simplified_view(text)
    norm = normalize(view)
    title, after_title = _find_title(norm)
    body = _body_start(norm, after_title) if title else _first_prose(norm)
    header = Span(0, body)
    end = len(norm)
    sections: list[Node] = []
    for finder in (_part_sections, _numbered_sections, _area_sections, _heading_line_sections):
        sections = finder(norm, body, end)
        if sections:
            break
    pre_end = sections[0].span.start if sections else _first_paragraph_end(norm, body, end)
    ps, pe = strip_span(norm, body, pre_end)
    preamble = Span(ps, pe)
    if not sections:
        sections = _unstructured(norm, pe, end)
    year = year or report_year(norm, title, preamble)
    for i, node in enumerate(sections):
        node.kind = _section_kind(norm[node.label_span.start : node.label_span.end], i, year)
        if not node.children:
            node.children = _areas(norm, node, year)
    return Layout(text, norm, title, header, preamble, sections, view)


def _part_sections(norm: str, body: int, end: int) -> list[Node]:
    """第一部分 / 第一章 headings (a report in parts, each with its own 一、 or (一) below)."""
    marks = [m for m in _markers(_PART, norm, body, end) if m[0] == 0 or norm[m[0] - 1] == "\n"]
    if len(marks) < 2:
        return []
    parts = _headings(norm, "section", marks, end)
    for part in parts:
        # 一、 headings inside a part are its focus areas; (一) inside are found as usual
        sub = _markers(_SECTION, norm, part.body_start, part.span.end)
        if sub:
            part.children = _headings(norm, "area", sub, part.span.end)
            for area in part.children:
                area.children = _items(norm, area.body_start, area.span.end)
                _heading_only_is_item(area)
    return parts


def _heading_only_is_item(area: Node) -> None:
    """A heading with nothing under it (一、完善制度。二、…) is itself the measure, not a focus area."""
    if not area.children:
        area.level = "item"


def _numbered_sections(norm: str, body: int, end: int) -> list[Node]:
    return _headings(norm, "section", _markers(_SECTION, norm, body, end), end)


def _area_sections(norm: str, body: int, end: int) -> list[Node]:
    """(一)(二) as the top level when a report has no 一、 headings: only if they head their own lines."""
    marks = [m for m in _markers(_AREA, norm, body, end) if m[0] == 0 or norm[m[0] - 1] == "\n"]
    if len(marks) < 2 or [n for _, _, n in marks] != list(range(1, len(marks) + 1)):
        return []
    return _headings(norm, "section", marks, end)


_LINE_END_PUNCT = "。,;:、!?"


def _heading_line_sections(norm: str, body: int, end: int) -> list[Node]:
    """Unnumbered headings on their own lines (a ministry's style): each heads a section.

    A heading line is short, holds no sentence end, does not end in punctuation, follows a finished
    sentence (or the start of the body) and precedes a longer paragraph. Two are needed to call it a layout.
    """
    lines = _lines(norm, body, end)
    heads: list[tuple[int, int]] = []
    prev_end_ok = True
    for k, (s, e) in enumerate(lines):
        line = norm[s:e]
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        if (
            prev_end_ok
            and 4 <= len(line) <= 30
            and not any(c in line for c in "。;!?")
            and line[-1] not in _LINE_END_PUNCT
            and not _MARKER_START.match(line)
            and nxt is not None
            and (nxt[1] - nxt[0] > len(line) or norm[nxt[1] - 1] in "。!?")
        ):
            heads.append((s, e))
            prev_end_ok = True
            continue
        prev_end_ok = line[-1] in "。!?:"
    if len(heads) < 2:
        return []
    out: list[Node] = []
    for i, (s, e) in enumerate(heads):
        he = heads[i + 1][0] if i + 1 < len(heads) else end
        s0, s1 = strip_span(norm, s, he)
        out.append(Node("section", i + 1, Span(s0, s1), Span(s, e), body_start=min(e + 1, s1)))
    return out


_MARKER_START = re.compile(
    rf"[{CN_DIGITS}]{{1,3}}、|\([{CN_DIGITS}\d]{{1,3}}\)|\d{{1,2}}[、.]|[{CN_DIGITS}]{{1,3}}是"
)


def _lines(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank lines of ``norm[start:end]``, stripped, as spans."""
    out = []
    pos = start
    while pos < end:
        nl = norm.find("\n", pos, end)
        le = end if nl == -1 else nl
        s, e = strip_span(norm, pos, le)
        if e > s:
            out.append((s, e))
        pos = le + 1
    return out


def _first_paragraph_end(norm: str, body: int, end: int) -> int:
    """Where the first paragraph of an unstructured body ends (its first sentence if it is one paragraph)."""
    lines = _lines(norm, body, end)
    if len(lines) >= 2:
        return lines[0][1]
    found = sentences(norm, body, end)
    return found[0][1] if len(found) >= 2 else body


def _unstructured(norm: str, start: int, end: int) -> list[Node]:
    """No recognisable headings: one section over the whole body, so that its items are still found."""
    s0, s1 = strip_span(norm, start, end)
    if s1 <= s0 or not any(c.isalnum() for c in norm[s0:s1]):
        return []
    first = sentences(norm, s0, s1)
    ls, le = first[0] if first else (s0, s1)
    le = _label_end(norm, ls, le, headline=False)
    ls, le = strip_span(norm, ls, le, " \t\r\n\u3000|。;,")
    return [Node("section", 1, Span(s0, s1), Span(ls, max(le, ls + 1)), body_start=s0)]


def _headings(norm: str, level: str, marks: list[tuple[int, int, int]], end: int) -> list[Node]:
    """Heading nodes (一、 / (一)) for a numbered run of markers; each runs to the next marker."""
    out: list[Node] = []
    for i, (ms, ts, n) in enumerate(marks):
        he = marks[i + 1][0] if i + 1 < len(marks) else end
        le = _label_end(norm, ts, he, headline=True)
        ls, le2 = strip_span(norm, ts, le, " \t\r\n\u3000|。")
        s0, s1 = strip_span(norm, ms, he)
        out.append(Node(level, n, Span(s0, s1), Span(ls, le2), body_start=min(le + 1, s1)))
    return out


def _areas(norm: str, section: Node, year: int | None = None) -> list[Node]:
    start, end = section.body_start, section.span.end
    marks = _markers(_AREA, norm, start, end)
    if not marks:
        return _items(norm, start, end)
    areas = _headings(norm, "area", marks, end)
    if section.kind == "shortcomings":
        # (一)(二) under 存在的不足 list the shortcomings themselves, not focus areas.
        for area in areas:
            area.level = "item"
        return areas
    heading = norm[section.label_span.start : section.label_span.end]
    combined = bool(SHORTCOMING_HEAD.search(heading) and PLAN_HEAD.search(heading))
    for area in areas:
        if combined:
            # 存在的问题和下一步打算: each area says which of the two it is.
            kind = _section_kind(norm[area.label_span.start : area.label_span.end], 1, year)
            area.kind = kind if kind in ("shortcomings", "plan") else ""
        area.children = _items(norm, area.body_start, area.span.end)
        _heading_only_is_item(area)
    return areas


def _items(norm: str, start: int, end: int) -> list[Node]:
    """Numbered items (一是 / 1、 / (1)) inside a parent; else one item per sentence."""
    for pattern in (_ITEM_CN, _ITEM_NUM, _ITEM_PAREN):
        marks = _markers(pattern, norm, start, end)
        if len(marks) >= 1:
            return _numbered(norm, marks, end)
    out: list[Node] = []
    for s, e in sentences(norm, start, end):
        if out and _RESULT_SENTENCE.match(norm, s):
            # "2023年,…共办理…件" reports the outcome of the measure before it: one initiative, not two.
            prev = out[-1]
            prev.span = Span(prev.span.start, e)
            continue
        le = _label_end(norm, s, e, headline=False)
        ls, le = strip_span(norm, s, le, " \t\r\n\u3000|。;,")
        out.append(Node("sentence", len(out) + 1, Span(s, e), Span(ls, le), body_start=s))
    return out


_RESULT_SENTENCE = re.compile(r"(?:\d{4}年(?:度|以来)?|今年以来|全年|其中|截至|目前|共|累计|全市共|同比)")


def _numbered(norm: str, marks: list[tuple[int, int, int]], end: int) -> list[Node]:
    out = []
    for i, (ms, ts, n) in enumerate(marks):
        ie = marks[i + 1][0] if i + 1 < len(marks) else end
        s0, s1 = strip_span(norm, ms, ie, " \t\r\n\u3000|;")
        le = _label_end(norm, ts, s1, headline=False)
        ls, le = strip_span(norm, ts, le, " \t\r\n\u3000|。;,")
        out.append(Node("item", n, Span(s0, s1), Span(ls, le), body_start=le))
    return out
