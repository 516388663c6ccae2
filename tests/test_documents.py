"""Document mentions in 《》: kinds, counts, creators, spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from rolkg.graph.extract.documents import classify_title, find_documents

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
CIXI = (REPORTS / "cixi-sfj-2024.txt").read_text(encoding="utf-8")
JUR = "浙江省宁波市慈溪市"


def _by_title(text: str, **kw: str) -> dict[str, object]:
    return {d.title: d for d in find_documents(text, jurisdiction=JUR, issuer="慈溪市司法局", **kw)}


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("2024年法治慈溪建设工作要点", "plan"),
        ("2023年度法治慈溪建设工作情况", "report"),
        ("慈溪市法治审查员任命管理办法", "policy"),
        ("关于规范履责申请案件处理的工作指引", "policy"),
        ("关于商事纠纷非诉化解的合作框架协议", "agreement"),
        ("打造“一站三化”县域商事调解新模式", "project"),
        ("探索“零扰企”行政执法第三方服务模式", "project"),
        ("“三会两庭一中心”涉企法治增值服务体系", "project"),
        ("宁波信息", "publication"),
        ("法治宁波", "publication"),
        ("浙江政务信息(专刊)", "publication"),
        ("弘扬法治精神", "artwork"),
        ("统筹加强镇(街道)专职调解队伍建设十条措施", "policy"),
        ("宁波市市县党政主要负责人履行推进法治建设第一责任人职责清单(试行)", "policy"),
    ],
)
def test_kinds_in_bundled_report(title: str, kind: str) -> None:
    assert _by_title(CIXI)[title].kind == kind  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("中华人民共和国行政复议法", "law"),
        ("浙江省行政程序办法", "policy"),
        ("法治政府建设实施纲要(2021-2025年)", "plan"),
        ("行政执法监督通知书", "form"),
        ("行政复议决定书", "form"),
        ("浙江省法律援助条例", "law"),
        ("2023年度法治政府建设情况报告", "report"),
        ("“枫桥式”调解工作法", "project"),
        ("某某调解工作台账登记表", "form"),
    ],
)
def test_classify_title_by_head_noun(title: str, kind: str) -> None:
    assert classify_title(title) == kind


def test_count_after_single_title() -> None:
    text = "全年制发《行政执法监督通知书》2份,《行政执法监督建议书》3份。"
    docs = find_documents(text, jurisdiction=JUR)
    assert [(d.title, d.kind, d.count) for d in docs] == [
        ("行政执法监督通知书", "form", 2),
        ("行政执法监督建议书", "form", 3),
    ]


def test_group_count_is_not_per_title() -> None:
    docs = _by_title(CIXI)
    for title in ("探索“零扰企”行政执法第三方服务模式", "打造“一站三化”县域商事调解新模式"):
        assert docs[title].count is None  # type: ignore[attr-defined]
    # 等4个项目 makes a policy-sounding title a project too.
    text = "《某某市行政执法协调办法》《某某县调解规范》等2个项目入选省级试点名单。"
    assert {d.kind for d in find_documents(text, jurisdiction=JUR)} == {"project"}


def test_spans_quote_brackets_and_nested_quotes() -> None:
    docs = find_documents(CIXI, jurisdiction=JUR, issuer="慈溪市司法局")
    assert len(docs) == 24
    for d in docs:
        assert d.span.quote(CIXI) == f"《{d.title}》"


def test_nested_book_title() -> None:
    text = "印发《关于贯彻《中华人民共和国行政复议法》的实施意见》。"
    (doc,) = find_documents(text, jurisdiction=JUR)
    assert doc.title == "关于贯彻《中华人民共和国行政复议法》的实施意见"
    assert doc.kind == "policy"


def test_window_limits() -> None:
    first = CIXI.index("《")
    docs = find_documents(CIXI, 0, first + 5, jurisdiction=JUR)
    assert docs == []
    some = find_documents(CIXI, first, first + 20, jurisdiction=JUR)
    assert [d.title for d in some] == ["2024年法治慈溪建设工作要点"]


def test_creator_stated_or_none() -> None:
    text = "提请市委、市政府出台《嘉兴市法治政府建设实施纲要(2021-2025年)》,完善考核。"
    (doc,) = find_documents(text, jurisdiction="浙江省嘉兴市")
    assert doc.creator == "中共嘉兴市委"
    docs = _by_title(CIXI)
    # 联合…等6个部门出台: co-issued; the issuer stays the default creator.
    assert docs["统筹加强镇(街道)专职调解队伍建设十条措施"].creator is None  # type: ignore[attr-defined]
    assert docs["浙江政务信息(专刊)"].creator == "浙江省人民政府办公厅"  # type: ignore[attr-defined]
    zh = (REPORTS / "zhenhai-sfj-2022.txt").read_text(encoding="utf-8")
    title = next(d for d in find_documents(zh, jurisdiction="浙江省宁波市镇海区") if "关于" in d.title)
    assert title.creator == "中共宁波市镇海区委全面依法治区委员会办公室"


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.txt")), ids=lambda p: p.name)
def test_every_report_runs(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for d in find_documents(text):
        assert d.span.quote(text).startswith("《")
        assert d.kind in {
            "policy",
            "law",
            "plan",
            "agreement",
            "project",
            "publication",
            "form",
            "artwork",
            "report",
            "other",
        }
