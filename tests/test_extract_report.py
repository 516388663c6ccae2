"""End-to-end extraction: report text → one report graph, on the bundled report and an unseen one."""

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS
from rolkg.data import REPORTS_DIR
from rolkg.graph.model import ReportMeta
from rolkg.graph.namespaces import DCTERMS, OA, ROL
from rolkg.graph.pipeline import extract_report

from rolkg.errors import ExtractionError

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
PREFIXES = """PREFIX rol: <https://w3id.org/rolkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
CIXI = ReportMeta(
    title="慈溪市司法局2024年法治政府建设工作总结",
    issuer="慈溪市司法局",
    jurisdiction="浙江省宁波市慈溪市",
    year=2024,
    source="http://www.cixi.gov.cn/art/2025/2/26/art_1229818496_4599330.html",
    issued="2025-02-26",
)


@pytest.fixture(scope="module")
def cixi() -> Graph:
    text = (REPORTS_DIR / "cixi-sfj-2024.txt").read_text(encoding="utf-8")
    return extract_report(text, CIXI).graph


def labels_of(g: Graph, cls) -> set[str]:
    return {str(g.value(s, RDFS.label)) for s in g.subjects(RDF.type, cls)}


def test_every_evidence_quotes_the_report_text(cixi: Graph) -> None:
    report = next(cixi.subjects(RDF.type, ROL.Report))
    text = str(cixi.value(report, ROL.text))
    evidence = list(cixi.subjects(RDF.type, ROL.Evidence))
    assert len(evidence) > 100
    for ev in evidence:
        start, end = int(cixi.value(ev, OA.start)), int(cixi.value(ev, OA.end))
        assert text[start:end] == str(cixi.value(ev, OA.exact))


def test_every_extracted_resource_has_evidence(cixi: Graph) -> None:
    for cls in (
        ROL.Initiative,
        ROL.Document,
        ROL.Body,
        ROL.Facility,
        ROL.Metric,
        ROL.Recognition,
        ROL.Shortcoming,
    ):
        for s in cixi.subjects(RDF.type, cls):
            assert cixi.value(s, ROL.evidence) is not None, s


def test_initiatives_plans_and_shortcomings(cixi: Graph) -> None:
    done = labels_of(cixi, ROL.Initiative) - labels_of(cixi, ROL.PlannedInitiative)
    assert {"全面压实法治责任", "提升县乡合法性审查质效", "矫正规范接续提升", "持续提升法律援助质效"} <= done
    assert len(labels_of(cixi, ROL.Shortcoming)) == 3
    planned = list(cixi.subjects(RDF.type, ROL.PlannedInitiative))
    assert len(planned) >= 15
    assert {int(cixi.value(p, ROL.year)) for p in planned} == {2025}


def test_documents_are_classified(cixi: Graph) -> None:
    kinds = {
        str(cixi.value(d, DCTERMS.title)): str(cixi.value(d, ROL.documentKind))
        for d in cixi.subjects(RDF.type, ROL.Document)
    }
    assert kinds["慈溪市法治审查员任命管理办法"] == "policy"
    assert kinds["宁波信息"] == "publication"
    assert kinds["关于商事纠纷非诉化解的合作框架协议"] == "agreement"
    assert kinds["弘扬法治精神"] == "artwork"
    assert kinds["探索“零扰企”行政执法第三方服务模式"] == "project"
    # The 2025 plan's 《社区矫正对象外出管理工作规范》 is the 2024 规范: one document, with a variant title.
    assert "社区矫正对象外出管理工作规范" not in kinds


def test_bodies_are_canonical_in_the_jurisdiction(cixi: Graph) -> None:
    bodies = labels_of(cixi, ROL.Body)
    assert {"慈溪市司法局", "慈溪市人民法院", "慈溪市人民检察院", "浙江省司法厅", "司法部"} <= bodies
    bureau = next(
        s for s in cixi.subjects(RDF.type, ROL.Body) if str(cixi.value(s, RDFS.label)) == "慈溪市司法局"
    )
    alts = {str(o) for o in cixi.objects(bureau, SKOS.altLabel)}
    assert {"市司法局", "我局"} <= alts


def test_metrics_are_normalised_and_attached(cixi: Graph) -> None:
    rows = list(
        cixi.query(
            PREFIXES
            + """SELECT ?v ?u ?il ?q WHERE { ?m a rol:Metric ; rdf:value ?v ; rol:unit ?u ; rol:measures ?i .
                 ?i rdfs:label ?il OPTIONAL { ?m rol:qualifier ?q } }"""
        )
    )
    values = {(Decimal(str(r.v)), str(r.u)) for r in rows}
    assert (Decimal(587), "件") in values
    assert (Decimal("104.5"), "%") in values
    assert (Decimal(162000000), "元") in values
    assert (Decimal("3.97"), "比") in values
    rise = [r for r in rows if Decimal(str(r.v)) == Decimal("104.5")]
    assert rise and "同比上升" in {str(r.q) for r in rise}
    assert any(str(r.il) == "强化行政复议化解行政争议主渠道作用" for r in rise)


def test_facilities_pilots_recognitions(cixi: Graph) -> None:
    facilities = labels_of(cixi, ROL.Facility)
    assert any("合规指导中心" in f for f in facilities)
    assert any("监督观察站" in f for f in facilities)
    station = next(
        s for s in cixi.subjects(RDF.type, ROL.Facility) if "监督观察站" in str(cixi.value(s, RDFS.label))
    )
    assert cixi.value(station, ROL["count"]) == Literal(31)
    pilots = labels_of(cixi, ROL.Pilot)
    assert any("多跨联动监管改革试点" in p for p in pilots)
    recognitions = list(cixi.subjects(RDF.type, ROL.Recognition))
    by = {str(cixi.value(b, RDFS.label)) for r in recognitions for b in cixi.objects(r, ROL.recognizedBy)}
    assert {"司法部", "浙江省司法厅"} <= by


def test_lineage_of_the_community_corrections_rules(cixi: Graph) -> None:
    rows = cixi.query(
        PREFIXES
        + """SELECT ?producer ?plan ?continued WHERE {
            ?doc dcterms:title "社区矫正对象外出管理规范"@zh .
            ?producer rol:produces ?doc .
            ?plan a rol:PlannedInitiative ; rol:implements ?doc ; rol:continues ?continued . }"""
    )
    rows = list(rows)
    assert rows, "the 2025 plan implements the 2024 rules and continues the measure that produced them"
    assert any(r.producer == r.continued for r in rows)


def test_plan_continues_legality_review_and_addresses_a_shortcoming(cixi: Graph) -> None:
    rows = list(
        cixi.query(
            PREFIXES
            + """SELECT ?pl WHERE { ?p rol:continues ?i . ?i rdfs:label "提升县乡合法性审查质效"@zh . ?p rdfs:label ?pl }"""
        )
    )
    assert any("县乡合法性审查" in str(r.pl) for r in rows)
    addressed = list(cixi.query(PREFIXES + "SELECT ?s WHERE { ?p rol:addresses ?s . ?s a rol:Shortcoming }"))
    assert addressed


def test_lineage_links_are_reified_with_evidence(cixi: Graph) -> None:
    links = list(cixi.subjects(RDF.type, ROL.LineageLink))
    assert links
    for link in links:
        s, p, o = (cixi.value(link, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        assert (s, p, o) in cixi
        assert cixi.value(link, ROL.evidence) is not None


def test_extraction_is_deterministic() -> None:
    text = (REPORTS_DIR / "cixi-sfj-2024.txt").read_text(encoding="utf-8")
    a, b = extract_report(text, CIXI), extract_report(text, CIXI)
    assert a.report == b.report
    assert set(a.graph) == set(b.graph)


def test_unseen_report_metadata_and_facts() -> None:
    text = (FIXTURES / "unseen-fullwidth.txt").read_text(encoding="utf-8")
    out = extract_report(text, ReportMeta())
    g = out.graph
    assert out.meta.issuer == "安吉县司法局"
    assert out.meta.year == 2024
    assert out.meta.jurisdiction == "浙江省湖州市安吉县"
    assert out.meta.issued == "2025-03-10"
    assert "安吉县合法性审查工作规则" in labels_of(g, ROL.Document)
    values = {Decimal(str(v)) for v in g.objects(None, RDF.value)}
    assert {Decimal(320), Decimal("12.5"), Decimal(500)} <= values
    assert len(labels_of(g, ROL.Shortcoming)) == 2
    assert list(g.subject_objects(ROL.addresses))


@pytest.mark.parametrize("name", sorted(p.name for p in REPORTS_DIR.glob("*.txt")))
def test_every_opening_yields_initiatives(name: str) -> None:
    out = extract_report((REPORTS_DIR / name).read_text(encoding="utf-8"), ReportMeta())
    assert list(out.graph.subjects(RDF.type, ROL.Initiative)), name


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   \n  ", "empty"), ("这是一段没有任何结构的文字。", "--issuer")],
)
def test_unusable_text_says_what_to_do(text: str, message: str) -> None:
    with pytest.raises(ExtractionError, match=message):
        extract_report(text, ReportMeta())
