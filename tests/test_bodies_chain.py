"""Bodies read against the issuer's place chain, in reports from anywhere in China (written for these
tests in the genre): relative names at the right level, Party bodies, national organs, self-references,
and what is not a body."""

from __future__ import annotations

import pytest
from rolkg.graph.extract import bodies as bodies_module
from rolkg.graph.extract.bodies import find_bodies


def _found(text: str, jur: str, issuer: str | None = None) -> list[tuple[str, str, str]]:
    return [(b.surface, b.canonical, b.level) for b in find_bodies(text, jurisdiction=jur, issuer=issuer)]


# Each case: a text, the issuer's place, and every body (surface, canonical name, level) it must yield.
@pytest.mark.parametrize(
    ("text", "jur", "expected"),
    [
        # A street office in a Guangdong city: each level by name, not 中共市委.
        (
            "在省委、市委、区委的坚强领导下",
            "广东省广州市番禺区沙湾街道",
            [
                ("省委", "中共广东省委", "provincial"),
                ("市委", "中共广州市委", "municipal"),
                ("区委", "中共广州市番禺区委", "county"),
            ],
        ),
        # A Shanghai district: 市 is the municipality, a provincial-level unit.
        ("落实市委部署", "上海市浦东新区", [("市委", "中共上海市委", "provincial")]),
        # A post before a listed organ: 省委常委、政法委书记 is the province's 政法委.
        (
            "省委常委、政法委书记到我市调研",
            "山西省太原市",
            [("政法委", "中共山西省委政法委员会", "provincial")],
        ),
        (
            "接受市委第二巡察组巡察",
            "四川省绵阳市",
            [("市委第二巡察组", "中共绵阳市委第二巡察组", "municipal")],
        ),
        ("县委常委会专题研究", "四川省绵阳市三台县", [("县委常委会", "中共三台县委常委会", "county")]),
        (
            "镇党委书记履行第一责任人职责",
            "浙江省宁波市慈溪市龙山镇",
            [("镇党委", "中共慈溪市龙山镇委", "township")],
        ),
        (
            "街道党工委统筹推进",
            "北京市海淀区学院路街道",
            [("街道党工委", "中共北京市海淀区学院路街道工委", "township")],
        ),
        (
            "区全面依法治区工作领导小组召开会议",
            "陕西省西安市雁塔区",
            [("区全面依法治区工作领导小组", "西安市雁塔区全面依法治区工作领导小组", "county")],
        ),
        (
            "市委全面深化改革委员会办公室印发方案",
            "四川省成都市",
            [("市委全面深化改革委员会办公室", "中共成都市委全面深化改革委员会办公室", "municipal")],
        ),
        # National organs, with the short forms reports use.
        (
            "会同国家发展改革委、人社部印发通知",
            "全国",
            [
                ("国家发展改革委", "国家发展和改革委员会", "national"),
                ("人社部", "人力资源和社会保障部", "national"),
            ],
        ),
    ],
)
def test_relative_names_follow_the_chain(text: str, jur: str, expected: list[tuple[str, str, str]]) -> None:
    found = _found(text, jur)
    assert [e for e in expected if e not in found] == []


def test_party_groups_are_the_issuers() -> None:
    got = _found("部党组高度重视，部党组会议研究部署", "全国", "司法部")
    assert got == [("部党组", "司法部党组", "national"), ("部党组", "司法部党组", "national")]
    got = _found("局党委理论学习中心组专题学习", "湖南省长沙市", "长沙市司法局")
    assert got == [("局党委理论学习中心组", "长沙市司法局党委", "municipal")]


def test_self_references_and_the_township_name_are_the_issuer() -> None:
    issuer = "慈溪市龙山镇人民政府"
    got = _found(
        "今年我镇紧紧围绕中心工作，龙山镇全面推进依法行政，镇政府带头落实", "浙江省宁波市慈溪市龙山镇", issuer
    )
    assert got == [
        ("我镇", issuer, "township"),
        ("龙山镇", issuer, "township"),
        ("镇政府", issuer, "township"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "来源：某某县司法局\n",
        "信息来源:市司法局 浏览次数:",
        "财政部门和民政部门配合",  # departments in general, not the ministries
        "推进教育部署落实",
        "指导湖南县级政府开展工作",  # 南县 inside a longer word is not the county
    ],
)
def test_not_bodies(text: str) -> None:
    assert _found(text, "湖南省长沙市长沙县") == []


def test_one_fold_per_text() -> None:
    text = "县司法局会同县公安局开展检查。" * 200
    bodies_module._prepared.cache_clear()
    for i in range(0, len(text), 15):
        find_bodies(text, i, min(len(text), i + 15), jurisdiction="湖南省长沙市长沙县")
    info = bodies_module._prepared.cache_info()
    assert info.misses == 1 and info.hits >= 199
