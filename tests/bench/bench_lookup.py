"""`/sparql` point lookups and 8-client throughput: rolkg and an Oxigraph server on the same store, interleaved.

    python -m tests.bench.bench_lookup --store bench-data/store-1M --rounds 600

Both servers open the same store files read-only. Each round sends one lookup to each server back to back,
the order alternating, so a change in the machine's load hits both alike; then each server gets
``--clients`` threads of lookups for ``--seconds``, in turn, twice (a-b-b-a). Prints medians, p95 and the
ratios. Figures only, never asserted (not part of the test suite).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import httpx

from tests.bench.run import Server, concurrent, cycle, query, samples, sparql_get, start_oxigraph, start_rolkg


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.2f} ({p95:.2f})"


def interleaved(servers: list[Server], iris: list[str], rounds: int) -> dict[str, list[float]]:
    """Per server, the latency (ms) of one lookup per round, the servers asked back to back."""
    out: dict[str, list[float]] = {s.name: [] for s in servers}
    pick = cycle(iris)
    clients = {s.name: httpx.Client() for s in servers}
    try:
        for i in range(rounds + 20):
            text = query("lookup", iri=f"<{next(pick)}>")
            order = servers if i % 2 == 0 else servers[::-1]
            for server in order:
                started = time.perf_counter()
                sparql_get(clients[server.name], server.sparql, text).raise_for_status()
                if i >= 20:  # the first rounds warm both servers' caches and connections
                    out[server.name].append((time.perf_counter() - started) * 1000)
    finally:
        for client in clients.values():
            client.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a store `rolkg load` filled")
    parser.add_argument("--rounds", type=int, default=600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--remote", action="store_true", help="also rolkg serving that Oxigraph server")
    args = parser.parse_args(argv)
    rolkg = start_rolkg(args.store)
    oxigraph = start_oxigraph(args.store)
    servers = [rolkg, oxigraph]
    try:
        if args.remote:
            servers.append(start_rolkg(args.store, endpoint=oxigraph.sparql, name="rolkg-remote"))
        s = samples(oxigraph)
        lat = interleaved(servers, s.initiatives, args.rounds)
        thr: dict[str, list[float]] = {server.name: [] for server in servers}
        for server in (*servers, *servers[::-1]):
            thr[server.name].append(concurrent(server, s, args.clients, args.seconds)["throughput"])
    finally:
        for server in servers:
            server.stop()
    r, o = statistics.median(lat["rolkg"]), statistics.median(lat["oxigraph"])
    tr, to = statistics.mean(thr["rolkg"]), statistics.mean(thr["oxigraph"])
    print(
        f"| store | lookup rolkg, ms median (p95) | lookup Oxigraph | ratio | {args.clients} clients rolkg/s "
        "| Oxigraph/s | ratio |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {args.store.name} | {_ms(lat['rolkg'])} | {_ms(lat['oxigraph'])} | {r / o:.2f}× | {tr:.1f} | "
        f"{to:.1f} | {tr / to:.2f}× |"
    )
    if args.remote:
        rr, trr = statistics.median(lat["rolkg-remote"]), statistics.mean(thr["rolkg-remote"])
        print(
            f"| {args.store.name}, rolkg → Oxigraph server | {_ms(lat['rolkg-remote'])} | "
            f"{_ms(lat['oxigraph'])} | {rr / o:.2f}× | {trr:.1f} | {to:.1f} | {trr / to:.2f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
