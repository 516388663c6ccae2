"""Chinese and mixed numerals → :class:`~decimal.Decimal`.

Handles 零〇一二两三四五六七八九十百千万亿 (三千五百, 二十, 十五, 一百零五, 两万三千), Arabic numbers with a
Chinese multiplier (1.2万, 738.18万, 1.62亿) and full-width digits.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
#: A run of Chinese numeral characters (greedy; callers decide whether it is a figure).
CHINESE_NUMERAL_RE = re.compile(f"[{CHINESE_NUMERAL_CHARS}]+")
_ARABIC_RE = re.compile(r"(\d+(?:\.\d+)?)([百千万亿]*)")
_MULTIPLIERS: dict[str, int] = {**SMALL_UNITS, **BIG_UNITS}


def tidy(value: Decimal) -> Decimal:
    """Drop a trailing ``.0``/exponent so equal values print alike (162000000, not 1.62E+8)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _parse_section(s: str) -> int:
    """Parse a run below 万 (e.g. 三千五百, 十五, 一百零五); raises ValueError if malformed."""
    total = 0
    digit: int | None = None
    for ch in s:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0:
                # 二三 is not a numeral (but 〇/零 may repeat as place holders)
                raise ValueError(f"adjacent digits in {s!r}")
            digit = DIGITS[ch] if DIGITS[ch] != 0 else None
        elif ch in SMALL_UNITS:
            # a bare 十 means 一十 (十五 = 15); 百/千 alone likewise
            total += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        else:
            raise ValueError(f"not a numeral character: {ch!r}")
    if digit is not None:
        total += digit
    return total


def _parse_chinese(s: str) -> int:
    """Parse a pure Chinese numeral, including 万 and 亿 groups."""
    if not s:
        raise ValueError("empty numeral")
    # Positional form (二〇二四) needs a 〇 to tell it from ranges such as 二三 ("two or three").
    if len(s) > 1 and "〇" in s and all(ch in DIGITS for ch in s):
        return int("".join(str(DIGITS[ch]) for ch in s))
    total = 0
    rest = s
    for big, factor in sorted(BIG_UNITS.items(), key=lambda kv: -kv[1]):
        if big in rest:
            head, _, rest = rest.partition(big)
            total += (_parse_section(head) if head else 1) * factor
    if rest:
        total += _parse_section(rest)
    return total


def parse_numeral(text: str) -> Decimal:
    """Parse ``text`` (Arabic, Chinese or mixed such as ``1.2万``) to a Decimal.

    >>> parse_numeral("三千五百")
    Decimal('3500')
    >>> parse_numeral("1.62亿")
    Decimal('162000000')
    """
    s = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if not s:
        raise ValueError("empty numeral")
    m = _ARABIC_RE.fullmatch(s)
    if m:
        try:
            value = Decimal(m.group(1))
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid forms
            raise ValueError(text) from exc
        for ch in m.group(2):
            value *= _MULTIPLIERS[ch]
        return tidy(value)
    if all(ch in CHINESE_NUMERAL_CHARS for ch in s):
        return Decimal(_parse_chinese(s))
    raise ValueError(f"not a numeral: {text!r}")


def is_chinese_numeral(text: str) -> bool:
    """True if ``text`` parses as a Chinese numeral."""
    if not text or not all(ch in CHINESE_NUMERAL_CHARS for ch in text):
        return False
    try:
        _parse_chinese(text)
    except ValueError:
        return False
    return True
