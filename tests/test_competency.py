"""Competency questions (graph/queries/cq/*.rq) answered from the bundled complete report.

Each test checks that the answer contains facts the report states in so many words.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file
from rolkg.graph.query import QUERIES_DIR, QueryLayer
from rolkg.graph.store import EmbeddedStore, Row, load_ontology

CIXI = REPORTS_DIR / "cixi-sfj-2024.txt"
CQ_DIR = QUERIES_DIR / "cq"


@pytest.fixture(scope="module")
def layer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryLayer]:
    store = EmbeddedStore(tmp_path_factory.mktemp("cq") / "store")
    load_ontology(store)
    # validation is covered elsewhere; here only the answers matter, and SHACL costs seconds
    ingest_file(CIXI, None, store, check=False)
    yield QueryLayer(store)
    store.close()


def column(rows: list[Row], name: str) -> set[str]:
    return {str(row[name]) for row in rows if name in row}


def test_at_least_twelve_questions_each_stated_in_english_and_chinese() -> None:
    files = sorted(CQ_DIR.glob("cq*.rq"))
    assert len(files) >= 12
    for path in files:
        header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        text = "\n".join(header)
        assert any("\u4e00" <= c <= "\u9fff" for c in text), f"{path.name}: no Chinese statement"
        assert any(c.isascii() and c.isalpha() for c in text), f"{path.name}: no English statement"
        assert "?" in text and ("?" in text or "?" in text), path.name


def test_cq01_documents_of_the_justice_bureau(layer: QueryLayer) -> None:
    titles = column(layer.select("cq/cq01-documents-issued-by-justice-bureau", inYear=Literal(2024)), "title")
    assert "慈溪市法治审查员任命管理办法" in titles
    assert "2024年慈溪市优化法治化营商环境工作要点" in titles
    assert layer.select("cq/cq01-documents-issued-by-justice-bureau", inYear=Literal(2019)) == []


def test_cq02_court_and_procuratorate(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq02-initiatives-with-court-or-procuratorate")
    names = column(rows, "bodyName")
    assert any("法院" in n for n in names) and any("检察院" in n for n in names)
    assert "打造涉企法治服务专区" in column(rows, "label")  # 联合法院、工商联推进“三会两庭一中心”建设


def test_cq03_facilities(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq03-facilities-by-kind")
    names = " | ".join(column(rows, "names"))
    assert "新时代法治实践站" in names  # 建成新时代法治实践站并投入运行22家
    assert "律谐商调中心商会联络点" in names  # 增设……商会联络点7家
    units = {str(r["kind"]): int(r["units"]) for r in rows}
    assert units.get("liaison point", 0) >= 7


def test_cq04_year_on_year_rises(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq04-year-on-year-rises")
    pairs = {(Decimal(str(r["value"])), Decimal(str(r["change"]))) for r in rows}
    assert (Decimal(587), Decimal("104.5")) in pairs  # 行政复议发案量587件,同比上升104.5%
    assert (Decimal(184), Decimal(26)) in pairs  # 一审诉讼案件184件,同比上升26.0%


def test_cq05_plans_continue_initiatives(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq05-plans-continuing-initiatives")
    assert rows
    assert ("提升政府法律事务质效", "规范政府法律事务") in {
        (str(r["planLabel"]), str(r["earlierLabel"])) for r in rows
    }
    assert all(int(r["planYear"]) == 2025 for r in rows if "planYear" in r)


def test_cq06_shortcomings(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq06-shortcomings-addressed")
    labels = column(rows, "shortcomingLabel")
    assert len(labels) == 3  # 三、存在的不足 lists three
    assert any("行政执法协调监督体系建设不够完善" in label for label in labels)
    assert any("plan" in r for r in rows)


def test_cq07_recognitions(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq07-recognitions-provincial-national")
    by = column(rows, "bodyName")
    assert "司法部" in by  # 该项工作获司法部、省人大常委会、省司法厅等上级领导批示肯定
    assert {"national", "provincial"} <= column(rows, "level")


def test_cq08_lineage_of_the_community_correction_rules(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq08-lineage-of-document")
    assert rows
    assert column(rows, "document") == {
        "https://w3id.org/rolkg/id/document/shequjiaozhengduixiangwaichuguanliguifan"
    }
    labels = " ".join(column(rows, "nodeLabel"))
    assert "社区矫正对象外出管理" in labels  # 2025: 严格落实《社区矫正对象外出管理工作规范》


def test_cq08_lineage_has_upstream(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq08-lineage-of-document")
    assert "upstream" in column(rows, "direction")


def test_cq09_partners(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq09-partners-of-justice-bureau")
    assert rows[0]["partnerName"] == Literal("慈溪市人民法院", lang="zh")
    assert "慈溪市人民检察院" in column(rows, "partnerName")


def test_cq10_metrics_per_theme(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq10-metrics-per-theme")
    counts = {str(r["theme"]).rsplit("/", 1)[-1]: int(r["metrics"]) for r in rows}
    assert counts.get("administrative-reconsideration", 0) >= 2  # 587件 and 104.5%
    assert all(n > 0 for n in counts.values())


def test_cq10_theme_labels(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq10-metrics-per-theme")
    assert all("themeLabel" in r for r in rows), "every theme has a zh skos:prefLabel in the ontology graph"


def test_cq11_documents_by_kind(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq11-documents-by-kind")
    kinds = {str(r["kind"]): str(r["titles"]) for r in rows}
    assert "慈溪市法治审查员任命管理办法" in kinds["policy"]
    assert "关于商事纠纷非诉化解的合作框架协议" in kinds["agreement"]


def test_cq12_pilots(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq12-pilots-and-outputs")
    labels = column(rows, "pilotLabel")
    assert "探索实施入矫教育“五步走”工作法" in labels
    assert all("parent" in r for r in rows), "each pilot is produced by its parent initiative"


def test_every_cq_runs(layer: QueryLayer) -> None:
    for path in sorted(CQ_DIR.glob("*.rq")):
        name = "cq/" + Path(path).stem
        assert isinstance(layer.select(name), list), name
