"""Facilities: founded names, kinds, counts, canonical names, spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from rolkg.graph.extract.facilities import find_facilities
from rolkg.graph.extract.places import Jurisdiction

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
CIXI = (REPORTS / "cixi-sfj-2024.txt").read_text(encoding="utf-8")
CIXI_JUR = Jurisdiction.parse("浙江省宁波市慈溪市")
FENGHUA_JUR = Jurisdiction.parse("浙江省宁波市奉化区")


def _facts(text: str, jur: Jurisdiction = CIXI_JUR) -> list[tuple[str, str, int | None]]:
    return [(f.name, f.kind, f.count) for f in find_facilities(text, jurisdiction=jur)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "在企业、行业协会、商会设立第一批31个行政执法监督观察站(点),开展检查。",
            [("行政执法监督观察站(点)", "station", 31)],
        ),
        ("全市建成新时代法治实践站并投入运行22家,已开展活动72次。", [("新时代法治实践站", "station", 22)]),
        ("增设律谐商调中心商会联络点7家;新增调解员37名。", [("律谐商调中心商会联络点", "liaison point", 7)]),
        (
            "建成1个产业合规中心和2个合规服务点,组建区级合规专家库,指导企业。",
            [
                ("产业合规中心", "centre", 1),
                ("合规服务点", "service point", 2),
                ("宁波市奉化区合规专家库", "expert pool", None),
            ],
        ),
        (
            "全面建成市小家电智能小镇合规指导中心(周巷)、市小家电行业消防安全合规指导中心(附海),谋划改革。",
            [
                ("慈溪市小家电智能小镇合规指导中心(周巷)", "centre", None),
                ("慈溪市小家电行业消防安全合规指导中心(附海)", "centre", None),
            ],
        ),
        (
            "新建集行政执法监督、立法联系、企业合规指导等功能于一体的新时代法治实践站3个。",
            [("新时代法治实践站", "station", 3)],
        ),
        ("建设“黄丝带”安置帮教示范基地1个,落实救助。", [("“黄丝带”安置帮教示范基地", "base", 1)]),
        ("争取建成宁波涉外法律服务区慈溪分中心。", [("宁波涉外法律服务区慈溪分中心", "centre", None)]),
        ("建成宁波首家法治非遗文化馆,扩大影响。", [("法治非遗文化馆", "hall", None)]),
    ],
)
def test_founded_facilities(text: str, expected: list[tuple[str, str, int | None]]) -> None:
    jur = FENGHUA_JUR if "区级" in text else CIXI_JUR
    assert _facts(text, jur) == expected


@pytest.mark.parametrize(
    "text",
    [
        "不断完善工作体系,着力打造法治慈溪建设有力抓手。",
        "深化打造“15分钟公共法律服务圈”建设。",
        "建立“1+N+17”立体普法模式。",
        "指导人民调解委员会进驻矛调中心。",  # not founded here
        "联合法院、工商联推进“三会两庭一中心”建设。",  # a brand, not a building
        "纵深推进市镇村三级公法站点规范建设。",
        "探索构建金融纠纷多元调解机制。",
        "形成党委统一领导,部门齐抓共管工作格局。",
    ],
)
def test_not_facilities(text: str) -> None:
    assert _facts(text) == []


def test_bundled_report() -> None:
    found = find_facilities(CIXI, jurisdiction=CIXI_JUR)
    for f in found:
        quote = f.span.quote(CIXI)
        assert quote.endswith(f.name[-2:]) or quote.endswith(")")
    names = {f.name for f in found}
    assert {"慈溪市小家电智能小镇合规指导中心(周巷)", "未成年人法律援助业务专家库", "法治慈溪展厅"} <= names
    assert "行业性专业性调解委员会" in names  # 完善…等领域行业性专业性调解委员会建设
    assert not any(n.startswith("市") for n in names)


def test_window() -> None:
    i = CIXI.index("设立第一批")
    (only,) = find_facilities(CIXI, i, i + 40, jurisdiction=CIXI_JUR)
    assert only.count == 31
    assert only.span.quote(CIXI) == "行政执法监督观察站(点)"


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.txt")), ids=lambda p: p.name)
def test_every_report_runs(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for f in find_facilities(text, jurisdiction=Jurisdiction.guess(None, text)):
        assert f.span.end > f.span.start
        assert f.count is None or f.count > 0


# Genre sentences from reports of other provinces and levels (written for these tests).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "今年以来,搭建“法润乡村”线上服务平台,构建县乡村三级矛盾纠纷调处平台。",
            [("“法润乡村”线上服务平台", "platform", None), ("县乡村三级矛盾纠纷调处平台", "platform", None)],
        ),
        (
            "在各村（社区）设立法治宣传公开栏86块,打造法治文化阵地12个。",
            [("法治宣传公开栏", "notice board", 86), ("法治文化阵地", "base", 12)],
        ),
        (
            "挂牌成立县级法律援助工作站,启用新的公共法律服务大厅。",
            [("慈溪市法律援助工作站", "station", None), ("公共法律服务大厅", "hall", None)],
        ),
        ("组建由15名律师组成的法律顾问人才库。", [("法律顾问人才库", "expert pool", None)]),
        ("打造“红色议事”法治大院2个。", [("“红色议事”法治大院", "courtyard", 2)]),
        (
            "设立人民调解室18个,建成村级法律服务点位36个。",
            [("人民调解室", "room", 18), ("村级法律服务点位", "service point", 36)],
        ),
        (
            "建成青少年法治教育馆,新建三个村级法律服务点。",
            [("青少年法治教育馆", "hall", None), ("村级法律服务点", "service point", 3)],
        ),
        (
            "建成法治文化长廊和法律图书室,打造法治宣传展厅。",
            [("法治文化长廊", "park", None), ("法律图书室", "room", None), ("法治宣传展厅", "hall", None)],
        ),
        ("在镇综治中心设立“老娘舅”调解驿站5个。", [("“老娘舅”调解驿站", "station", 5)]),
    ],
)
def test_facilities_across_the_genre(text: str, expected: list[tuple[str, str, int | None]]) -> None:
    found = find_facilities(text, jurisdiction=CIXI_JUR)
    assert [(f.name, f.kind, f.count) for f in found] == expected
    for f in found:  # the span quotes the name as written (before a relative 县级 is expanded)
        assert f.span.quote(text).endswith(f.name[-2:])


@pytest.mark.parametrize(
    "text",
    [
        "建成“枫桥式”司法所3个,规范办公场所。",  # a justice office is a body; 场所 is any place
        "设立律师事务所2家。",  # a firm
        "构建“1+3+N”矛盾纠纷化解体系。",
        "成立工作专班,明确科室职责。",
    ],
)
def test_not_facilities_across_the_genre(text: str) -> None:
    assert _facts(text) == []
