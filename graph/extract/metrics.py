"""Figures in report text: counts, amounts, rates, year-on-year changes, ratios and multiples.

A figure is a number (Arabic or Chinese) followed by a measure word, ``%`` or ``倍``, or a ratio
``a:b``. Numbers that name things rather than count them are skipped: anything inside “…”/《…》
quotes, ordinals (第一批, 第三次), years and dates (no measure word follows), codes (1+N+17,
12345热线) and idioms built on 一 (一站式, 一件事). Chinese numerals followed by 大 (四大行动) are
treated as slogans, not figures, because 大 is not a measure word.

Matching runs on a view of the text with full-width forms folded to ASCII, one character for one, so
every span indexes the original string.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from decimal import Decimal

from rolkg.graph.model import Metric, Span
from rolkg.graph.numerals import CHINESE_NUMERAL_CHARS, is_chinese_numeral, parse_numeral, tidy

# Measure words → base unit. Longer forms first so 人次 wins over 人.
_UNITS: dict[str, str] = {
    "个百分点": "百分点",
    "个工作日": "工作日",
    "平方公里": "平方公里",
    "平方米": "平方米",
    "百分点": "百分点",
    "工作日": "工作日",
    "个月": "月",
    "人次": "人次",
    "家次": "家次",
    "场次": "场次",
    "件次": "件次",
    "户次": "户次",
    "批次": "批次",
    "课时": "课时",
    "学时": "学时",
    "部门": "部门",
    "方面": "方面",
    "公里": "公里",
    "公顷": "公顷",
    "小时": "小时",
    "分钟": "分钟",
    "件": "件",
    "次": "次",
    "家": "家",
    "名": "名",
    "人": "人",
    "位": "位",
    "期": "期",
    "条": "条",
    "个": "个",
    "项": "项",
    "场": "场",
    "份": "份",
    "篇": "篇",
    "批": "批",
    "户": "户",
    "所": "所",
    "讲": "讲",
    "元": "元",
    "起": "起",
    "例": "例",
    "卷": "卷",
    "宗": "宗",
    "轮": "轮",
    "张": "张",
    "册": "册",
    "本": "本",
    "块": "块",
    "处": "处",
    "套": "套",
    "台": "台",
    "辆": "辆",
    "座": "座",
    "间": "间",
    "支": "支",
    "组": "组",
    "类": "类",
    "种": "种",
    "款": "款",
    "门": "门",
    "堂": "堂",
    "节": "节",
    "幅": "幅",
    "首": "首",
    "页": "页",
    "亩": "亩",
    "吨": "吨",
    "天": "天",
    "倍": "倍",
    "%": "%",
    "‰": "‰",
}
# Units whose figure reads as a duration; 15分钟公共法律服务圈 is a slogan, so these need a clean ending.
_TIME_UNITS = frozenset({"分钟", "小时", "天", "工作日", "月"})
# Units after which a following noun does not say what was counted.
_NO_AFTER_NOUN = frozenset({"%", "‰", "百分点", "倍", "比", "元", *_TIME_UNITS})

_ARABIC = r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?|(?<![\d.])\d+(?:\.\d+)?"
_CN = f"[{CHINESE_NUMERAL_CHARS}]+"
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_FIGURE_RE = re.compile(
    rf"(?P<num>{_ARABIC}|{_CN})(?P<q1>余|多)?(?P<mult>千万|[千万亿])?(?P<q2>余|多)?"
    rf"(?P<unit>{_UNIT_ALT})(?P<q3>以上|以下|左右|之多)?"
)
_RATIO_RE = re.compile(r"(?<![\d.])(?P<a>\d+(?:\.\d+)?):(?P<b>\d+(?:\.\d+)?)(?![\d.])")

# Year-on-year and base-period changes, written just before the number: 同比上升, 较2022年增加.
_CHANGE_RE = re.compile(
    r"(?:同比|环比|较(?:上年|去年|上一年|同期|年初|\d{4}年(?:同期|底)?)?|比(?:上年|去年|\d{4}年)(?:同期)?)"
    r"(?:分别)?(?:上升|增长|增加|提高|提升|下降|减少|降低|上涨|回落|增|降|减)了?(?:约|近)?$"
)
# Without a base period a bare direction marks a change only for rates: 提高5个百分点, 下降3%.
_BARE_CHANGE_RE = re.compile(r"(?:上升|增长|增加|提高|提升|下降|减少|降低|上涨|回落)了?$")
_RATE_UNITS = frozenset({"%", "‰", "百分点"})
_LEAD_QUALIFIERS = (
    "不少于",
    "不低于",
    "超过",
    "共计",
    "合计",
    "总计",
    "累计",
    "至少",
    "约",
    "近",
    "超",
    "逾",
    "共",
)
_CLAUSE_LEAD_QUALIFIERS = ("累计", "共计", "合计", "总计", "共")

_QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", "〈": "〉", "‘": "’"}
_QUOTE_MAX = 80  # an opener with no closer this close is a stray, not a quote
_CLAUSE_BREAK = set(",，;。:!?\n|")
_SENTENCE_BREAK = set(";。!?\n|")
_CONNECTORS = ("以及", "和", "及", "与", "、")


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Verbs that typically introduce the counted object ("开展各类活动72次"). The indicator is what follows
# the last of them. Kept to verbs that rarely end a noun compound.
_VERBS = _words(
    """
    查处 评查 审理 调处 获 压缩 缩短 开展 建成 完成 收集 发布 公开 收到 审核 审查 办理 受理 解答 见证
    培训 组织 参加 参与 新增 增设 新建 设立 创作 推出 举办 召开 出台
    制定 制订 印发 发放 签订 实现 涉及 调解 化解 处置 处理 约谈 避免
    惠及 帮助 协助 落实 推进 推动 形成 梳理 整合 遴选 组建 指导 提供
    培育 上报 入选 获评 获得 选树 聘请 聘任 任命 持有 编制 修订 清理
    审结 办结 接待 走访 排查 检查 督查 开通 更新 投入 运行 建设 打造
    举行 通过 录用 评选 命名 授予 选派 派出 征集 收录 挽回 追回 减少
    增加 完善 提出 作出 做出 是 有 覆盖 吸引 学习 参训 报送 办件 落地
    完成了 开设 设置 配备 选聘 招募 签约 公示 研究 部署 审议 出具 提交
    发出 制发 明确 发现 确保
    """
)
_MAX_VERB = max(len(v) for v in _VERBS)
# A verb followed by one of these is the first half of a noun (审查员, 调解队伍, 服务事项).
_NOUN_SUFFIX = frozenset("员者师点站所室库率量数机事项单表书证费处部科局组会中队团网")
# Heads too generic to stand alone; extend the indicator back to the previous verb instead.
_GENERIC = frozenset({"事项", "工作", "情况", "问题", "人员"})
_LEAD_STRIP = (
    "其中",
    "以及",
    "此外",
    "同时",
    "全市",
    "全区",
    "全县",
    "全省",
    "全年",
    "全局",
    "年内",
    "今年",
    "当年",
    "我局",
    "我市",
    "我区",
    "共计",
    "累计",
    "合计",
    "总计",
    "先后",
    "分别",
    "和",
    "及",
    "与",
    "、",
    "并",
    "另",
    "还",
    "已",
    "共",
    "均",
)
_TRAIL_STRIP = (
    "达到",
    "压缩",
    "缩短",
    "提高",
    "提升",
    "降低",
    "共计",
    "累计",
    "合计",
    "总计",
    "超过",
    "分别",
    "保持",
    "平均",
    "突破",
    "达",
    "为",
    "至",
    "约",
    "近",
    "超",
    "逾",
    "均",
    "已",
    "了",
    "的",
    "共",
    "仅",
    "由",
)
_YEAR_LEAD_RE = re.compile(r"^\d{4}年(?:度)?")
_MAX_INDICATOR = 20
_MAX_CLAUSE = 300  # longest clause/sentence looked back over, in characters


def normalise(text: str) -> str:
    """Fold full-width forms (５８７％：) to ASCII, one character for one, so offsets stay valid.

    Only the full-width block and the ideographic space are folded: general NFKC would turn ① into 1
    (making ①5个 read as 15个) and may expand one character into several.
    """
    out = []
    for ch in text:
        # keep the full-width comma: only an ASCII comma may be a thousands separator (1,051,377)
        if ("\uff01" <= ch <= "\uff5e" and ch != "，") or ch in "\u3000\ufe6a":
            n = unicodedata.normalize("NFKC", ch)
            out.append(n if len(n) == 1 else ch)
        else:
            out.append(ch)
    return "".join(out)


def quoted_mask(norm: str) -> list[bool]:
    """True at each position inside a quotation (“…”, 《…》, "…"), brackets included."""
    mask = [False] * len(norm)
    i = 0
    n = len(norm)
    while i < n:
        ch = norm[i]
        closer = _QUOTE_PAIRS.get(ch) or ('"' if ch == '"' else None)
        if closer is None:
            i += 1
            continue
        j = norm.find(closer, i + 1, min(n, i + 1 + _QUOTE_MAX))
        if j == -1 or "。" in norm[i:j] or "\n" in norm[i:j]:
            i += 1
            continue
        for k in range(i, j + 1):
            mask[k] = True
        i = j + 1
    return mask


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _verb_positions(s: str) -> list[tuple[int, int]]:
    """(start, end) of each verb in ``s``, longest match at each position, non-overlapping."""
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(s):
        for size in range(min(_MAX_VERB, len(s) - i), 0, -1):
            nxt = s[i + size] if i + size < len(s) else ""
            if s[i : i + size] in _VERBS and nxt not in _NOUN_SUFFIX:
                found.append((i, i + size))
                i += size
                break
        else:
            i += 1
    return found


def _starts_with_verb(s: str) -> bool:
    verbs = _verb_positions(s)
    return bool(verbs) and verbs[0][0] == 0


def _strip(s: str) -> str:
    """Remove scope words, connectors and linking verbs around a candidate indicator."""
    changed = True
    while changed and s:
        changed = False
        m = _YEAR_LEAD_RE.match(s)
        if m:
            s = s[m.end() :]
            changed = True
        for w in _LEAD_STRIP:
            if s.startswith(w) and len(s) > len(w):
                s = s[len(w) :]
                changed = True
        for w in _TRAIL_STRIP:
            # 公共 is a word, not 公 + 共 (a total)
            if s.endswith(w) and not (w == "共" and s.endswith("公共")):
                s = s[: -len(w)]
                changed = True
    return s.strip(" \t")


def _after_last_verb(prefix: str) -> str:
    """The noun phrase after the last verb that leaves a meaningful, non-generic phrase."""
    prefix = _strip(prefix)
    if not prefix:
        return ""
    verbs = _verb_positions(prefix)
    candidates = [prefix[end:] for _, end in reversed(verbs)]
    if not verbs or verbs[0][0] > 0:
        candidates.append(prefix)
    fallback = ""
    for cand in candidates:
        # 建成实践站并投入运行: the object sits before 并 + verb
        m = re.search("并(?=" + "|".join(_VERBS) + ")", cand)
        if m:
            cand = cand[: m.start()]
        cand = _strip(cand)
        if "等" in cand:
            tail = _strip(cand.rsplit("等", 1)[1])
            cand = tail if len(tail) >= 2 else _strip(cand.rsplit("等", 1)[0])
        if "的" in cand:
            tail = cand.rsplit("的", 1)[1]
            if len(tail) >= 2:
                cand = tail
        if len(cand) < 2 or _starts_with_verb(cand):
            continue
        if cand in _GENERIC:
            fallback = fallback or cand
            continue
        return cand[-_MAX_INDICATOR:]
    return fallback


def _after_noun(norm: str, pos: int, limit: int) -> str:
    """The noun right after a figure (新建实践站3个 → no; 4个项目入选 → 项目)."""
    i = pos
    out = []
    while i < limit:
        ch = norm[i]
        if ch in _CLAUSE_BREAK or ch in "、 \t" or ch.isdigit() or (ch in CHINESE_NUMERAL_CHARS and not out):
            break
        out.append(ch)
        i += 1
        if len(out) >= _MAX_INDICATOR:
            break
    s = "".join(out)
    if not s or (not _is_cjk(s[0]) and s[0] not in "“(") or s.startswith((*_CONNECTORS, "并")):
        return ""
    # verbs first: 参与 must not be cut at its 与
    verbs = [v for v in _verb_positions(s) if v[0] > 0]
    if verbs:
        s = s[: verbs[0][0]]
    for stop in (*_CONNECTORS, "并", "在", "于", "等"):
        k = s.find(stop)
        if k > 0:
            s = s[:k]
    s = s.removesuffix("的")
    if len(s) < 2 or _starts_with_verb(s) or s.startswith(("以上", "余", "多", "左右")) or s in _ADVERBS:
        return ""
    return s


# Words that follow a count as adverbs of the next verb (4次专题研究), not as the thing counted.
_ADVERBS = frozenset({"专题", "集中", "分别", "共同", "先后", "累计", "逐一", "全部"})


def _tail_object(norm: str, pos: int, hi: int) -> str:
    """The object of the verb that follows a figure (172人参加2024年度…考试 → …考试)."""
    i = pos
    while i < hi and norm[i] not in _CLAUSE_BREAK and i - pos < 40:
        i += 1
    s = norm[pos:i]
    verbs = _verb_positions(s)
    if not verbs or verbs[0][0] != 0:
        return ""
    while verbs and s and verbs[0][0] == 0:
        s = s[verbs[0][1] :]
        verbs = _verb_positions(s)
    s = _strip(s)
    return s[-_MAX_INDICATOR:] if len(s) >= 2 else ""


def _leading(norm: str, start: int, floor: int, unit: str) -> tuple[list[str], int]:
    """Qualifiers written just before a number (约, 近, 共, 同比上升 …) and where they begin."""
    quals: list[str] = []
    pos = start
    m = _CHANGE_RE.search(norm[floor:pos])
    if not m and unit in _RATE_UNITS:
        m = _BARE_CHANGE_RE.search(norm[floor:pos])
    if m:
        quals.append(m.group(0).replace("了", ""))
        pos = floor + m.start()
    for q in _LEAD_QUALIFIERS:
        if norm[floor:pos].endswith(q) and not (q == "共" and norm[floor:pos].endswith("公共")):
            quals.insert(0, q)
            pos -= len(q)
            break
    return quals, pos


class _Starts:
    """Start of the clause (or sentence) containing each position of ``[lo, hi]``, precomputed."""

    def __init__(self, norm: str, breaks: set[str], lo: int, hi: int) -> None:
        self.lo = lo
        self.starts: list[int] = []
        cur = lo
        for k in range(lo, hi + 1):
            self.starts.append(cur)
            if k < hi and norm[k] in breaks:
                cur = k + 1

    def __call__(self, pos: int) -> int:
        # capped so a run-on "clause" does not make an indicator out of a whole paragraph
        return max(self.starts[pos - self.lo], pos - _MAX_CLAUSE)


def _ordinal_before(norm: str, start: int, lo: int) -> bool:
    i = start
    while i > lo and norm[i - 1] in " \t":
        i -= 1
    return i > lo and norm[i - 1] == "第"


def _code_neighbour(norm: str, start: int, end: int) -> bool:
    """Digits glued to letters, '+', '/', '#', '.' or other digits are part of a code or name."""
    before = norm[start - 1] if start > 0 else ""
    after = norm[end] if end < len(norm) else ""
    glue = "+/#._-"
    if before and ((before.isascii() and before.isalnum()) or before in glue.replace("-", "")):
        return True
    return bool(after) and after in "+"


class _Found:
    """A figure before indicator resolution."""

    __slots__ = ("after", "change", "end", "lead_start", "quals", "rank", "start", "unit", "value")

    def __init__(self, value: Decimal, unit: str, start: int, end: int, lead_start: int, quals: list[str]):
        self.value = value
        self.unit = unit
        self.start = start
        self.end = end
        self.lead_start = lead_start
        self.quals = quals
        self.change = any(_CHANGE_RE.search(q) or _BARE_CHANGE_RE.search(q) for q in quals)
        self.after = ""
        self.rank = False  # a place in a ranking (排名全省第一): value is the rank, unit 名


_SCOPES = "全国|全省|全市|全区|全县|全州|全盟|全旗|同级|同类城市|同类县"
_RANK_VERBS = frozenset({"排名", "排位", "位列", "位居", "名列", "列", "居", "排"})
# 排名全省第一, 全省排名第一, 位列全国第4名, 全国第四 (after one ranking); never 第一批/第三次/全省第一个.
_RANK_RE = re.compile(
    rf"(?P<scope>{_SCOPES})?(?P<verb>排名|排位|位列|位居|名列|居|列|排)?(?P<scope2>{_SCOPES})?第"
    r"(?P<num>\d{1,3}|[一二三四五六七八九十]{1,3})(?:名|位)?"
    r"(?![\d一二三四五六七八九十批次届个家轮期季阶部条项件年月日号款章节版类档等方梯层阵种]"
    r"|(?:名|位)[\u4e00-\u9fff])"
)
_RANK_FRAME = re.compile(r"^(?:在|于|从)|(?:中|上|里|工作中)$")
_PERCENT_WORDS_RE = re.compile(
    r"百分之(?P<num>[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)"
)
_RANGE_LOW_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:至|到|-|—|–|~|～)\s*$")


def _chinese_decimal(written: str) -> Decimal | None:
    """九十五点五 → 95.5 (the digits after 点 are read one by one)."""
    whole, _, frac = written.partition("点")
    if not is_chinese_numeral(whole):
        return None
    value = parse_numeral(whole)
    if frac:
        digits = "".join(str(parse_numeral(ch)) for ch in frac)
        value += Decimal("0." + digits)
    return value


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether ``[s, e)`` overlaps any of the sorted, disjoint ``spans``."""
    i = bisect_right(spans, (s, 1 << 62)) - 1
    return any(0 <= j < len(spans) and spans[j][0] < e and s < spans[j][1] for j in (i, i + 1))


def _scan(norm: str, lo: int, hi: int, mask: list[bool], clause_of: _Starts) -> list[_Found]:
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []  # spans of ratios, rankings and 百分之 figures, sorted before use
    window = norm[:hi]
    for m in _RATIO_RE.finditer(window, lo):
        a, b = m.group("a"), m.group("b")
        # 14:43 after a date is a clock time, not a ratio
        clock = "." not in a + b and len(b) == 2 and int(a) < 24
        if clock or mask[m.start()] or _code_neighbour(norm, m.start(), m.end()):
            continue
        value = tidy(parse_numeral(a) / parse_numeral(b))
        quals, lead = _leading(norm, m.start(), clause_of(m.start()), "比")
        found.append(_Found(value, "比", m.start(), m.end(), lead, quals))
        taken.append((m.start(), m.end()))
    for m in _RANK_RE.finditer(window, lo):
        scope = m.group("scope") or m.group("scope2")
        verb = m.group("verb")
        if mask[m.start()] or not (scope or verb in _RANK_VERBS):
            continue  # 第一 alone is an ordinal, not a ranking
        s = m.start("scope") if m.group("scope") else m.start("verb") if verb else m.start("scope2")
        if verb and not m.group("scope"):
            s = m.start("scope2") if m.group("scope2") else m.start("verb")
        value = parse_numeral(m.group("num"))
        lead = m.start()
        quals = [scope] if scope else []
        rank = _Found(value, "名", s, m.end(), lead, quals)
        rank.rank = True
        found.append(rank)
        taken.append((m.start(), m.end()))
    for m in _PERCENT_WORDS_RE.finditer(window, lo):
        if mask[m.start()]:
            continue
        value = _chinese_decimal(m.group("num"))
        if value is None:
            continue
        quals, lead = _leading(norm, m.start(), clause_of(m.start()), "%")
        found.append(_Found(value, "%", m.start(), m.end(), lead, quals))
        taken.append((m.start(), m.end()))
    taken.sort()
    for m in _FIGURE_RE.finditer(window, lo):
        s, e = m.start(), m.end()
        if _overlaps(taken, s, e) or mask[s]:
            continue
        num = m.group("num").replace(",", "")
        unit = _UNITS[m.group("unit")]
        q_after = [q for q in (m.group("q1"), m.group("q2"), m.group("q3")) if q]
        chinese = not num[0].isdigit()
        if chinese:
            if s > 0 and (norm[s - 1] in CHINESE_NUMERAL_CHARS or norm[s - 1].isdigit()):
                continue  # inside a longer run that did not make a figure
            if not is_chinese_numeral(num) or num == "一":
                continue  # 一 + measure word is idiom (一站式, 一件事, 一张蓝图) far more often than a count
            if s > 0 and norm[s - 1] in "数几若":
                continue  # 数十家: vague, not a figure
            if num in "百千万亿" and not m.group("q1"):
                continue  # 千家万户, 百名律师: bare magnitudes are rhetoric
            if unit in {"个", "项", "张"} and e < len(norm) and norm[e] in '“"':
                continue  # 三个“一号工程”: a numbered slogan
        elif _code_neighbour(norm, s, s + len(m.group("num"))):
            continue
        if _ordinal_before(norm, s, lo):
            continue
        if unit in {"名", "位"} and s > 0 and norm[s - 1] == "前":
            continue  # 前三名: a rank
        if unit in _TIME_UNITS and e < len(norm):
            nxt = norm[e]
            if _is_cjk(nxt) and nxt not in "内左" and not _starts_with_verb(norm[e : e + 6]):
                continue  # 15分钟公共法律服务圈
        value = parse_numeral(num + (m.group("mult") or ""))
        low = _RANGE_LOW_RE.search(norm, max(lo, s - 14), s) if num[0].isdigit() else None
        if low and low.end() == s and Decimal(low.group(1)) < value:
            # 3至5件, 5-7天: one figure from its lower bound, the upper bound as a qualifier
            q_after = [f"至{tidy(value)}", *q_after]
            value = Decimal(low.group(1))
            s = low.start()
        quals, lead = _leading(norm, s, clause_of(s), unit)
        quals += q_after
        f = _Found(value, unit, s, e, lead, quals)
        if unit not in _NO_AFTER_NOUN:
            f.after = _after_noun(norm, e, hi)
        found.append(f)
    found.sort(key=lambda f: f.start)
    return found


def _resolve(
    norm: str, found: list[_Found], lo: int, hi: int, clause_of: _Starts, sentence_of: _Starts
) -> list[Metric]:
    metrics: list[Metric] = []
    at: list[int] = []  # found index → index in ``metrics`` of its (first) figure
    respective: list[str] = []  # 结案率、满意度分别为98%、99%: the indicators still to hand out
    for idx, f in enumerate(found):
        clause = clause_of(f.lead_start)
        sentence = sentence_of(f.start)
        prev = found[idx - 1] if idx else None
        seg_start = max(clause, prev.end if prev and prev.end > clause else clause)
        prefix = norm[seg_start : f.lead_start]
        quals = list(f.quals)
        stripped = _strip(prefix) if prefix else ""
        if stripped.strip("、和及与 ") == "":
            stripped = ""  # 二十余次、一千二百余人次: only a connector between two figures
        at.append(len(metrics))
        if respective and not stripped and prev is not None and prev.end <= f.lead_start:
            metrics.append(_metric(f, respective.pop(0), quals, None))
            continue
        respective = []
        rates = _rate_list(norm, seg_start, f.lead_start) if f.unit in _RATE_UNITS else []
        if len(rates) >= 2:
            if "分别" in prefix:
                respective = [name for _, name in rates[1:]]
                metrics.append(_metric(f, rates[0][1], quals, None))
            else:
                # 报备率、及时率、规范率达100%: one figure per rate, each quoting its rate and the value
                for start, name in rates:
                    metrics.append(_metric(f, name, quals, None, start=start))
            continue
        # 累计/共 opening the clause ("全年累计创收…") modifies the figure too
        head = _YEAR_LEAD_RE.sub("", prefix)
        for w in ("全年", "全市", "全区", "全县", "今年", "年内"):
            head = head.removeprefix(w)
        for q in _CLAUSE_LEAD_QUALIFIERS:
            if head.startswith(q) and q not in quals and not head.startswith("共同"):
                quals.insert(0, q)
                break
        change_of = None
        indicator = ""
        if f.change:
            for j in range(idx - 1, -1, -1):
                if found[j].start < sentence:
                    break
                if not found[j].change:
                    change_of = at[j]
                    break
            if change_of is not None:
                indicator = metrics[change_of].indicator
        if not indicator and f.rank:
            indicator = _RANK_FRAME.sub("", stripped)  # 在全省…绩效考核中位列全省第3名: the assessment
        if not indicator:
            indicator = f.after or _after_last_verb(prefix)
        if not indicator and prev and prev.end == f.lead_start and metrics:
            indicator = metrics[-1].indicator  # 4次29人: the second figure counts the same event
        if not indicator and f.unit not in _NO_AFTER_NOUN:
            indicator = _tail_object(norm, f.end, hi)  # 组织172人参加…考试: the object follows the figure
        if not indicator and stripped and not _starts_with_verb(stripped) and metrics:
            indicator = stripped[-_MAX_INDICATOR:]
        if not indicator and metrics and metrics[-1].span.start >= sentence:
            indicator = metrics[-1].indicator  # 开展活动48期,惠及万余人: reached by the same activity
        if not indicator:
            indicator = stripped[-_MAX_INDICATOR:] or f.unit
        metrics.append(_metric(f, _clean_indicator(indicator) or f.unit, quals, change_of))
    return metrics


def _metric(f: _Found, indicator: str, quals: list[str], change_of: int | None, start: int = -1) -> Metric:
    return Metric(
        value=tidy(f.value),
        unit=f.unit,
        indicator=indicator,
        span=Span(f.start if start < 0 else start, f.end),
        qualifiers=list(quals),
        change_of=change_of,
    )


_RATE_NOUN = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:率|度)$")


def _rate_list(norm: str, s: int, e: int) -> list[tuple[int, str]]:
    """(start, name) of each rate in a list written before one value: 报备率、及时率、规范率达 → three."""
    zone = norm[s:e]
    m = re.search(r"(?:分别)?(?:均|都)?(?:达到|达|为|是|保持|提升至|提高到|提高至|达到了)?$", zone)
    body = zone[: m.start()] if m else zone
    # Split at 、; the last pair may be joined by 和/及/与 (结案率和满意度), which also occur inside words
    # (及时率, 和解率), so a split there counts only when both halves are rates.
    names = body.split("、")
    last = names[-1]
    for j in (k for k, ch in enumerate(last) if ch in "和及与" and k > 0):
        left, right = _strip(last[:j]) if len(names) == 1 else last[:j], last[j + 1 :]
        if _RATE_NOUN.fullmatch(left) and _RATE_NOUN.fullmatch(right):
            names[-1:] = [last[:j], right]
            break
    if len(names) < 2:
        return []
    out: list[tuple[int, str]] = []
    pos = s
    for k, name in enumerate(names):
        core = _strip(name) if k == 0 else name
        if not core or not _RATE_NOUN.fullmatch(core) or len(core) > 14:
            return []
        out.append((pos + name.rindex(core), core[-_MAX_INDICATOR:]))
        pos += len(name) + 1
    return out


# Generic kinds of place are things counted (覆盖行政村120个); a proper place name is not an indicator.
_GENERIC_PLACES = frozenset(
    {"行政村", "自然村", "村", "社区", "村居", "村社", "乡镇", "镇街", "街道", "镇", "乡", "县区", "区县"}
    | {"县市区", "市县", "园区", "小区", "城区", "景区"}
)
_PLACE_NAME = re.compile(r"^[\u4e00-\u9fff]{1,5}(?:村|社区|镇|乡|街道|县|区|市|省)$")


def _clean_indicator(indicator: str) -> str:
    """Drop half a title (课》, 《条例) and proper place names (桃源村) from an indicator."""
    depth, cut = 0, 0
    for k, ch in enumerate(indicator):
        if ch == "《":
            depth += 1
        elif ch == "》":
            if depth == 0:
                cut = k + 1  # a closer with no opener: what precedes it is the tail of a title
            depth = max(0, depth - 1)
    indicator = indicator[cut:]
    if depth and "《" in indicator:
        indicator = indicator[: indicator.rindex("《")]  # an opener never closed: the head of a title
    indicator = indicator.strip("、,;: ")
    if _PLACE_NAME.match(indicator) and indicator not in _GENERIC_PLACES:
        return ""
    return indicator if len(indicator) >= 2 or indicator == "" else ""


def find_metrics(text: str, start: int = 0, end: int | None = None) -> list[Metric]:
    """Every figure in ``text[start:end]``, with spans into ``text`` (the original, unnormalised text)."""
    hi = len(text) if end is None else min(end, len(text))
    lo = max(0, start)
    if lo >= hi:
        return []
    norm = normalise(text)
    assert len(norm) == len(text)  # spans index the original only if normalisation keeps length
    mask = quoted_mask(norm)
    clause_of = _Starts(norm, _CLAUSE_BREAK, lo, hi)
    sentence_of = _Starts(norm, _SENTENCE_BREAK, lo, hi)
    return _resolve(norm, _scan(norm, lo, hi, mask, clause_of), lo, hi, clause_of, sentence_of)
