"""Admission control under load (a benchmark, not a test: the default run does not collect it).

    python -m tests.bench.bench_admission [--slow 50] [--workers 2]

Starts ``rolkg serve`` on the extracted bundled report in a fresh store on a loopback port, measures the
idle median of ``/healthz``, a REST point lookup and a SPARQL point lookup, then fires ``--slow`` slow
queries at once (each would run to the query timeout) and measures the same three while they run; then
stops the server while slow queries are still running and times the shutdown. Prints each figure and
its ratio to idle against the targets of issue 9: /healthz within 2x idle, a point lookup within 3x idle,
shutdown within 2 s. SPARQL lookups share the worker pool with the slow queries: the figure shows whether
they wait behind them (503 Retry-After answers are counted, not timed).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LOOKUP = (
    "ASK { <https://w3id.org/rolkg/id/initiative/cixishisifaju-2024-1-2-3> "
    "a <https://w3id.org/rolkg/ontology#Initiative> }"
)
REST = "/api/initiatives/cixishisifaju-2024-1-2-3"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _median_ms(client: httpx.Client, n: int, request: tuple[str, dict[str, str] | None]) -> tuple[float, int]:
    path, params = request
    times, refused = [], 0
    for _ in range(n):
        started = time.perf_counter()
        answer = client.get(path, params=params)
        times.append(time.perf_counter() - started)
        refused += answer.status_code == 503
    return statistics.median(times) * 1000, refused


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slow", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=20.0, help="the server's query timeout (s)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rolkg-bench-admission-"))
    store = folder / "store"
    report = Path(__file__).resolve().parents[2] / "data" / "reports" / "cixi-sfj-2024.txt"
    rolkg = [sys.executable, "-m", "rolkg", "--store", str(store)]
    subprocess.run([*rolkg, "ingest", str(report)], check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [*rolkg, "serve", "--port", str(port), "--query-timeout", str(args.timeout)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    probes = {
        "/healthz": ("/healthz", None),
        "REST lookup": (REST, None),
        "SPARQL lookup": ("/sparql", {"query": LOOKUP}),
    }
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            for probe in probes.values():
                _median_ms(client, 5, probe)  # warm up
            idle = {name: _median_ms(client, 30, probe)[0] for name, probe in probes.items()}

            statuses: list[int] = []

            def slow() -> None:
                with httpx.Client(base_url=base, timeout=args.timeout + 30) as other:
                    statuses.append(other.post("/sparql", data={"query": SLOW}).status_code)

            threads = [threading.Thread(target=slow, daemon=True) for _ in range(args.slow)]
            for thread in threads:
                thread.start()
            time.sleep(1.0)
            busy = {name: _median_ms(client, 30, probe) for name, probe in probes.items()}
            still_running = sum(t.is_alive() for t in threads)
        started = time.perf_counter()
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
        shutdown = time.perf_counter() - started
    finally:
        if server.poll() is None:
            os.kill(server.pid, signal.SIGKILL)
    print(f"{args.slow} slow queries; {still_running} still open when the probes ended")
    print(f"slow query answers so far: {sorted(set(statuses))} ({len(statuses)} answered)")
    print("| probe | idle median | during slow queries | ratio | target | 503s |")
    print("|---|---|---|---|---|---|")
    for name in probes:
        ms, refused = busy[name]
        target = "2x" if name == "/healthz" else "3x"
        print(
            f"| {name} | {idle[name]:.2f} ms | {ms:.2f} ms | {ms / idle[name]:.2f} | {target} | {refused} |"
        )
    print(f"shutdown with slow queries running: {shutdown:.2f} s (target 2 s)")


if __name__ == "__main__":
    main()
