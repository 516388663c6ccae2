"""The segmenter on the layouts the genre uses, on fixtures written for them (several levels and provinces)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rolkg.graph.model import ReportMeta
from rolkg.graph.namespaces import RDF, RDFS, ROL
from rolkg.graph.pipeline import extract_report
from rolkg.graph.segment import Layout, Node, segment
from rolkg.graph.text import title_text, trim_title

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def read(name: str) -> str:
    return (LAYOUTS / name).read_text(encoding="utf-8")


def label(text: str, node: Node) -> str:
    return text[node.label_span.start : node.label_span.end]


def outline(layout: Layout) -> list[tuple[str, str, list[str]]]:
    """(kind, heading, labels of its items — or of its areas when it has areas) per section."""
    t = layout.text
    return [(s.kind, label(t, s), [label(t, c) for c in s.children]) for s in layout.sections]


def test_unnumbered_heading_lines_are_sections() -> None:
    layout = segment(read("ministry-unnumbered.txt"))
    kinds = [(k, h) for k, h, _ in outline(layout)]
    assert kinds == [
        ("achievements", "坚持党的领导，压实法治建设责任"),
        ("other", "健全制度体系，提升规章质量"),
        ("other", "规范执法行为，强化执法监督"),
        ("shortcomings", "存在的不足"),
        ("plan", "2024年工作安排"),
    ]
    _, _, items = outline(layout)[1]
    assert items == [
        "完成3件部门规章的制定修订工作，对12件规范性文件开展合法性审核",
        "组织开展规章和规范性文件清理，废止失效文件5件",
    ]
    assert outline(layout)[3][2] == [
        "部分单位运用法治思维解决问题的能力还不够强",
        "基层执法队伍专业化水平有待提高",
    ]


def test_a_heading_naming_the_reports_own_year_is_work_done() -> None:
    layout = segment(read("province-own-year.txt"))
    assert [(k, h) for k, h, _ in outline(layout)] == [
        ("achievements", "2022年工作情况"),
        ("shortcomings", "存在的不足"),
        ("plan", "2023年工作计划"),
    ]
    # The same heading in a report on the year before would be that report's plan.
    assert segment(read("province-own-year.txt"), year=2021).sections[0].kind == "plan"


def test_shortcomings_listed_as_areas_are_shortcomings() -> None:
    layout = segment(read("province-own-year.txt"))
    shortcomings = layout.sections[1]
    assert [c.level for c in shortcomings.children] == ["item", "item", "item"]
    assert [label(layout.text, c) for c in shortcomings.children] == [
        "法治宣传的针对性不够强",
        "执法人员能力有待提升",
        "信息化支撑不足",
    ]
    # Each shortcoming keeps its explanation.
    assert layout.text[shortcomings.children[0].span.start : shortcomings.children[0].span.end].endswith(
        "群众参与度不高。"
    )


def test_top_level_areas_and_arabic_items() -> None:
    layout = segment(read("city-top-areas.txt"))
    assert outline(layout) == [
        (
            "achievements",
            "履行法治建设第一责任人职责",
            ["局主要负责人专题研究法治工作4次", "制定年度普法责任清单，明确任务28项"],
        ),
        (
            "other",
            "推进严格规范公正文明执法",
            ["开展执法案卷评查，评查案卷85卷", "组织执法人员培训3期，培训200人次"],
        ),
        ("shortcomings", "存在的问题和不足", ["执法监督机制还不够健全", "普法宣传覆盖面有待扩大"]),
        ("plan", "2024年工作打算", ["健全执法监督制度", "深化“谁执法谁普法”责任制落实"]),
    ]


def test_two_line_title_with_a_date_and_parenthesised_items() -> None:
    text = read("street-two-line.txt")
    layout = segment(text)
    assert layout.title is not None
    assert (
        title_text(layout.title.quote(text))
        == "佛山市某某区某某街道办事处关于2024年度法治政府建设工作情况的报告"
    )
    assert text[layout.preamble.start : layout.preamble.start + 5] == "2024年"
    assert outline(layout) == [
        ("achievements", "主要工作成效", ["强化法治引领", "推进基层依法治理", "化解矛盾纠纷"]),
        ("shortcomings", "存在问题", ["部分社区法治宣传形式单一", "基层法律服务力量较为薄弱"]),
        (
            "plan",
            "下一步工作计划",
            ["深化法治宣传教育，推动普法进社区、进企业", "加强调解队伍建设，提升调解员业务能力"],
        ),
    ]


def test_unstructured_report_gives_one_initiative_per_sentence() -> None:
    text = read("township-unstructured.txt")
    layout = segment(text)
    assert text[layout.preamble.start : layout.preamble.end].startswith("今年以来，我镇")
    assert len(layout.sections) == 1
    assert [label(text, c) for c in layout.sections[0].children] == [
        "镇党委书记带头履行推进法治建设第一责任人职责，镇党委会议专题研究法治工作2次",
        "镇政府严格落实重大行政决策程序，对镇级合同实行合法性审查全覆盖",
        "镇综治中心全年受理群众诉求156件，办结率100%",
        "组织开展“法律明白人”培训4期，培训村（社区）干部120人次",
    ]


def test_combined_section_splits_shortcomings_from_plan() -> None:
    layout = segment(read("combined-section.txt"))
    combined = layout.sections[1]
    assert [(c.kind, label(layout.text, c)) for c in combined.children] == [
        ("shortcomings", "存在的问题"),
        ("plan", "下一步打算"),
    ]


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("某市2024年法治政府建设年度报告(2025-03-26)", "某市2024年法治政府建设年度报告"),
        ("某区2023年法治政府建设情况报告（2024年3月1日）", "某区2023年法治政府建设情况报告"),
        ("某县2023年法治政府建设工作报告_某县人民政府门户网站", "某县2023年法治政府建设工作报告"),
        ("某县2023年法治政府建设工作报告 - 政务公开 - 某县司法局", "某县2023年法治政府建设工作报告"),
        ("某县2023年法治政府建设工作报告", "某县2023年法治政府建设工作报告"),
    ],
)
def test_trailing_dates_and_site_names_leave_titles(line: str, title: str) -> None:
    from rolkg.graph.text import normalize

    s, e = trim_title(normalize(line), 0, len(line))
    assert line[s:e] == title


def test_site_column_line_is_not_a_title_part() -> None:
    text = "法治政府建设\n\n某市司法局2023年法治政府建设年度报告\n\n2023年,我局坚持依法行政。"
    layout = segment(text)
    assert layout.title is not None and layout.title.quote(text) == "某市司法局2023年法治政府建设年度报告"


def _types(graph, kind) -> int:  # type: ignore[no-untyped-def]
    return len(set(graph.subjects(RDF.type, kind)))


def test_own_year_report_builds_no_plan_from_its_work() -> None:
    got = extract_report(read("province-own-year.txt"), ReportMeta(issuer="湖南省某某厅", year=2022))
    g = got.graph
    planned = set(g.subjects(RDF.type, ROL.PlannedInitiative))
    assert len(planned) == 2
    assert {int(y) for p in planned for y in g.objects(p, ROL.year)} == {2023}
    done = set(g.subjects(RDF.type, ROL.Initiative)) - planned
    assert len(done) == 3
    assert {int(y) for p in done for y in g.objects(p, ROL.year)} == {2022}
    shortcomings = set(g.subjects(RDF.type, ROL.Shortcoming))
    assert {str(next(g.objects(s, RDFS.label))) for s in shortcomings} == {
        "法治宣传的针对性不够强",
        "执法人员能力有待提升",
        "信息化支撑不足",
    }


def test_combined_section_builds_shortcomings_and_plans() -> None:
    got = extract_report(read("combined-section.txt"), ReportMeta(issuer="某某县人民政府", year=2024))
    g = got.graph
    shortcomings = {str(next(g.objects(s, RDFS.label))) for s in g.subjects(RDF.type, ROL.Shortcoming)}
    assert shortcomings == {"部分部门依法决策意识不强", "执法人员法律素养参差不齐"}
    planned = {str(next(g.objects(s, RDFS.label))) for s in g.subjects(RDF.type, ROL.PlannedInitiative)}
    assert planned == {"加强重大行政决策合法性审查", "开展执法人员专题培训"}


def test_unstructured_report_builds_initiatives() -> None:
    got = extract_report(read("township-unstructured.txt"), ReportMeta(issuer="某某镇人民政府", year=2023))
    assert _types(got.graph, ROL.Initiative) == 4


def test_a_first_section_heading_is_not_a_title() -> None:
    text = (
        "一、2022年法治政府建设情况\n（一）加强组织领导。召开专题会议3次。\n（二）推进科学立法。出台办法2件。\n"
        "二、存在的不足\n一是法治能力不强。二是执法队伍薄弱。"
    )
    layout = segment(text, year=2022)
    assert layout.title is None
    assert [(k, h) for k, h, _ in outline(layout)] == [
        ("achievements", "2022年法治政府建设情况"),
        ("shortcomings", "存在的不足"),
    ]
    assert [label(text, a) for a in layout.sections[0].children] == ["加强组织领导", "推进科学立法"]


def test_page_fields_around_the_title_are_not_the_preamble() -> None:
    text = (
        "来源：某某县司法局  作者：办公室  访问量：123\n某某县司法局2023年法治政府建设工作报告\n"
        "责任编辑：李明\n2023年，我局坚持依法行政。\n一、主要工作\n1.加强组织领导。"
    )
    layout = segment(text)
    assert layout.title is not None and layout.title.quote(text) == "某某县司法局2023年法治政府建设工作报告"
    assert text[layout.preamble.start : layout.preamble.end] == "2023年，我局坚持依法行政。"


def test_a_report_in_parts() -> None:
    text = read("province-parts.txt")
    layout = segment(text)
    assert outline(layout) == [
        ("achievements", "2023年工作情况", ["加强组织领导", "推进依法决策"]),
        ("shortcomings", "存在的不足", ["运用法治思维的能力不强", "执法队伍力量薄弱"]),
        ("plan", "2024年工作打算", ["完善制度体系", "强化执法监督"]),
    ]
    got = extract_report(text, ReportMeta(issuer="四川省某某局", year=2023))
    planned = {
        str(next(got.graph.objects(s, RDFS.label)))
        for s in got.graph.subjects(RDF.type, ROL.PlannedInitiative)
    }
    assert planned == {"完善制度体系", "强化执法监督"}


def test_sections_numbered_with_a_full_stop() -> None:
    text = "某县2023年法治政府建设工作报告\n2023年，我县坚持依法行政。\n一．加强领导。召开会议3次。\n二．推进立法。出台办法2件。"
    layout = segment(text)
    assert [label(text, s) for s in layout.sections] == ["加强领导", "推进立法"]
