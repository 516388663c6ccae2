"""Figures for the network pages: each route's first (cold) answer after the server starts, then the
median and p95 of repeated (warm) answers, as a Markdown table.

    python -m tests.bench.bench_pages --store /work/bench-data/store-1M [--repeat 10]
    /other/venv/bin/python -m tests.bench.bench_pages --store …   # another checkout's code, same store

The pages app runs in this process over the store opened read-only (a store another ``rolkg serve``
holds can still be read), through Starlette's test client: the figures are the app's own time, without
the HTTP server's (about a millisecond). The entity and lineage routes are asked for the body
leading the most measures (a hub: thousands of neighbours at 1M) and a measure that continues another.
Not part of the test suite: timings on a shared machine are figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HUB = """PREFIX rol: <https://w3id.org/rolkg/ontology#>
SELECT ?b (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m rol:leadBody ?b } GROUP BY ?b ORDER BY DESC(?n) ?b LIMIT 1"""
CONTINUES = """PREFIX rol: <https://w3id.org/rolkg/ontology#>
SELECT ?s WHERE { ?s rol:continues ?o } ORDER BY ?s LIMIT 1"""
DATA = "https://w3id.org/rolkg/id/"


def first_value(backend: object, query: str) -> str:
    rows = backend.select(query)  # type: ignore[attr-defined]
    return str(next(iter(rows[0].values()))) if rows else ""


def path_of(iri: str) -> str:
    return iri.removeprefix(DATA)


def timed(client: object, path: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    resp = client.get(path, headers={"Accept": "text/html"})  # type: ignore[attr-defined]
    return time.perf_counter() - t0, resp.status_code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, type=Path)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    from fastapi.testclient import TestClient
    from rolkg.graph.query import QueryLayer
    from rolkg.graph.store import EmbeddedStore
    from rolkg.viz.routes import create_viz_app
    from rolkg.viz.source import QUERY_DIR

    t0 = time.perf_counter()
    store = EmbeddedStore.read_only(args.store)
    client = TestClient(create_viz_app(QueryLayer(store, extra_dirs=[QUERY_DIR])))
    hub, measure = first_value(store, HUB), first_value(store, CONTINUES)
    opened = time.perf_counter() - t0
    routes = ["/viz/overview", "/viz/overview.json", f"/viz/entity/{path_of(hub)}"]
    routes += [f"/viz/entity/{path_of(measure)}", f"/viz/lineage/{path_of(measure)}"]
    print(f"store {args.store} (opened in {opened:.1f} s), {args.repeat} warm requests per route\n")
    print("| route | status | cold | median | p95 |")
    print("|---|---|---|---|---|")
    for route in routes:
        cold, status = timed(client, route)
        warm = [timed(client, route)[0] for _ in range(args.repeat)]
        p95 = statistics.quantiles(warm, n=20)[-1] if len(warm) > 1 else warm[0]
        print(
            f"| `{route}` | {status} | {cold * 1000:.0f} ms | {statistics.median(warm) * 1000:.0f} ms "
            f"| {p95 * 1000:.0f} ms |",
            flush=True,
        )
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
