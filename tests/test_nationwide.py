"""Report openings from every level and several provinces, with no options: issuer, jurisdiction (a
Place IRI and its chain), year, and bodies canonical at the right level. The fixtures are written in the
genre for these tests (tests/fixtures/reports/nationwide/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from rolkg.graph.ingest import prepare
from rolkg.graph.namespaces import DCTERMS, RDF, RDFS, ROL, SKOS
from rolkg.graph.validate import validate_graph

HERE = Path(__file__).parent / "fixtures" / "reports" / "nationwide"
PLACE = "https://w3id.org/rolkg/id/place/"

# file: (issuer, place code, chain codes province down, year, bodies {canonical: level} that must be there)
CASES = {
    "ministry.txt": ("司法部", "100000", ["100000"], 2023, {"司法部党组": "national", "国务院": "national"}),
    "guangdong-province.txt": (
        "广东省司法厅",
        "440000",
        ["440000"],
        2023,
        {
            "中共广东省委常委会": "provincial",
            "广东省司法厅党组": "provincial",
            "中共广东省委第三巡察组": "provincial",
        },
    ),
    "sichuan-city.txt": (
        "成都市人民政府",
        "510100",
        ["510000", "510100"],
        2022,
        {
            "中共四川省委": "provincial",
            "中共成都市委": "municipal",
            "成都市法治政府建设工作领导小组": "municipal",
            "成都市市场监管局": "municipal",
        },
    ),
    "shanghai-district.txt": (
        "上海市徐汇区人民政府",
        "310104",
        ["310000", "310104"],
        2023,
        {
            "中共上海市委": "provincial",
            "中共上海市徐汇区委常委会": "county",
            "上海市徐汇区人民政府党组": "county",
        },
    ),
    "beijing-district.txt": (
        "北京市朝阳区司法局",
        "110105",
        ["110000", "110105"],
        2024,
        {
            "北京市司法局": "provincial",
            "中共北京市委第八巡察组": "provincial",
            "北京市朝阳区司法局党组": "county",
        },
    ),
    "hunan-county.txt": (
        "长沙县人民政府",
        "430121",
        ["430000", "430100", "430121"],
        2024,
        {
            "中共湖南省委": "provincial",
            "中共长沙市委": "municipal",
            "中共长沙县委全面依法治县委员会办公室": "county",
            "长沙县星沙街道": "township",
        },
    ),
    "shaanxi-township.txt": (
        "眉县横渠镇人民政府",
        "610326101",
        ["610000", "610300", "610326", "610326101"],
        2023,
        {"中共眉县委": "county", "中共眉县横渠镇委": "township", "眉县槐芽镇": "township"},
    ),
    "guangdong-street.txt": (
        "深圳市南山区粤海街道办事处",
        "440305007",
        ["440000", "440300", "440305", "440305007"],
        2023,
        {
            "中共广东省委": "provincial",
            "中共深圳市委": "municipal",
            "中共深圳市南山区委": "county",
            "中共深圳市南山区粤海街道工委": "township",
        },
    ),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def extracted(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    text = (HERE / request.param).read_text(encoding="utf-8")
    result, _ = prepare(text, None, check=False)
    return request.param, text, result


def test_issuer_jurisdiction_year(extracted) -> None:  # type: ignore[no-untyped-def]
    name, _, result = extracted
    issuer, code, chain, year, _ = CASES[name]
    g = result.graph
    assert result.meta.issuer == issuer
    assert result.meta.year == year
    place = g.value(result.report, ROL.jurisdiction)
    assert place == URIRef(PLACE + code)
    got, p = [], place
    while p is not None:
        got.append(str(g.value(p, DCTERMS.identifier)))
        p = g.value(p, ROL.within)
    expected = list(reversed(chain)) + ([] if code == "100000" else ["100000"])
    assert got == expected
    assert str(g.value(place, SKOS.altLabel)) == result.meta.jurisdiction


def test_bodies_at_their_level(extracted) -> None:  # type: ignore[no-untyped-def]
    name, _, result = extracted
    *_, bodies = CASES[name]
    g = result.graph
    found = {
        str(g.value(b, SKOS.prefLabel)): str(g.value(b, ROL.level))
        for b in g.subjects(ROL.level, None)
        if (b, SKOS.prefLabel, None) in g
    }
    for canonical, level in bodies.items():
        assert found.get(canonical) == level, (canonical, found)
    # The issuer and its self-references (我局, 我镇, 我街道) are one node, at the jurisdiction's level.
    issuer = g.value(result.report, DCTERMS.publisher)
    assert str(g.value(issuer, SKOS.prefLabel)) == CASES[name][0]


def test_no_false_bodies(extracted) -> None:  # type: ignore[no-untyped-def]
    _, _, result = extracted
    labels = {str(o) for o in result.graph.objects(None, SKOS.prefLabel)}
    assert not any(label.startswith(("今年", "来源")) for label in labels)


def test_graph_conforms(extracted) -> None:  # type: ignore[no-untyped-def]
    _, _, result = extracted
    outcome = validate_graph(result.graph)
    assert outcome.conforms, outcome.text()


def test_only_the_places_a_report_needs() -> None:
    text = (HERE / "hunan-county.txt").read_text(encoding="utf-8")
    result, _ = prepare(text, None, check=False)
    g = result.graph
    codes = {str(g.value(p, DCTERMS.identifier)) for p in g.subjects(RDF.type, ROL.Place)}
    # The jurisdiction's chain, and the two streets the text names (with their chain, already there).
    assert codes == {"100000", "430000", "430100", "430121", "430121001", "430121002"}
    spatial = {str(o) for o in g.objects(result.report, DCTERMS.spatial)}
    assert spatial == {PLACE + "430121001", PLACE + "430121002"}


def test_no_title_line_means_no_title() -> None:
    text = (
        "2024年以来，市司法局深入学习贯彻习近平法治思想，奋力推进法治慈溪建设。现将我局2024年法治政府建设工作总结如下：\n"
        "一、主要举措\n（一）强化统筹。召开法治慈溪建设推进会3次。\n"
    )
    result, _ = prepare(text, None, check=True)
    g = result.graph
    assert g.value(result.report, DCTERMS.title) is None  # never invented
    assert "无标题" in str(g.value(result.report, RDFS.label))
    assert (result.meta.issuer, result.meta.jurisdiction) == ("慈溪市司法局", "浙江省宁波市慈溪市")


@pytest.mark.parametrize(
    ("title", "issuer", "jurisdiction"),
    [
        # A title naming only a place is that place's government's report.
        ("2023年度海淀区法治政府建设工作报告", "北京市海淀区人民政府", "北京市海淀区"),
        # A township named alone: the only one of that name in the country.
        ("横渠镇2023年法治政府建设工作总结", "眉县横渠镇人民政府", "陕西省宝鸡市眉县横渠镇"),
        ("国家某某局2023年法治政府建设年度报告", "国家某某局", "全国"),
    ],
)
def test_issuer_from_a_place_title(title: str, issuer: str, jurisdiction: str) -> None:
    text = f"{title}\n2023年，我们在上级的领导下推进法治建设。\n一、主要工作\n（一）加强领导。召开会议3次。\n"
    result, _ = prepare(text, None, check=False)
    assert (result.meta.issuer, result.meta.jurisdiction) == (issuer, jurisdiction)
