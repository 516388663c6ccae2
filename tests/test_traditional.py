"""A report published in traditional characters yields the facts of its simplified twin, with offsets into
the text as published and names in both scripts."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal
from rolkg.graph.model import ReportMeta
from rolkg.graph.namespaces import DCTERMS, OA, RDF, RDFS, ROL, SKOS
from rolkg.graph.pipeline import extract_report
from rolkg.graph.segment import segment
from rolkg.graph.text import Script, simplified_view, to_simplified

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
SIMPLIFIED = (LAYOUTS / "district-simplified.txt").read_text(encoding="utf-8")
TRADITIONAL = (LAYOUTS / "district-traditional.txt").read_text(encoding="utf-8")
NAMES = {RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, DCTERMS.description, OA.exact, ROL.text}


def build(text: str) -> Graph:
    return extract_report(text, ReportMeta(issuer="北京市某某区司法局", year=2023)).graph


def test_detection_and_view() -> None:
    assert simplified_view(SIMPLIFIED) is SIMPLIFIED  # simplified text is left alone
    view = simplified_view(TRADITIONAL)
    assert len(view) == len(TRADITIONAL)
    assert view == SIMPLIFIED
    assert to_simplified("全面依法治縣委員會") == "全面依法治县委员会"


def test_same_facts_as_the_simplified_twin() -> None:
    simplified, traditional = build(SIMPLIFIED), build(TRADITIONAL)

    def facts(g: Graph) -> set:  # type: ignore[type-arg]
        return {(s, p, o) for s, p, o in g if p not in NAMES}

    assert facts(traditional) == facts(simplified)
    # Every figure of the published text, 項 and 個 included (lost when read without the simplified view).
    values = sorted(
        (int(v), str(u))
        for m in traditional.subjects(RDF.type, ROL.Metric)
        for v in traditional.objects(m, RDF.value)
        for u in traditional.objects(m, ROL.unit)
    )
    assert values == [
        (5, "期"),
        (12, "%"),
        (12, "件"),
        (18, "个"),
        (30, "个"),
        (36, "个"),
        (46, "项"),
        (100, "%"),
        (120, "卷"),
        (650, "件"),
        (800, "人次"),
    ]


def test_evidence_quotes_the_published_text() -> None:
    g = build(TRADITIONAL)
    quotes = 0
    for ev in g.subjects(RDF.type, ROL.Evidence):
        start = int(next(g.objects(ev, OA.start)))
        end = int(next(g.objects(ev, OA.end)))
        assert TRADITIONAL[start:end] == str(next(g.objects(ev, OA.exact)))
        quotes += 1
    assert quotes > 30
    assert Literal("46項") in set(g.objects(None, OA.exact))


def test_names_in_both_scripts() -> None:
    g = build(TRADITIONAL)

    def names(kind) -> set[tuple[str, frozenset[str]]]:  # type: ignore[no-untyped-def]
        return {
            (str(next(g.objects(s, RDFS.label))), frozenset(str(a) for a in g.objects(s, SKOS.altLabel)))
            for s in g.subjects(RDF.type, kind)
        }

    assert names(ROL.Facility) == {
        ("區公共法律服務中心", frozenset({"区公共法律服务中心"})),
        ("街道公共法律服務站", frozenset({"街道公共法律服务站"})),
        ("社區法律服務點", frozenset({"社区法律服务点"})),
    }
    assert names(ROL.Document) == {
        ("某某區行政規範性文件管理辦法", frozenset({"某某区行政规范性文件管理办法"}))
    }
    shortcomings = names(ROL.Shortcoming)
    assert (
        "基層法治力量相對薄弱,專業人員不足",
        frozenset({"基层法治力量相对薄弱,专业人员不足"}),
    ) in shortcomings
    report = next(g.subjects(RDF.type, ROL.Report))
    assert str(next(g.objects(report, DCTERMS.title))) == "北京市某某區司法局2023年法治政府建設年度報告"


def test_same_structure() -> None:
    a, b = segment(SIMPLIFIED), segment(TRADITIONAL)
    assert [(s.kind, s.span, len(s.children)) for s in a.sections] == [
        (s.kind, s.span, len(s.children)) for s in b.sections
    ]


def test_script_maps_names_back() -> None:
    script = Script(TRADITIONAL, simplified_view(TRADITIONAL))
    assert script.traditional
    assert script.published("区司法局") == "區司法局"
    assert not Script(SIMPLIFIED, SIMPLIFIED).traditional
