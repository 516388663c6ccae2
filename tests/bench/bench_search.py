"""The search index at scale: its build time and size, and each search by index vs by the scan.

    python -m tests.bench.bench_search --store /work/bench-data/store-1M [--reps 3] [--no-scan]

Opens the store read-only in this process, builds the index once (time; its size by tracemalloc, the
peak while building and the process's RSS growth), then per query: the index's lookup (``find``), its
details query, and — unless ``--no-scan`` — the old scan ``read/search``, interleaved a-b-b-a, with a
check that both give the same rows (types compared as sets). Not part of the test suite: figures only.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from functools import partial
from pathlib import Path

from rdflib import Literal, URIRef
from rolkg.graph import search
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import EmbeddedStore, Row

# The bench route's query, a body name in every report, Latin words and a letter, a frequent pair, no match. A one-character
# query ("法") is timed by index only: the scan groups every matching resource before its LIMIT (>10 min).
QUERIES = ["复议", "司法局", "Bureau", "a", "调解", "没有这个zzz"]
INDEX_ONLY = ["法"]


def rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20


def ms(f) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = f()
    return (time.perf_counter() - started) * 1000, value


def by_index(layer: QueryLayer, index: search.TextIndex, q: str) -> tuple[float, float, list[Row]]:
    """(find ms, details ms, rows) of one search by the index."""
    find_ms, nodes = ms(partial(index.find, q))
    if not nodes:
        return find_ms, 0.0, []  # search.search asks the store nothing then
    iris = [URIRef(n) for n in nodes]  # type: ignore[attr-defined]
    details_ms, rows = ms(partial(layer.select, "read/search/details", nodes=iris, q=Literal(q)))
    return find_ms, details_ms, rows  # type: ignore[return-value]


def _norm(rows: list[Row]) -> list[dict[str, object]]:
    return [{**r, "types": set(str(r.get("types", "")).split())} for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-scan", action="store_true")
    args = parser.parse_args()
    layer = QueryLayer(EmbeddedStore(args.store, read_only=True))
    before = rss_mib()
    tracemalloc.start()
    took, index = ms(lambda: search.build(layer))
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert isinstance(index, search.TextIndex)
    print(
        f"index: {len(index):,} texts, {len(index.text):,} characters; built in {took / 1000:.2f} s; "
        f"kept {kept / 2**20:.1f} MiB (peak {peak / 2**20:.1f} MiB while building, "
        f"RSS +{rss_mib() - before:.0f} MiB)"
    )
    print("| q | found | find ms | details ms | scan ms | same |\n|---|---|---|---|---|---|")
    for q in QUERIES + INDEX_ONLY:
        scan = q in QUERIES and not args.no_scan
        finds, details, scans, same = [], [], [], True

        for n in range(args.reps):
            order = (True, False) if n % 2 == 0 else (False, True)  # a-b-b-a
            rows = old = None
            for indexed in order:
                if indexed:
                    find_ms, details_ms, rows = by_index(layer, index, q)
                    finds.append(find_ms)
                    details.append(details_ms)
                elif scan:
                    scan_ms, old = ms(partial(layer.select, "read/search", q=Literal(q)))
                    scans.append(scan_ms)
            if scan:
                same = same and _norm(rows) == _norm(old)  # type: ignore[arg-type]
        found = len(rows or [])
        med = lambda xs: f"{statistics.median(xs):.1f}" if xs else "—"  # noqa: E731
        verdict = ("yes" if same else "NO") if scan else "—"
        print(f"| {q} | {found} | {med(finds)} | {med(details)} | {med(scans)} | {verdict} |")


if __name__ == "__main__":
    main()
