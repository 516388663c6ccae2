"""Body mentions: recognition, canonical names within the jurisdiction, levels, lead and partners."""

from __future__ import annotations

from pathlib import Path

import pytest
from rolkg.graph.extract.bodies import Jurisdiction, find_bodies, lead_and_partners
from rolkg.graph.extract.places import fold

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
CIXI = (REPORTS / "cixi-sfj-2024.txt").read_text(encoding="utf-8")
CIXI_JUR = "浙江省宁波市慈溪市"
ISSUER = "慈溪市司法局"


def _canon(text: str, jur: str, issuer: str | None = None) -> list[tuple[str, str, str]]:
    return [(b.surface, b.canonical, b.level) for b in find_bodies(text, jurisdiction=jur, issuer=issuer)]


def test_jurisdiction_parse_and_guess() -> None:
    cixi = Jurisdiction.parse(CIXI_JUR)
    assert (cixi.province, cixi.city, cixi.county, cixi.full) == ("浙江省", "宁波市", "慈溪市", CIXI_JUR)
    zs = Jurisdiction.parse("浙江省舟山市")
    assert (zs.city, zs.county, zs.own) == ("舟山市", None, "舟山市")
    assert Jurisdiction.guess("宁波市奉化区司法局") == Jurisdiction.parse("浙江省宁波市奉化区")
    assert Jurisdiction.guess("慈溪市司法局") == cixi
    assert Jurisdiction.guess(None, "2024年度鄞州区法治政府建设工作报告") == Jurisdiction.parse(
        "浙江省宁波市鄞州区"
    )


def test_fold_keeps_length() -> None:
    s = "市司法局（市行政执法协调监督局）：ＡＢ１２㈠…"
    assert len(fold(s)) == len(s)
    assert fold("（）：，") == "():,"


@pytest.mark.parametrize(
    ("text", "jur", "expected"),
    [
        ("市司法局牵头", CIXI_JUR, ("市司法局", "慈溪市司法局", "county")),
        ("市司法局牵头", "浙江省舟山市", ("市司法局", "舟山市司法局", "municipal")),
        ("区司法局牵头", "浙江省宁波市奉化区", ("区司法局", "宁波市奉化区司法局", "county")),
        ("由市司法局牵头", "浙江省宁波市奉化区", ("市司法局", "宁波市司法局", "municipal")),
        ("经宁波市鄞州区人民政府同意", CIXI_JUR, ("宁波市鄞州区人民政府", "宁波市鄞州区人民政府", "county")),
        ("获省司法厅肯定", CIXI_JUR, ("省司法厅", "浙江省司法厅", "provincial")),
        ("被省政府办公厅录用", CIXI_JUR, ("省政府办公厅", "浙江省人民政府办公厅", "provincial")),
        ("获司法部肯定", CIXI_JUR, ("司法部", "司法部", "national")),
        ("指导区经信局完成", "浙江省宁波市奉化区", ("区经信局", "宁波市奉化区经信局", "county")),
        ("与市检察院协同", CIXI_JUR, ("市检察院", "慈溪市人民检察院", "county")),
        ("联合法院推进", CIXI_JUR, ("法院", "慈溪市人民法院", "county")),
        ("联合政法委推进", CIXI_JUR, ("政法委", "中共慈溪市委政法委员会", "county")),
        ("市委党校将法治教育纳入", CIXI_JUR, ("市委党校", "中共慈溪市委党校", "county")),
        ("省人大常委会批示", CIXI_JUR, ("省人大常委会", "浙江省人大常委会", "provincial")),
        (
            "中央依法治国办命名",
            "浙江省嘉兴市",
            ("中央依法治国办", "中央全面依法治国委员会办公室", "national"),
        ),
        (
            "宁波市委全面依法治市委员会",
            CIXI_JUR,
            ("宁波市委全面依法治市委员会", "中共宁波市委全面依法治市委员会", "municipal"),
        ),
    ],
)
def test_canonical_in_jurisdiction(text: str, jur: str, expected: tuple[str, str, str]) -> None:
    assert expected in _canon(text, jur)


def test_committee_office_parents() -> None:
    (office,) = find_bodies("落实市委全面依法治市委员会办公室职责", jurisdiction=CIXI_JUR)
    assert office.canonical == "中共慈溪市委全面依法治市委员会办公室"
    assert office.parent == "中共慈溪市委全面依法治市委员会"
    (short,) = find_bodies("组织召开市委依法治市办会议", jurisdiction=CIXI_JUR)
    assert short.canonical == office.canonical


def test_my_bureau_is_the_issuer() -> None:
    assert ("我局", ISSUER, "county") in _canon("现将我局2024年工作总结如下", CIXI_JUR, ISSUER)


@pytest.mark.parametrize(
    "text",
    [
        "奋力实现法治慈溪建设和全市司法行政工作稳中有进",
        "审核市本级行政规范性文件28件",
        "全面推动市镇村三级合法性审查全覆盖",
        "提升市民法治素养",
        "开展市管干部任前法律知识测试",
        "全市28个行政部门和17个镇(街道)完成",
        "市场监管领域执法",
        "出台《关于进一步规范市政府涉法事项行政合法性审查工作的通知》",
        "建成市小家电智能小镇合规指导中心(周巷)",
        "通过慈溪市政府信息公开平台发布信息",
        "共办理镇(街道)备案审查事项",
        "打造“法治乡村”升级版",
    ],
)
def test_no_false_positives(text: str) -> None:
    assert _canon(text, CIXI_JUR) == []


def test_big_picture_is_not_a_bureau() -> None:
    got = _canon("紧紧围绕区委区政府中心工作大局", "浙江省宁波市镇海区")
    assert [s for s, _, _ in got] == ["区委", "区政府"]


def test_townships_and_villages() -> None:
    got = _canon("全力指导龙山镇徐福村申报示范村。对桥头镇、观海卫镇开展督查", CIXI_JUR)
    assert ("龙山镇", "慈溪市龙山镇", "township") in got
    assert ("徐福村", "慈溪市龙山镇徐福村", "village") in got
    assert ("桥头镇", "慈溪市桥头镇", "township") in got
    assert ("观海卫镇", "慈溪市观海卫镇", "township") in got


def test_bundled_report_spans_and_exclusions() -> None:
    bodies = find_bodies(CIXI, jurisdiction=CIXI_JUR, issuer=ISSUER)
    for b in bodies:
        assert b.span.quote(CIXI) == b.surface
        assert CIXI.rfind("《", 0, b.span.start) <= CIXI.rfind("》", 0, b.span.start)  # not inside a title
    names = {b.canonical for b in bodies}
    assert {"慈溪市司法局", "中共慈溪市委", "慈溪市人民政府", "浙江省司法厅", "慈溪市财政局"} <= names
    assert "慈溪市" not in names


def _item(sentence: str) -> tuple[int, int]:
    i = CIXI.index(sentence)
    return CIXI.rfind("。", 0, i) + 1, CIXI.index("。", i) + 1


@pytest.mark.parametrize(
    ("sentence", "partners"),
    [
        ("联合政法委、法院、财政等6个部门出台", ["中共慈溪市委政法委员会", "慈溪市人民法院", "慈溪市财政局"]),
        ("联合法院、工商联推进", ["慈溪市人民法院", "慈溪市工商联"]),
        ("强化与市检察院", ["慈溪市人民检察院"]),
        ("在企业、行业协会、商会设立", []),
    ],
)
def test_lead_and_partners_in_report(sentence: str, partners: list[str]) -> None:
    bodies = find_bodies(CIXI, jurisdiction=CIXI_JUR, issuer=ISSUER)
    s, e = _item(sentence)
    lead, got = lead_and_partners(s, e, CIXI, bodies, ISSUER)
    assert lead == [ISSUER]
    assert got == partners


def test_lead_is_stated_subject() -> None:
    text = "提请市委、市政府出台《纲要》。市委政法委牵头召开会议,会同市公安局、市财政局开展检查。"
    bodies = find_bodies(text, jurisdiction="浙江省嘉兴市", issuer="嘉兴市司法局")
    lead, partners = lead_and_partners(0, len(text), text, bodies, "嘉兴市司法局")
    assert lead == ["中共嘉兴市委政法委员会"]
    assert partners == ["嘉兴市公安局", "嘉兴市财政局"]


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.txt")), ids=lambda p: p.name)
def test_every_report_runs(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    bodies = find_bodies(text)  # jurisdiction guessed from the text
    assert bodies, "every report names at least its own bureau or government"
    for b in bodies:
        assert b.span.quote(text) == b.surface
        assert b.level in {"national", "provincial", "municipal", "county", "township", "village", "other"}
