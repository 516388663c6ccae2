"""Synthetic datasets shaped like rolkg's own graphs, at any size (100k, 1M, 10M quads).

The template is rolkg's real extraction of the bundled complete report (``cixi-sfj-2024``): one named
graph per report with its sections, initiatives, bodies, documents, figures, evidence nodes and reified
lineage links (within the report and to the previous year's report). Each synthetic report is that graph
with the place, prefecture, province and years replaced, in IRIs and text alike, by same-length names —
so every evidence offset still holds (``text[start:end] == exact``) — for many places in twenty provinces
over six years. Bodies of the same place recur across its years, national documents across all reports,
and each report's "continues" link points at the same place's previous-year report, as in real stores.

    python -m tests.bench.synth --quads 1000000 -o bench-data/synth-1M.nq
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from pypinyin import lazy_pinyin

TEMPLATE_REPORT = "cixi-sfj-2024.txt"
TEMPLATE_YEAR = 2024
YEARS = tuple(range(2019, 2025))
PROVINCES = {
    "江苏省": "32",
    "安徽省": "34",
    "福建省": "35",
    "江西省": "36",
    "山东省": "37",
    "河南省": "41",
    "湖北省": "42",
    "湖南省": "43",
    "广东省": "44",
    "四川省": "51",
    "贵州省": "52",
    "云南省": "53",
    "陕西省": "61",
    "甘肃省": "62",
    "河北省": "13",
    "山西省": "14",
    "浙江省": "33",
    "海南省": "46",
    "辽宁省": "21",
    "吉林省": "22",
}  # the provinces' own division codes; fmt: skip
_NAME_CHARS = "安平阳东西南北新永宁长定宜丰兴昌华清泰和嘉通德武文康乐广庆元合盛义远明山江河石桃"
_LEVELS = "市县区"


@dataclass(frozen=True)
class Place:
    """A synthetic county-level place: its name (3 characters, like 慈溪市), prefecture and province, and
    its six-digit division code (province's own code, prefecture 51–53, county 01–99, like 330282)."""

    name: str
    prefecture: str
    province: str
    code: str = "330282"

    @property
    def prefecture_code(self) -> str:
        return self.code[:4] + "00"

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


def slug(name: str) -> str:
    """The pinyin slug rolkg's IRIs use for a Chinese name."""
    return "".join(lazy_pinyin(name))


def places(count: int, seed: int = 11) -> list[Place]:
    """``count`` distinct places spread over the provinces, each with a prefecture of its province."""
    rng = random.Random(seed)
    made: list[Place] = []
    seen: set[str] = set()
    prefectures: dict[str, list[str]] = {}
    counties: dict[str, int] = {}  # prefecture code → counties numbered so far
    names = list(PROVINCES)
    while len(made) < count:
        name = rng.choice(_NAME_CHARS) + rng.choice(_NAME_CHARS) + rng.choice(_LEVELS)
        if name[0] == name[1] or slug(name) in seen:
            continue
        seen.add(slug(name))
        province = names[len(made) % len(names)]
        options = prefectures.setdefault(
            province, [rng.choice(_NAME_CHARS) + rng.choice(_NAME_CHARS) + "市" for _ in range(3)]
        )
        which = rng.randrange(len(options))
        prefecture_code = f"{PROVINCES[province]}{51 + which}"
        counties[prefecture_code] = counties.get(prefecture_code, 0) + 1
        if counties[prefecture_code] > 99:
            raise ValueError(f"more than 99 counties in prefecture {prefecture_code}: ask for fewer quads")
        code = f"{prefecture_code}{counties[prefecture_code]:02d}"
        made.append(Place(name, options[which], province, code))
    return made


@cache
def template() -> tuple[str, str]:
    """The template report graph and the shared graphs (ontology, curation), as N-Quads text."""
    from rolkg.data import REPORTS_DIR
    from rolkg.graph.ingest import resolve_meta
    from rolkg.graph.pipeline import extract_report
    from rolkg.graph.store import EmbeddedStore, load_ontology
    from rolkg.graph.terms import to_oxigraph

    path = REPORTS_DIR / TEMPLATE_REPORT
    extracted = extract_report(path.read_text(encoding="utf-8"), resolve_meta(path))
    name = ox.NamedNode(str(extracted.graph_name))
    report = ox.Store()
    report.extend(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name)  # type: ignore[arg-type]
        for s, p, o in extracted.graph
    )
    shared = EmbeddedStore.in_memory()
    load_ontology(shared)
    shared_text = shared._store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")  # type: ignore[union-attr]
    return report.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), shared_text  # type: ignore[union-attr]


_TEMPLATE_PLACE = Place("慈溪市", "宁波市", "浙江省")


def _replacements(place: Place) -> dict[str, str]:
    """Template names → this report's, longest first; names keep their length (offsets hold)."""
    t = _TEMPLATE_PLACE
    pairs = {
        t.name: place.name,
        t.name[:2]: place.name[:2],
        t.prefecture: place.prefecture,
        t.prefecture[:2]: place.prefecture[:2],
        t.province: place.province,
        t.province[:2]: place.province[:2],
        slug(t.name): slug(place.name),
        slug(t.prefecture): slug(place.prefecture),
        slug(t.province): slug(place.province),
        # division codes, only in place IRIs (a township's is its county's and three digits)
        f"place/{t.code}": f"place/{place.code}",
        f"place/{t.prefecture_code}": f"place/{place.prefecture_code}",
        f"place/{t.province_code}": f"place/{place.province_code}",
    }
    return dict(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


# Years only where they are years: after a slug in an IRI (``…sifaju-2024-…``; an evidence IRI's offsets
# follow a digit), before 年 in text, and as rol:year's value. Offsets and figures are left alone.
_YEARS = r"(?<=[a-z]-)(20\d\d)(?=[-/>#])|(20\d\d)(?=年)|(?<=#year> \")(20\d\d)(?=\")"


def report_quads(place: Place, year: int) -> str:
    """The N-Quads of one synthetic report of ``place`` for ``year``."""
    text, _ = template()
    table = _replacements(place)
    shift = year - TEMPLATE_YEAR
    pattern = re.compile("|".join(re.escape(k) for k in table) + "|" + _YEARS)

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        return table[found] if found in table else str(int(found) + shift)

    return pattern.sub(replace, text)


def per_report() -> int:
    """Quads in one synthetic report graph."""
    text, _ = template()
    return text.count("\n")


def reports_for(quads: int) -> list[tuple[Place, int]]:
    """(place, year) of every report needed for about ``quads`` quads: six years per place."""
    _, shared = template()
    needed = max(1, math.ceil((quads - shared.count("\n")) / per_report()))
    chosen = places(math.ceil(needed / len(YEARS)))
    return [(p, y) for p in chosen for y in YEARS][:needed]


def generate(quads: int) -> Iterator[str]:
    """N-Quads text chunks: the shared graphs, then one chunk per synthetic report."""
    _, shared = template()
    yield shared
    for place, year in reports_for(quads):
        yield report_quads(place, year)


def write(quads: int, output: Path) -> int:
    """Write a dataset of about ``quads`` quads to ``output`` (N-Quads); returns the quads written."""
    output.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    tmp = output.with_suffix(output.suffix + ".part")
    with tmp.open("w", encoding="utf-8") as out:
        for chunk in generate(quads):
            out.write(chunk)
            written += chunk.count("\n")
    tmp.replace(output)
    return written


def dataset(quads: int, folder: Path) -> Path:
    """The cached dataset file of about ``quads`` quads in ``folder``, generated when missing."""
    path = folder / f"synth-{quads}.nq"
    if not path.exists():
        write(quads, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quads", type=int, default=100_000)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    n = write(args.quads, args.output)
    print(f"wrote {n} quads ({len(reports_for(args.quads))} reports) to {args.output} "
          f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
