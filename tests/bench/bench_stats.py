"""``rolkg stats`` on existing stores (read-only): median wall and CPU seconds and peak RSS of N runs,
each store in turn (figures printed, never asserted).

    python -m tests.bench.bench_stats bench-data/store-1M bench-data/store-10M --repeat 3

``rolkg load`` against pyoxigraph's ``bulk_load`` of the same file is measured by run.py's ``prepare``.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from tests.bench.run import command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", type=Path, nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"load before: {os.getloadavg()}")
    for store in args.stores:
        rows = [command(["--store", str(store), "stats"]) for _ in range(args.repeat)]
        wall = statistics.median(r["seconds"] for r in rows)
        cpu = statistics.median(r["cpu_s"] for r in rows)
        peak = max(r["peak_mb"] for r in rows)
        print(f"{store}: stats median wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {peak} MB", flush=True)
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
