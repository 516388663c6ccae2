"""Tests for figure extraction (graph/extract/metrics.py)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rolkg.graph.extract.metrics import find_metrics, normalise, quoted_mask
from rolkg.graph.model import Metric

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
CIXI = (REPORTS / "cixi-sfj-2024.txt").read_text(encoding="utf-8")


def _one(text: str, quote: str) -> Metric:
    """The metric whose span quotes exactly ``quote``."""
    hits = [m for m in find_metrics(text) if m.span.quote(text) == quote]
    assert len(hits) == 1, [m.span.quote(text) for m in find_metrics(text)]
    return hits[0]


# (sentence, span quote, value, unit, qualifiers, indicator must contain)
POSITIVE = [
    ("全市行政复议发案量587件,同比上升104.5%", "587件", "587", "件", [], "行政复议发案量"),
    ("已开展各类活动72次,收集法治建议32条。", "72次", "72", "次", [], "活动"),
    ("全市建成新时代法治实践站并投入运行22家,已开展", "22家", "22", "家", [], "新时代法治实践站"),
    ("收集法治建议32条。", "32条", "32", "条", [], "法治建议"),
    ("完成首批65名法治审查员任命", "65名", "65", "名", [], "法治审查员"),
    ("开展市管干部任前法律知识测试4次29人,", "29人", "29", "人", [], "测试"),
    ("开展各类普法活动48期,惠及万余人。", "48期", "48", "期", [], "普法活动"),
    ("开展亲情视频会见33次76人次,", "76人次", "76", "人次", [], "会见"),
    ("开展预约授课63场、法治体检922家次。", "922家次", "922", "家次", [], "法治体检"),
    ("推出涉企法律服务宣讲课单50讲和法律服务产品7件", "50讲", "50", "讲", [], "宣讲课单"),
    ("推出涉企法律服务宣讲课单50讲和法律服务产品7件", "7件", "7", "件", [], "法律服务产品"),
    ("等4个项目入选2024年度名单", "4个", "4", "个", [], "项目"),
    ("新建集监督、联系等功能于一体的新时代法治实践站3个,", "3个", "3", "个", [], "新时代法治实践站"),
    ("市委党校培训党员干部1205人,", "1205人", "1205", "人", [], "党员干部"),
    ("涉及金额约1.62亿元。", "1.62亿元", "162000000", "元", ["约"], "金额"),
    ("全年累计创收738.18万元。", "738.18万元", "7381800", "元", ["累计"], "创收"),
    ("开展各类普法活动48期,惠及万余人。", "万余人", "10000", "人", ["余"], ""),
    ("共受理1.2万件", "1.2万件", "12000", "件", ["共"], ""),
    ("复议直接纠错率4.76%;", "4.76%", "4.76", "%", [], "纠错率"),
    ("高质量一网通办率达99.76%,", "99.76%", "99.76", "%", [], "通办率"),
    ("实现非警务类纠纷40%以上在镇街处置。", "40%以上", "40", "%", ["以上"], "纠纷"),
    ("行政机关负责人出庭应诉保持100%。", "100%", "100", "%", [], "出庭应诉"),
    ("复议诉讼比3.97:1。", "3.97:1", "3.97", "比", [], "复议诉讼比"),
    ("复议诉讼比3.97：1。", "3.97：1", "3.97", "比", [], "复议诉讼比"),
    ("案件数是同期法院一审行政诉讼案件的2.37倍。", "2.37倍", "2.37", "倍", [], "案件"),
    ("发布《指引》及消防安全、网络销售两个配套专项指引,", "两个", "2", "个", [], "专项指引"),
    ("开展专项检查三次,", "三次", "3", "次", [], "专项检查"),
    ("设立服务站十五个。", "十五个", "15", "个", [], "服务站"),
    ("指导二十余家企业完成整改", "二十余家", "20", "家", ["余"], "企业"),
    ("培训三千五百人次。", "三千五百人次", "3500", "人次", [], ""),
    ("设立第一批31个行政执法监督观察站(点),", "31个", "31", "个", [], "观察站"),
    ("累计约谈相关负责人40余人次,", "40余人次", "40", "人次", ["累计", "余"], "负责人"),
    ("主动公开信息共345条,", "345条", "345", "条", ["共"], "信息"),
    ("挽回经济损失300余万元", "300余万元", "3000000", "元", ["余"], "经济损失"),
    ("群众满意度超过95%", "95%", "95", "%", ["超过"], "满意度"),
    ("办理案件1,234件。", "1,234件", "1234", "件", [], "案件"),
    ("全市行政复议发案量５８７件，同比上升１０４．５％。", "５８７件", "587", "件", [], "行政复议发案量"),
    ("办结时限压缩至3个工作日内", "3个工作日", "3", "工作日", [], "时限"),
    ("联合政法委、法院等6个部门出台《措施》", "6个", "6", "个", [], "部门"),
    ("全年办理公证5千余件", "5千余件", "5000", "件", ["余"], "公证"),
    ("惠及群众三万余人", "三万余人", "30000", "人", ["余"], "群众"),
    ("服务群众1.2万余人次", "1.2万余人次", "12000", "人次", ["余"], "群众"),
    ("组织开展行政执法案卷评查,共评查案卷300卷。", "300卷", "300", "卷", ["共"], "案卷"),
    ("平均办理时间由5天压缩至1天。", "5天", "5", "天", [], "时间"),
    ("全市20余个部门参与。", "20余个", "20", "个", ["余"], "部门"),
]


@pytest.mark.parametrize(("text", "quote", "value", "unit", "quals", "indicator"), POSITIVE)
def test_figure(text: str, quote: str, value: str, unit: str, quals: list[str], indicator: str) -> None:
    m = _one(text, quote)
    assert m.value == Decimal(value)
    assert m.unit == unit
    assert m.qualifiers == quals
    assert indicator in m.indicator
    assert m.indicator  # never empty


NEGATIVE = [
    "一是全面压实法治责任。二是抓牢关键作用。",
    "推动第一批涉企法治服务先行先试。",
    "完成首批法治审查员任命。",
    "组织召开十五届市委全面依法治市委员会第三次会议。",
    "推进四大行动落地。",
    "推行涉企行政处罚领域“三书同达”。",
    "打造“一站三化”县域商事调解新模式。",
    "做好“八五”普法总结验收。",
    "为全市对标“两个先行”提供坚实保障。",
    "联合法院推进“三会两庭一中心”建设。",
    "建立“1+N+17”立体普法模式。",
    "建立1+N+17立体普法模式。",
    "打造一站式“441”标杆型涉企法治服务专区。",
    "构建“161”管理体系。",
    "深化打造“15分钟公共法律服务圈”建设。",
    "优化15分钟公共法律服务圈建设。",
    "强化与12345政务便民热线协同配合。",
    "2024年以来,8月,11月,2021-2025年。",
    "发布日期:2025-03-24 14:43 信息来源:市司法局",
    "发布日期: 2024- 03- 21 14: 43 |",
    "索引号 11330283002980727Y/2025-160078 组配分类",
    "进一步深化落实《统筹加强镇(街道)专职调解队伍建设十条措施》。",
    "坚持一张蓝图绘到底,共办理一件事。",
    "全力护航三个“一号工程”。",
    "千家万户,百名律师进千企。",
    "举行第90期鄞州论坛。",
    "贯彻党的二十届三中全会精神。",
    "位列全省前三名。",
    "走访数十家企业。",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_a_figure(text: str) -> None:
    assert find_metrics(text) == []


def test_ordinal_batch_still_yields_count() -> None:
    text = "在企业设立第一批31个行政执法监督观察站"
    assert [(m.span.quote(text), m.value) for m in find_metrics(text)] == [("31个", Decimal(31))]


def test_two_figures_in_a_row() -> None:
    text = "开展市管干部任前法律知识测试4次29人,"
    ms = find_metrics(text)
    assert [(str(m.value), m.unit) for m in ms] == [("4", "次"), ("29", "人")]
    assert ms[0].indicator == ms[1].indicator  # both count the same test


def test_total_and_breakdown() -> None:
    text = "全市镇(街道)共完成行政涉法事项审查3620件,其中行政规范性文件8件,重大行政决策20件。"
    ms = find_metrics(text)
    assert [str(m.value) for m in ms] == ["3620", "8", "20"]
    assert "行政规范性文件" in ms[1].indicator


def test_year_on_year_change_links_to_base() -> None:
    text = "全市行政复议发案量587件,同比上升104.5%,复议直接纠错率4.76%;一审诉讼案件184件,同比上升26.0%。"
    ms = find_metrics(text)
    assert [m.span.quote(text) for m in ms] == ["587件", "104.5%", "4.76%", "184件", "26.0%"]
    assert ms[1].qualifiers == ["同比上升"] and ms[1].change_of == 0
    assert ms[4].change_of == 3 and ms[4].value == Decimal(26)
    assert ms[0].change_of is None and ms[2].change_of is None


def test_change_against_named_year_and_decrease() -> None:
    text = "全市行政复议发案量316件,较2022年增加153件,同比增长93.87%。"
    ms = find_metrics(text)
    assert [m.span.quote(text) for m in ms] == ["316件", "153件", "93.87%"]
    assert ms[1].qualifiers == ["较2022年增加"] and ms[1].change_of == 0
    # the rate is the growth of 316, not of the 153 difference
    assert ms[2].change_of == 0
    dec = find_metrics("受理案件120件,同比下降12.5%。")
    assert dec[1].value == Decimal("12.5") and dec[1].qualifiers == ["同比下降"] and dec[1].change_of == 0


def test_change_does_not_cross_sentences() -> None:
    ms = find_metrics("受理案件120件。同比下降12.5%。")
    assert ms[1].change_of is None


def test_window_and_offsets() -> None:
    text = "前言。开展活动72次,收集建议32条。后记3次"
    start = text.index("开展")
    end = text.index("后记")
    ms = find_metrics(text, start, end)
    assert [m.span.quote(text) for m in ms] == ["72次", "32条"]
    assert all(start <= m.span.start and m.span.end <= end for m in ms)
    assert find_metrics(text, 5, 5) == []


def test_normalise_keeps_length_and_maps_fullwidth() -> None:
    raw = "５８７件，同比上升１０４．５％；３．９７：１"
    norm = normalise(raw)
    assert len(norm) == len(raw)
    assert "587件" in norm and "104.5%" in norm and "3.97:1" in norm


def test_quoted_mask_ignores_stray_openers() -> None:
    text = "“未闭合引号。开展活动3次"
    assert not any(quoted_mask(normalise(text))[text.index("3") :])
    assert len(find_metrics(text)) == 1


def test_fullwidth_report_gives_same_figures() -> None:
    # The bundled report uses ASCII punctuation; the published page has full-width forms.
    fullwidth = CIXI.translate(str.maketrans({",": "，", ":": "：", "(": "（", ")": "）", ";": "；"}))
    a = [(m.span, m.value, m.unit, m.indicator, m.qualifiers, m.change_of) for m in find_metrics(CIXI)]
    b = [(m.span, m.value, m.unit, m.indicator, m.qualifiers, m.change_of) for m in find_metrics(fullwidth)]
    assert a == b


# Hand annotation of every figure in the bundled report, in order (四类 is in the plan section).
CIXI_FIGURES = [
    "28个",
    "17个",
    "3次",
    "4次",
    "29人",
    "18项",
    "5个",
    "2个",
    "4个",
    "22家",
    "72次",
    "32条",
    "345条",
    "20条",
    "325条",
    "6件",
    "28件",
    "17件",
    "82件",
    "125件",
    "138件",
    "65名",
    "3620件",
    "8件",
    "20件",
    "145件",
    "587件",
    "104.5%",
    "4.76%",
    "184件",
    "26.0%",
    "3.97:1",
    "40余人次",
    "15件",
    "31个",
    "7次",
    "172人",
    "3023人",
    "60%",
    "两个",
    "30项",
    "7家",
    "37名",
    "88名",
    "48期",
    "万余人",
    "3个",
    "33次",
    "76人次",
    "42人次",
    "1个",
    "5人次",
    "6个",
    "40%以上",
    "22期",
    "1600余人次",
    "14920件",
    "1.62亿元",
    "50讲",
    "7件",
    "63场",
    "922家次",
    "8名",
    "1466件",
    "13815件",
    "2526件",
    "108件",
    "5783件",
    "3017件",
    "738.18万元",
    "四类",
]


def test_cixi_report_matches_hand_annotation() -> None:
    assert [m.span.quote(CIXI) for m in find_metrics(CIXI)] == CIXI_FIGURES


def test_cixi_report_figures() -> None:
    ms = find_metrics(CIXI)
    quotes = [m.span.quote(CIXI) for m in ms]
    expected = ["587件", "104.5%", "3.97:1", "万余人", "1.62亿元", "738.18万元", "两个", "40%以上", "922家次"]
    assert set(expected) <= set(quotes)
    for name in ["四大", "十五届", "一站", "441", "161", "15分钟", "12345", "2024年"]:
        assert not any(name in q for q in quotes)
    assert len(ms) >= 70


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.txt")), ids=lambda p: p.name)
def test_every_report_spans_quote_the_original(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ms = find_metrics(text)
    for m in ms:
        assert 0 <= m.span.start < m.span.end <= len(text)
        quote = m.span.quote(text)
        assert re.search(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]", quote), quote
        assert m.unit and m.indicator
        assert m.value >= 0
        if m.change_of is not None:
            assert 0 <= m.change_of < len(ms) and ms[m.change_of].span.end <= m.span.start
    starts = [m.span.start for m in ms]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_circled_numbers_are_not_folded_into_digits() -> None:
    text = "①5个服务站"
    assert [(m.span.quote(text), m.value) for m in find_metrics(text)] == [("5个", Decimal(5))]


def _all(text: str) -> list[tuple[str, str, str, list[str], str]]:
    """(quoted span, value, unit, qualifiers, indicator) of every figure."""
    return [(m.span.quote(text), str(m.value), m.unit, m.qualifiers, m.indicator) for m in find_metrics(text)]


# Genre sentences of other provinces and levels, written for these tests.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2023年度法治政府建设考核排名全省第一、全国第四。",
            [
                ("全省第一", "1", "名", ["全省"], "法治政府建设考核"),
                ("全国第四", "4", "名", ["全国"], "法治政府建设考核"),
            ],
        ),
        (
            "在全省司法行政系统绩效考核中位列全省第3名。",
            [("全省第3名", "3", "名", ["全省"], "全省司法行政系统绩效考核")],
        ),
        ("全区营商环境法治化评价排名第2。", [("排名第2", "2", "名", [], "营商环境法治化评价")]),
        (
            "全市规范性文件报备率、及时率、规范率达100%。",
            [
                ("规范性文件报备率、及时率、规范率达100%", "100", "%", [], "规范性文件报备率"),
                ("及时率、规范率达100%", "100", "%", [], "及时率"),
                ("规范率达100%", "100", "%", [], "规范率"),
            ],
        ),
        (
            "调解成功率、和解率均为95%以上。",
            [
                ("调解成功率、和解率均为95%以上", "95", "%", ["以上"], "调解成功率"),
                ("和解率均为95%以上", "95", "%", ["以上"], "和解率"),
            ],
        ),
        (
            "全县行政复议案件结案率和满意度分别为98%、99%。",
            [("98%", "98", "%", [], "行政复议案件结案率"), ("99%", "99", "%", [], "满意度")],
        ),
        ("办理法律援助案件3至5件。", [("3至5件", "3", "件", ["至5"], "法律援助案件")]),
        ("行政复议纠错率为百分之十二点五。", [("百分之十二点五", "12.5", "%", [], "行政复议纠错率")]),
        (
            "培训执法人员二十余次、一千二百余人次。",
            [
                ("二十余次", "20", "次", ["余"], "执法人员"),
                ("一千二百余人次", "1200", "人次", ["余"], "执法人员"),
            ],
        ),
        (
            "开设《宪法》课》程3节,覆盖桃源村120户。",
            [("3节", "3", "节", [], "节"), ("120户", "120", "户", [], "户")],
        ),
        ("覆盖全县行政村120个。", [("120个", "120", "个", [], "行政村")]),
    ],
)
def test_figures_across_the_genre(text: str, expected: list) -> None:  # type: ignore[type-arg]
    assert _all(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "全省第一批试点。",
        "全省第一个出台相关办法。",
        "连续三年位列全市第一档次。",
        "进入全国第一方阵。",
        "居全市前列。",
    ],
)
def test_not_a_ranking(text: str) -> None:
    assert [m for m in find_metrics(text) if m.unit == "名"] == []
