"""Variant titles resolve to one canonical title; distinct documents never merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from rolkg.graph.extract.documents import find_documents
from rolkg.graph.extract.facilities import find_facilities
from rolkg.graph.extract.places import Jurisdiction
from rolkg.graph.resolve import resolve_names, resolve_titles, same_title

CIXI = (Path(__file__).resolve().parents[1] / "data" / "reports" / "cixi-sfj-2024.txt").read_text(
    encoding="utf-8"
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("社区矫正对象外出管理规范", "社区矫正对象外出管理工作规范"),
        ("慈溪市安置帮教实务手册(试行)", "慈溪市安置帮教实务手册"),
        ("关于进一步规范行政合法性审查工作的通知", "关于规范行政合法性审查工作的通知"),
        ("统筹加强镇(街道)专职调解队伍建设十条措施", "统筹加强镇（街道）专职调解队伍建设十条措施"),
    ],
)
def test_variants_merge(a: str, b: str) -> None:
    assert same_title(a, b)
    assert resolve_titles([a, b]) == {a: a, b: a}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2024年法治慈溪建设工作要点", "2023年度法治慈溪建设工作情况"),
        ("2024年法治慈溪建设工作要点", "2023年法治慈溪建设工作要点"),
        ("2023年法治余姚建设工作要点", "2023年法治慈溪建设工作要点"),
        ("社区矫正对象外出管理规范", "社区矫正对象外出管理办法"),
        ("社区矫正对象外出管理规范", "社区矫正对象档案管理办法"),
        ("宁波信息", "宁波政务信息"),
        ("法治政府建设实施纲要(2015-2020年)", "法治政府建设实施纲要(2021-2025年)"),
        ("统筹加强镇(街道)专职调解队伍建设十条措施", "统筹加强镇(街道)专职调解队伍建设八条措施"),
        ("慈溪市小家电智能小镇合规指导中心(周巷)", "慈溪市小家电智能小镇合规指导中心(附海)"),
        ("宁波市智能小家电行业合规指引", "慈溪市智能小家电行业合规指引"),
        ("法治奉化建设责任落实约谈办法", "法治奉化建设责任落实考核办法"),
    ],
)
def test_distinct_titles_stay_apart(a: str, b: str) -> None:
    assert not same_title(a, b)
    assert resolve_titles([a, b]) == {a: a, b: b}


def test_bundled_report_titles() -> None:
    titles = [d.title for d in find_documents(CIXI, jurisdiction="浙江省宁波市慈溪市")]
    mapping = resolve_titles(titles)
    merged = {t: c for t, c in mapping.items() if t != c}
    # The only variant pair in the report: the 2025 plan restates the 2024 rule with 工作 inserted.
    assert merged == {"社区矫正对象外出管理工作规范": "社区矫正对象外出管理规范"}
    assert set(mapping) == set(titles)


def test_facility_names() -> None:
    names = [f.name for f in find_facilities(CIXI, jurisdiction=Jurisdiction.parse("浙江省宁波市慈溪市"))]
    mapping = resolve_names(names)
    assert mapping["新时代法治实践站"] == "新时代法治实践站"
    assert mapping["法治慈溪展厅"] == "法治慈溪展厅"
    assert len(set(mapping.values())) == len(set(names))  # no two distinct facilities merge here


def test_blocked_resolution_equals_pairwise_comparison() -> None:
    """resolve_titles compares within blocks; the answer is that of comparing every pair in order."""
    import itertools

    stems = ["行政执法监督", "社区矫正对象外出管理", "合法性审查"]
    heads = ["办法", "规范", "工作规范", "实施细则"]
    places = ["", "慈溪市"]
    years = ["", "2024年"]
    titles = [
        f"{p}{y}{s}{extra}{h}"
        for p, y, s, h, extra in itertools.product(places, years, stems, heads, ["", "工作", "管理"])
    ]
    canon: list[str] = []
    expected: dict[str, str] = {}
    for t in titles:
        if t in expected:
            continue
        match = next((c for c in canon if same_title(t, c)), None)
        if match is None:
            canon.append(t)
        expected[t] = match or t
    assert resolve_titles(titles) == expected
    assert len(set(expected.values())) < len(titles)  # some wordings were merged
