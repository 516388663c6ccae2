"""Tests for Chinese / mixed numeral parsing."""

from decimal import Decimal

import pytest
from rolkg.graph.numerals import is_chinese_numeral, parse_numeral


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十五", 25),
        ("一百零五", 105),
        ("三千五百", 3500),
        ("三千零五十", 3050),
        ("两万三千", 23000),
        ("十万", 100000),
        ("三十五万六千", 356000),
        ("一亿二千万", 120000000),
        ("〇", 0),
        ("零", 0),
        ("二〇二四", 2024),
        ("587", 587),
        ("１２３", 123),
        ("104.5", Decimal("104.5")),
        ("1.2万", 12000),
        ("738.18万", 7381800),
        ("1.62亿", 162000000),
        ("万", 10000),
        ("5千", 5000),
        ("1.2千万", 12000000),
    ],
)
def test_parse_numeral(text: str, expected: int | Decimal) -> None:
    assert parse_numeral(text) == Decimal(expected)


def test_values_are_tidy() -> None:
    # 1.62亿 must not print as 1.62E+8 or 162000000.00 (it ends up in an xsd:decimal literal)
    assert str(parse_numeral("1.62亿")) == "162000000"
    assert str(parse_numeral("26.0")) == "26"
    assert str(parse_numeral("4.76")) == "4.76"


@pytest.mark.parametrize("text", ["", "二三", "abc", "十五届", "1.2.3"])
def test_rejects_non_numerals(text: str) -> None:
    with pytest.raises(ValueError):
        parse_numeral(text)


@pytest.mark.parametrize(("text", "ok"), [("三千五百", True), ("两", True), ("二三", False), ("五步", False)])
def test_is_chinese_numeral(text: str, ok: bool) -> None:
    assert is_chinese_numeral(text) is ok
