"""Timings of rolkg's REST list/detail/lineage routes, home, the overview, a hub's page and the list pages,
as a Markdown table.

    python -m tests.bench.bench_routes --store /work/bench-data/store-1M [--reps 7] [--port 8710]
    python -m tests.bench.bench_routes --base http://127.0.0.1:8000      # a server already running

Starts ``rolkg --store STORE serve`` (read-only, so a shared store is safe), asks each route once
("cold": the first request after start) and then ``--reps`` times (median, p95). The sample ids default to
resources of the synthetic data (``tests/bench/synth.py``); when one is missing the route answers 404 and
the table says so. Not part of the test suite: timings on a shared machine are not pass/fail.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Samples:
    """Ids of existing resources to ask the detail routes about."""

    initiative: str = "taodingshisifaju-2019-1-5-1"
    body: str = "taodingshisifaju"
    report: str = "taodingshisifaju-2019"
    document: str = "qingshanxianfazhishenchayuanrenmingguanlibanfa"
    facility: str = "jiangsushengheyishiqingshanxian-lvxieshangdiaozhongxinshanghuilianluodian"
    kind: str = "business-legal-service-zone"  # 76 things at 1M (dispute-resolution-centre has none)
    theme: str = "business-environment-and-compliance"


ID = "https://w3id.org/rolkg/id/"


def routes(s: Samples) -> dict[str, str]:
    """Route name → path: every REST list, detail and lineage route, the search page, home, the overview,
    a hub body's page, the connect view and the list pages (names not starting "/api" are pages, asked for as HTML)."""
    i = s.initiative
    return {
        "/api/stats": "/api/stats",
        "/api/reports": "/api/reports",
        "/api/reports/{id}": f"/api/reports/{s.report}",
        "/api/initiatives?limit=50": "/api/initiatives?limit=50",
        "/api/initiatives?year&limit=20": "/api/initiatives?year=2022&limit=20",
        "/api/initiatives?theme": f"/api/initiatives?theme={s.theme}&limit=20",
        "/api/initiatives?body": f"/api/initiatives?body={s.body}&limit=20",
        "/api/initiatives?offset=1000": "/api/initiatives?limit=20&offset=1000",
        "/api/initiatives/{id}": f"/api/initiatives/{i}",
        "/api/initiatives/{id}/lineage": f"/api/initiatives/{i}/lineage?direction=both&depth=2",
        "/api/lineage/body/{id}": f"/api/lineage/body/{s.body}?direction=down&depth=1",
        "/api/bodies?limit=50": "/api/bodies?limit=50",
        "/api/bodies?q": "/api/bodies?q=司法&limit=20",
        "/api/bodies/{id}": f"/api/bodies/{s.body}",
        "/api/documents?limit=50": "/api/documents?limit=50",
        "/api/documents/{id}": f"/api/documents/{s.document}",
        "/api/documents/{id}/lineage": f"/api/documents/{s.document}/lineage",
        "/api/facilities?limit=50": "/api/facilities?limit=50",
        "/api/facilities/{id}": f"/api/facilities/{s.facility}",
        "/api/facilities/{id}/lineage": f"/api/facilities/{s.facility}/lineage",
        "/api/metrics?limit=1": "/api/metrics?limit=1",
        "/api/metrics?unit&year": "/api/metrics?unit=件&year=2022&limit=20",
        "/api/themes": "/api/themes",
        "/api/search?q=复议": "/api/search?q=复议",
        "/ viz/search?q=复议 (page)": "/viz/search?q=复议",
        "/api/kinds": "/api/kinds",
        "/api/kinds/{id}/adoption": f"/api/kinds/{s.kind}/adoption",
        "/api/plans": "/api/plans?limit=20",
        "/ (home)": "/",
        "/viz/overview": "/viz/overview",
        "/viz/entity/body/{id}": f"/viz/entity/body/{s.body}",
        # the connect view: its default (warmed up) and two pairs of patterns no one asked before
        "/viz/connect": "/viz/connect",
        "/viz/connect?from=Initiative:…&to=Document:": "/viz/connect?from=Initiative:审查&to=Document:",
        "/viz/connect?from=Body:&to=Facility:": "/viz/connect?from=Body:&to=Facility:",
        # the list pages (viz/lists.py: read/list-reports, read/list, read/list-facets)
        "/list/Body": "/list/Body",
        "/list/Body?q": "/list/Body?q=司法",
        "/list/Document?report": f"/list/Document?report={ID}report/{s.report}",
        "/list/Facility?year": "/list/Facility?year=2022",
        "/list/Initiative?theme": f"/list/Initiative?theme={ID}theme/{s.theme}",
        "/list/Initiative?kind&offset": "/list/Initiative?kind=https://w3id.org/rolkg/ontology%23Pilot&offset=50",
    }


def time_routes(base: str, paths: dict[str, str], reps: int) -> list[dict[str, object]]:
    """One cold request, then ``reps`` timed ones, per route."""
    rows: list[dict[str, object]] = []
    with httpx.Client(base_url=base, timeout=900, headers={"Accept": "application/json"}) as client:
        for name, path in paths.items():
            headers = {} if name.startswith("/api") else {"Accept": "text/html"}
            samples: list[float] = []
            status: object = None
            cold = 0.0
            for n in range(reps + 1):
                started = time.perf_counter()
                try:
                    status = client.get(path, headers=headers).status_code
                except httpx.HTTPError as err:
                    status = type(err).__name__
                elapsed = (time.perf_counter() - started) * 1000
                if n == 0:
                    cold = elapsed
                else:
                    samples.append(elapsed)
            ordered = sorted(samples)
            p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else None
            row = {
                "route": name,
                "status": status,
                "cold": cold,
                "median": statistics.median(ordered) if ordered else None,
                "p95": p95,
            }
            print(f"  {row}", file=sys.stderr, flush=True)
            rows.append(row)
    return rows


def markdown(rows: list[dict[str, object]]) -> str:
    """The rows as a Markdown table (ms)."""

    def ms(value: object) -> str:
        return "—" if value is None else f"{value:.1f}"  # type: ignore[str-format]

    lines = ["| route | status | cold ms | median ms | p95 ms |", "|---|---|---|---|---|"]
    lines += [
        f"| `{r['route']}` | {r['status']} | {ms(r['cold'])} | {ms(r['median'])} | {ms(r['p95'])} |"
        for r in rows
    ]
    return "\n".join(lines)


def serve(store: str, port: int, warm: bool = False) -> subprocess.Popen[bytes]:
    """``rolkg --store STORE serve`` on ``port``, once /healthz answers (with ``warm``: once it says the
    warm-up has ended)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "rolkg", "--store", store, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ROLKG_STORE": ""},
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"rolkg serve exited with {proc.returncode}")
        try:
            health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            if health.status_code < 500 and not (warm and health.json().get("warm") is False):
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("rolkg serve did not come up in 600 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", help="embedded store to serve (opened read-only)")
    where.add_argument("--base", help="base URL of a running rolkg server")
    parser.add_argument("--port", type=int, default=8710)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--only", default="", help="comma-separated route names to run (default: all)")
    parser.add_argument(
        "--settle",
        type=float,
        default=0.0,
        help="seconds to wait after /healthz first answers (serve's warm-up runs meanwhile; 0: ask at once)",
    )
    parser.add_argument("--warm", action="store_true", help="start timing once serve's warm-up has ended")
    args = parser.parse_args()
    paths = routes(Samples())
    if args.only:
        wanted = set(args.only.split(","))
        paths = {k: v for k, v in paths.items() if k in wanted}
    proc = serve(args.store, args.port, args.warm) if args.store else None
    time.sleep(args.settle)
    try:
        rows = time_routes(args.base or f"http://127.0.0.1:{args.port}", paths, args.reps)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    print(markdown(rows))


if __name__ == "__main__":
    main()
