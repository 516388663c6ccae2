"""The indicator scheme (ontology/indicators.ttl) and the matching of figures to it (graph/indicators.py).

Matching is measured on the bundled reports against a hand annotation
(tests/fixtures/indicators/bundled-annotation.tsv: the indicator a careful reader assigns each figure).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from rolkg.data import REPORTS_DIR
from rolkg.graph.extract.metrics import find_metrics
from rolkg.graph.indicators import ancestors, concepts, match_metrics
from rolkg.graph.namespaces import ROL
from rolkg.ontology import INDICATORS_TTL

ANNOTATION = Path(__file__).parent / "fixtures" / "indicators" / "bundled-annotation.tsv"
IND = "https://w3id.org/rolkg/id/indicator/"


@pytest.fixture(scope="module")
def scheme() -> Graph:
    return Graph().parse(INDICATORS_TTL, format="turtle")


def name(iri: URIRef | None) -> str:
    return str(iri).removeprefix(IND) if iri is not None else "-"


def test_scheme_has_sixty_indicators_each_labelled_defined_and_counted(scheme: Graph) -> None:
    members = set(scheme.subjects(SKOS.inScheme, ROL.indicators))
    assert len(members) >= 60
    for c in members:
        langs = {getattr(o, "language", None) for o in scheme.objects(c, SKOS.prefLabel)}
        assert {"zh", "en"} <= langs, c
        assert any(getattr(o, "language", None) == "en" for o in scheme.objects(c, SKOS.definition)), c
        assert list(scheme.objects(c, ROL.unit)), f"{c} has no unit"
        assert list(scheme.objects(c, SKOS.altLabel)), f"{c} has no surface forms"
        for broader in scheme.objects(c, SKOS.broader):
            assert broader in members, f"{c} is narrower than {broader}, which is not in the scheme"
        for hidden in scheme.objects(c, SKOS.hiddenLabel):
            a, sep, b = str(hidden).partition("…")
            assert sep and a and b and "…" not in b, f"{c}: context form {hidden!r} must be A…B"


GENRE = [
    "行政复议收案数",
    "行政复议审结数",
    "行政复议纠错",
    "行政诉讼一审",
    "复议诉讼比",
    "败诉率",
    "出庭应诉率",
    "规范性文件",
    "合法性审查",
    "重大行政决策",
    "持证",
    "法律援助案件",
    "法律援助咨询",
    "公证",
    "人民调解",
    "调解涉及金额",
    "普法",
    "法治体检",
    "社区矫正",
    "安置帮教",
    "主动公开政府信息",
    "政府信息公开申请",
]


def test_scheme_covers_the_genre(scheme: Graph) -> None:
    labels = [str(o) for o in scheme.objects(None, SKOS.prefLabel) if getattr(o, "language", None) == "zh"]
    missing = [g for g in GENRE if not any(g in label for label in labels)]
    assert not missing


def test_narrower_indicators_roll_up() -> None:
    chain = ancestors(URIRef(IND + "admin-reconsideration-received"))
    assert chain == [
        URIRef(IND + "admin-reconsideration-received"),
        URIRef(IND + "admin-reconsideration-cases"),
    ]


def _predicted() -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    for path in sorted(REPORTS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        metrics = find_metrics(text)
        for m, match in zip(metrics, match_metrics(text, metrics), strict=True):
            out[(path.name, m.span.start)] = name(match.concept if match else None)
    return out


def test_matching_on_the_bundled_reports_agrees_with_a_careful_reader() -> None:
    with ANNOTATION.open(encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    gold = {(r[0], int(r[1])): r[3] for r in rows}
    predicted = _predicted()
    assert set(gold) == set(predicted), "the annotation must cover exactly the figures the extractor finds"
    matched = [k for k, v in predicted.items() if v != "-"]
    agreed = [k for k in matched if gold[k] == predicted[k]]
    broader = [
        k
        for k in matched
        if gold[k] != "-"
        and gold[k] != predicted[k]
        and URIRef(IND + predicted[k]) in ancestors(URIRef(IND + gold[k]))
    ]
    reader = [k for k, v in gold.items() if v != "-"]
    found = [k for k in reader if predicted[k] == gold[k]]
    print(
        f"\n{len(predicted)} figures; {len(matched)} get an indicator; the reader agrees with {len(agreed)} "
        f"(and {len(broader)} more are a broader indicator of the reader's); the reader assigns {len(reader)}, "
        f"of which the matcher finds {len(found)}"
    )
    assert len(matched) >= 0.6 * len(predicted)
    assert len(agreed) >= 0.9 * len(matched)
    assert len(found) >= 0.85 * len(reader)
    wrong = [(k, predicted[k], gold[k]) for k in matched if gold[k] == "-"]
    assert len(wrong) <= 2, wrong  # a figure the reader leaves unassigned should rarely get an indicator


def matches_of(text: str) -> list[str]:
    metrics = find_metrics(text)
    return [name(m.concept if m else None) for m in match_metrics(text, metrics)]


def test_context_forms_and_units_decide_between_indicators() -> None:
    # written in the genre for this test (a county of another province)
    text = (
        "(二)推进政务公开。严格执行依申请公开工作规范,全年共收到申请42件。"
        "组织“宪法宣传周”等普法活动36场,惠及群众2万余人。新增“跨省通办”合作城市12个,办理跨省通办830件。"
    )
    assert matches_of(text) == [
        "gov-info-requests",
        "legal-publicity-activities",
        "legal-publicity-reach",
        "-",
        "cross-province-services",
    ]


def test_a_change_takes_its_figures_indicator_and_a_list_its_common_broader_one() -> None:
    text = (
        "全县行政复议发案量212件,同比下降8.2%。"
        "全年各乡镇审查规范性文件、行政合同、重大行政执法决定等共计960件。"
    )
    assert matches_of(text) == [
        "admin-reconsideration-received",
        "admin-reconsideration-received",
        "legality-review",
    ]


def test_unmatched_phrases_stay_unmatched() -> None:
    assert matches_of("全市28个行政部门和17个镇(街道)全部完成年度报告。") == ["-", "-"]
    assert set(concepts()) and all(str(c).startswith(IND) for c in concepts())
