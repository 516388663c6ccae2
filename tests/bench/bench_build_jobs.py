"""``rolkg build --jobs 1`` vs ``--jobs 2`` on the bundled reports: wall and CPU seconds, medians of
interleaved runs (figures printed, never asserted; the machine is shared, so read the ratios).

    python -m tests.bench.bench_build_jobs --repeat 3 --jobs 1,2 [--before OTHER_VENV/bin/python]

``--before`` runs the same builds with another installation of rolkg (e.g. a venv holding an earlier
commit), interleaved with this one's, so a change is measured against the same load.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(python: str, store: Path, jobs: int, reports: Path | None) -> tuple[float, float]:
    """One ``rolkg build`` into a fresh store: (wall s, CPU s of it and its workers)."""
    shutil.rmtree(store, ignore_errors=True)
    extra = ["--reports", str(reports)] if reports else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [python, "-m", "rolkg", "--store", str(store), "build", "--jobs", str(jobs), *extra],
        check=True, capture_output=True, env={**os.environ, "ROLKG_STORE": "", "ROLKG_ENDPOINT": ""},
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--reports", type=Path, default=None, help="folder of reports (default: bundled)")
    parser.add_argument("--before", default=None, help="the python of another rolkg installation")
    args = parser.parse_args(argv)
    pythons = {"this": sys.executable, **({"before": args.before} if args.before else {})}
    variants = [(name, int(j)) for j in args.jobs.split(",") for name in pythons]
    runs: dict[tuple[str, int], list[tuple[float, float]]] = {v: [] for v in variants}
    print(f"load before: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="rolkg-bench-build-") as tmp:
        for i in range(args.repeat):
            for name, jobs in variants:  # interleaved, so a change in the machine's load hits all alike
                wall, cpu = build(pythons[name], Path(tmp) / "store", jobs, args.reports)
                runs[name, jobs].append((wall, cpu))
                print(f"run {i + 1} {name} --jobs {jobs}: wall {wall:.2f} s, CPU {cpu:.2f} s", flush=True)
    for name in pythons:
        base = statistics.median(w for w, _ in runs[name, variants[0][1]])
        for _, jobs in (v for v in variants if v[0] == name):
            wall = statistics.median(w for w, _ in runs[name, jobs])
            cpu = statistics.median(c for _, c in runs[name, jobs])
            print(
                f"{name} --jobs {jobs}: median wall {wall:.2f} s, CPU {cpu:.2f} s, "
                f"speed-up vs its --jobs {variants[0][1]}: {base / wall:.2f}x"
            )
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
