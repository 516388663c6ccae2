"""Plan → work and plan → shortcoming links inside the bundled complete report, against a hand annotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rolkg.data import REPORTS_DIR
from rolkg.graph.extract.report import ItemFacts, ReportFacts, extract_facts
from rolkg.graph.ingest import resolve_meta
from rolkg.graph.lineage import link_plans, profile, similarity, weigh
from rolkg.graph.metadata import detect
from rolkg.graph.namespaces import RDF, ROL
from rolkg.graph.pipeline import extract_report
from rolkg.graph.resolve import resolve_titles
from rolkg.graph.segment import segment

REPORT = REPORTS_DIR / "cixi-sfj-2024.txt"

ANNOTATION = Path(__file__).parent / "fixtures" / "annotation" / "cixi-sfj-2024-plan-links.tsv"

Pair = tuple[str, tuple[int, ...], tuple[int, ...]]  # (relation, plan path, target path)


def innermost(facts: ReportFacts, quote: str, *, planned: bool | None) -> ItemFacts:
    """The smallest item whose text holds ``quote`` (a plan item when ``planned``)."""
    text = facts.layout.norm
    hits = [
        it
        for it in facts.items()
        if quote in text[it.span.start : it.span.end] and (planned is None or it.planned == planned)
    ]
    if not hits:
        raise LookupError(f"no item holds {quote!r}")
    return min(hits, key=lambda it: it.span.end - it.span.start)


def gold_pairs(facts: ReportFacts, path: Path = ANNOTATION) -> set[Pair]:
    out: set[Pair] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("relation\t"):
            continue
        relation, plan, target = line.split("\t")[:3]
        p = innermost(facts, plan, planned=True)
        t = innermost(facts, target, planned=False)
        out.add((relation, p.path, t.path))
    return out


def precision_recall(found: set[Pair], gold: set[Pair]) -> tuple[float, float]:
    hit = len(found & gold)
    return (hit / len(found) if found else 0.0, hit / len(gold) if gold else 0.0)


@pytest.fixture(scope="module")
def facts():
    text = REPORT.read_text(encoding="utf-8")
    layout = segment(text)
    return extract_facts(layout, detect(layout, resolve_meta(REPORT)))


@pytest.fixture(scope="module")
def found(facts):
    titles = resolve_titles([d.title for d, _ in facts.documents])
    return {
        (link.relation, link.subject.path, link.target.path): link.score for link in link_plans(facts, titles)
    }


def test_recall_and_precision_against_the_hand_annotation(facts, found) -> None:
    gold = gold_pairs(facts)
    assert len(gold) >= 30  # the annotation resolves to distinct (plan clause, target) pairs
    precision, recall = precision_recall(set(found), gold)
    print(
        f"plan links: {len(found)} found, {len(gold)} annotated, precision {precision:.2f}, recall {recall:.2f}"
    )
    assert recall >= 0.7
    assert precision >= 0.8


def test_the_issue_examples_are_linked(facts, found) -> None:
    def path(quote: str, planned: bool) -> tuple[int, ...]:
        return innermost(facts, quote, planned=planned).path

    reconsideration = path("发挥复议能动机制", True)
    assert ("continues", reconsideration, path("强化行政复议化解行政争议主渠道作用", False)) in found
    discovery = path("建立健全行政执法领域问题主动发现机制", True)
    assert ("continues", discovery, path("加强行政执法监督效能", False)) in found
    assert ("addresses", discovery, path("行政执法问题线索发现机制还需建立", False)) in found


def test_scores_are_kept_on_the_reified_links() -> None:
    g = extract_report(REPORT.read_text(encoding="utf-8"), resolve_meta(REPORT)).graph
    scored = [
        (node, g.value(node, ROL.score))
        for node in g.subjects(RDF.type, ROL.LineageLink)
        if g.value(node, RDF.predicate) in (ROL.continues, ROL.addresses)
    ]
    assert len(scored) >= 25
    assert all(isinstance(s, Literal) and 0 <= float(s) <= 1 for _, s in scored)


def test_shared_document_outweighs_unrelated_wording() -> None:
    a = profile(
        "严格落实《某某市调解工作规范》,加强队伍建设", "严格落实调解规范", frozenset({"某某市调解工作规范"})
    )
    b = profile("出台《某某市调解工作规范》", "调解规范出台", frozenset({"某某市调解工作规范"}))
    c = profile("开展普法宣传活动50场", "普法宣传", frozenset())
    weigh([a, b, c])
    assert similarity(a, b) > similarity(a, c)
    assert similarity(a, c) < 0.18
