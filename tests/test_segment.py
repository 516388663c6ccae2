"""The segmenter on the bundled reports and on a report it has never seen."""

from pathlib import Path

import pytest
from rolkg.data import REPORTS_DIR
from rolkg.graph.segment import cn_ordinal, segment

FIXTURES = Path(__file__).parent / "fixtures" / "reports"


def labels(text: str, nodes) -> list[str]:
    return [text[n.label_span.start : n.label_span.end] for n in nodes]


@pytest.mark.parametrize(
    ("word", "value"), [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("7", 7)]
)
def test_cn_ordinal(word: str, value: int) -> None:
    assert cn_ordinal(word) == value


def test_bundled_report_structure() -> None:
    text = (REPORTS_DIR / "cixi-sfj-2024.txt").read_text(encoding="utf-8")
    layout = segment(text)
    assert [s.kind for s in layout.sections] == ["achievements", "shortcomings", "plan"]
    achievements, shortcomings, plan = layout.sections
    assert len(achievements.children) == 5
    assert [len(a.children) for a in achievements.children] == [3, 5, 3, 4, 3]
    assert labels(text, achievements.children[1].children)[2] == "提升县乡合法性审查质效"
    assert len(shortcomings.children) == 3
    assert len(plan.children) == 5
    assert text[layout.preamble.start : layout.preamble.start + 7] == "2024年以来"


def test_spans_index_the_original_text() -> None:
    for path in sorted(REPORTS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        layout = segment(text)
        for section in layout.sections:
            for node in [section, *section.children, *(c for a in section.children for c in a.children)]:
                assert (
                    0
                    <= node.span.start
                    <= node.label_span.start
                    <= node.label_span.end
                    <= node.span.end
                    <= len(text)
                )
                assert text[node.label_span.start : node.label_span.end].strip() != ""


@pytest.mark.parametrize("name", sorted(p.name for p in REPORTS_DIR.glob("*.txt")))
def test_every_report_has_a_first_section_with_items(name: str) -> None:
    text = (REPORTS_DIR / name).read_text(encoding="utf-8")
    layout = segment(text)
    assert layout.sections, name
    first = layout.sections[0]
    items = [c for a in first.children for c in (a.children if a.level == "area" else [a])]
    assert items, name
    assert "索引号" not in text[layout.preamble.start : layout.preamble.end]
    assert "字体" not in text[layout.preamble.start : layout.preamble.end]


def test_one_line_page_headings_stop_before_their_first_item() -> None:
    text = (REPORTS_DIR / "yuyao-gov-2023.txt").read_text(encoding="utf-8")
    layout = segment(text)
    heading = text[layout.sections[0].label_span.start : layout.sections[0].label_span.end]
    assert heading.endswith("加强法治政府建设情况")
    assert labels(text, layout.sections[0].children)[:2] == [
        "夯实“党的统一领导”法治基础",
        "密织“学思践悟法治”意识网络",
    ]


def test_unseen_full_width_report() -> None:
    text = (FIXTURES / "unseen-fullwidth.txt").read_text(encoding="utf-8")
    layout = segment(text)
    assert layout.title is not None
    assert (
        text[layout.title.start : layout.title.end]
        == "安吉县司法局关于２０２４年度法治政府建设工作情况的报告"
    )
    assert [s.kind for s in layout.sections] == ["achievements", "shortcomings", "plan"]
    area = layout.sections[0].children[0]
    assert labels(text, area.children) == ["压实法治建设责任", "推进合法性审查"]
    assert len(layout.sections[1].children) == 2


def test_text_without_structure_still_gives_its_sentences() -> None:
    text = "这是一段没有任何结构的文字,没有标题也没有编号。第二句话说明另一件事。"
    layout = segment(text)
    assert len(layout.sections) == 1
    assert labels(text, layout.sections[0].children) == ["第二句话说明另一件事"]
    assert (
        text[layout.preamble.start : layout.preamble.end] == "这是一段没有任何结构的文字,没有标题也没有编号。"
    )


def test_blank_text_gives_no_sections() -> None:
    assert segment(" \n ").sections == []
