"""The national gazetteer: codes, chains, short names, ambiguity, linear scanning."""

from __future__ import annotations

import pytest
from rolkg.graph.extract.places import Jurisdiction, canonical_name, locate
from rolkg.graph.gazetteer import gazetteer, short_name


def test_every_level_is_there_with_codes_and_parents() -> None:
    g = gazetteer()
    levels = [p.level for p in g.by_code.values()]
    assert levels.count("provincial") >= 31
    assert levels.count("municipal") >= 300
    assert levels.count("county") >= 2800
    assert levels.count("township") >= 38000
    for p in g.by_code.values():
        if p.level != "national":
            assert g.get(p.parent or "") is not None, p  # every parent exists
            assert len(p.code) == (9 if p.level == "township" else 6)


def test_chain_and_path() -> None:
    g = gazetteer()
    cixi = g.get("330282")
    assert cixi is not None and cixi.name == "慈溪市" and cixi.pinyin == "Cixi Shi"
    assert [p.code for p in g.chain(cixi)] == ["330000", "330200", "330282"]
    assert g.path(cixi) == "浙江省宁波市慈溪市"
    assert g.path(g.country) == "全国"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("宁波市", "宁波"),
        ("景宁畲族自治县", "景宁"),
        ("广西壮族自治区", "广西"),
        ("恩施土家族苗族自治州", "恩施"),
        ("盂县", "盂县"),
    ],
)
def test_short_names(name: str, short: str) -> None:
    assert short_name(name) == short


def test_short_name_lookup() -> None:
    g = gazetteer()
    assert [g.path(p) for p in g.named("慈溪", short=True)] == ["浙江省宁波市慈溪市"]
    assert g.named("慈溪") == []  # short forms only when asked


def test_shared_names_are_narrowed_by_the_chain() -> None:
    g = gazetteer()
    assert len(g.named("朝阳区")) == 2
    assert locate("朝阳区司法局") is None  # ambiguous alone
    assert g.path(locate("北京市朝阳区司法局")) == "北京市朝阳区"  # type: ignore[arg-type]
    assert g.path(locate("朝阳区司法局", context="长春市委")) == "吉林省长春市朝阳区"  # type: ignore[arg-type]


def test_townships_only_inside_their_county() -> None:
    g = gazetteer()
    street = locate("广东省深圳市南山区粤海街道办事处")
    assert (
        street is not None and street.level == "township" and g.path(street) == "广东省深圳市南山区粤海街道"
    )
    assert locate("粤海街道办事处") is None  # no county named, no anchor
    yinzhou = Jurisdiction.parse("浙江省宁波市鄞州区").unit
    town = locate("姜山镇人民政府", anchor=yinzhou)
    assert town is not None and canonical_name(town) == "宁波市鄞州区姜山镇"


def test_two_character_names_inside_words_are_not_places() -> None:
    g = gazetteer()
    assert [c[0].name for _, _, c in g.scan("推进湖南县级法治建设")] == []
    assert [c[0].name for _, _, c in g.scan("湖南省南县司法局")] == ["湖南省", "南县"]


def test_relative_prefixes_follow_the_chain() -> None:
    street = Jurisdiction.parse("广东省深圳市南山区粤海街道")
    assert (street.place("省"), street.place("市"), street.place("区"), street.own) == (
        "广东省",
        "深圳市",
        "深圳市南山区",
        "深圳市南山区粤海街道",
    )
    shanghai = Jurisdiction.parse("上海市徐汇区")
    assert shanghai.unit_for("市").level == "provincial"  # type: ignore[union-attr]
    assert (
        Jurisdiction.parse("浙江省宁波市慈溪市").place("市") == "慈溪市"
    )  # a county-level city is 市 itself
    assert Jurisdiction.parse("330282") == Jurisdiction.parse("慈溪")


def test_parse_refuses_unknown_and_shared_names() -> None:
    for bad in ("火星省", "朝阳区"):
        with pytest.raises(ValueError):
            Jurisdiction.parse(bad)
