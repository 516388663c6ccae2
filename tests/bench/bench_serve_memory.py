"""``rolkg serve``'s memory on a store: RSS and PSS of the web process and each of its workers (from
/proc) after start-up and after the benchmark's workload (run.py's SPARQL lookups, 8 concurrent clients,
REST routes and pages). Figures printed, never asserted.

    python -m tests.bench.bench_serve_memory --store bench-data/store-1M --port 8740

RSS counts the pages a forked worker shares with its parent once per process; PSS splits them, so the
PSS sum is what the server really holds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from tests.bench.run import (
    RUNAWAY_TIMEOUT,
    Server,
    concurrent,
    process_tree,
    rest_and_pages,
    samples,
    wait_until,
    workload,
)


def memory(pid: int) -> dict[str, tuple[float, float]]:
    """Per process of the tree: (RSS MB, PSS MB), keyed by pid and command line."""
    out: dict[str, tuple[float, float]] = {}
    for p in process_tree(pid):
        try:
            fields = dict(
                line.split(":", 1) for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()[1:]
            )
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        kb = {k: int(v.split()[0]) for k, v in fields.items() if v.strip().endswith("kB")}
        out[f"{p} {cmd[:60]}"] = (kb.get("Rss", 0) / 1024, kb.get("Pss", 0) / 1024)
    return out


def show(label: str, mem: dict[str, tuple[float, float]]) -> None:
    print(f"{label}:")
    for name, (rss, pss) in mem.items():
        print(f"  {name:70} RSS {rss:7.0f} MB  PSS {pss:7.0f} MB")
    print(
        f"  total: RSS {sum(r for r, _ in mem.values()):.0f} MB, PSS {sum(p for _, p in mem.values()):.0f} MB",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8740)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--query-timeout", type=float, default=RUNAWAY_TIMEOUT, help="serve's --query-timeout"
    )
    parser.add_argument("--rest-reps", type=int, default=5, help="timed requests per REST route and page")
    args = parser.parse_args(argv)
    proc = subprocess.Popen(
        [sys.executable, "-m", "rolkg", "--store", str(args.store), "serve", "--port", str(args.port),
         "--query-timeout", str(args.query_timeout)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "ROLKG_STORE": "", "ROLKG_ENDPOINT": ""},
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    server = Server("rolkg", proc, f"{base}/sparql", base)
    try:
        wait_until(
            f"{base}/healthz",
            proc,
            ready=lambda a: a.status_code == 200 and a.json().get("warm") is not False,
        )
        show("after start-up and the warm-up", memory(proc.pid))
        s = samples(server)
        workload(server, s, args.reps)
        show("after the SPARQL workload", memory(proc.pid))
        concurrent(server, s, 8, args.seconds)
        show("after 8 concurrent clients", memory(proc.pid))
        rest_and_pages(server, s, args.rest_reps)
        show("after the REST routes and pages", memory(proc.pid))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
