"""The benchmark: the same synthetic data and the same workload over HTTP against rolkg, an Oxigraph server
and rdflib-endpoint (and rolkg serving a remote Oxigraph server), plus rolkg's REST routes, pages and
commands. Prints medians, p95 and ratios side by side as Markdown; writes the figures as JSON.

    python -m tests.bench.run --quads 100000            # all systems
    python -m tests.bench.run --quads 1000000 --systems rolkg,oxigraph,rolkg-remote

Not part of the test suite (timings on shared machines are not pass/fail). Needs `pip install -e '.[bench]'`
and the `oxigraph` command on PATH. Data is generated once per size into bench-data/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.bench import bench_routes, synth

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
QUERIES = HERE / "queries"
RUNAWAY_TIMEOUT = 10  # seconds every system may spend on one query (rdflib-endpoint cannot stop one)
JSON = {"Accept": "application/sparql-results+json"}
SYSTEMS = ("rolkg", "oxigraph", "rdflib-endpoint", "rolkg-remote")


def query(name: str, **params: str) -> str:
    """A workload query from tests/bench/queries with ``$name`` replaced by ``params`` (already SPARQL)."""
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    for key, value in params.items():
        text = text.replace(f"${key}", value)
    return text


# ---- processes -----------------------------------------------------------------------------------


PORTS: list[int] = []  # --ports: the ports servers take, in turn (else any free one)


def free_port() -> int:
    if PORTS:
        return PORTS.pop(0)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0
    for current in process_tree(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


@dataclass
class Server:
    """One system under test: its process, its SPARQL query URL and (rolkg) its base URL."""

    name: str
    proc: subprocess.Popen[bytes]
    sparql: str
    base: str = ""
    load_seconds: float | None = None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wait_until(
    url: str,
    proc: subprocess.Popen[bytes],
    timeout: float = 1800,
    ready: Callable[[httpx.Response], bool] = lambda answer: answer.status_code < 500,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {proc.returncode}")
        try:
            if ready(httpx.get(url, timeout=5)):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


def rolkg_cmd() -> list[str]:
    return [sys.executable, "-m", "rolkg"]


def start_rolkg(store: Path, endpoint: str | None = None, name: str = "rolkg") -> Server:
    port = free_port()
    where = ["--endpoint", endpoint] if endpoint else ["--store", str(store)]
    proc = subprocess.Popen(
        [*rolkg_cmd(), *where, "serve", "--port", str(port), "--query-timeout", str(RUNAWAY_TIMEOUT)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ROLKG_STORE": ""},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    # Measured once serve's warm-up has ended: while it runs, it shares the web process with the workload.
    wait_until(f"{base}/healthz", proc, ready=_warmed)
    return Server(name, proc, f"{base}/sparql", base)


def _warmed(answer: httpx.Response) -> bool:
    return answer.status_code == 200 and answer.json().get("warm") is not False


def start_oxigraph(location: Path) -> Server:
    port = free_port()
    proc = subprocess.Popen(
        ["oxigraph", "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph", "--timeout-s", str(RUNAWAY_TIMEOUT)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_until(f"{base}/query?query=ASK%7B%7D", proc)
    return Server("oxigraph", proc, f"{base}/query", base)


def start_rdflib(data: Path) -> Server:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.rdflib_peer", str(data), str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT,
    )  # fmt: skip
    line = proc.stdout.readline().decode() if proc.stdout else ""  # "loaded N quads in S s"
    base = f"http://127.0.0.1:{port}"
    wait_until(f"{base}/?query=ASK%7B%7D", proc)
    seconds = float(line.split(" in ")[1].split()[0]) if " in " in line else None
    return Server("rdflib-endpoint", proc, f"{base}/", base, seconds)


# ---- measuring -----------------------------------------------------------------------------------


@dataclass
class Timing:
    """Latencies of one operation, in ms, and how many calls failed."""

    samples: list[float] = field(default_factory=list)
    failed: int = 0
    note: str = ""

    def row(self) -> dict[str, Any]:
        if not self.samples:
            return {"median": None, "p95": None, "n": 0, "failed": self.failed, "note": self.note}
        ordered = sorted(self.samples)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return {"median": round(statistics.median(ordered), 2), "p95": round(p95, 2), "n": len(ordered),
                "failed": self.failed, "note": self.note}  # fmt: skip


def timed(call: Callable[[], httpx.Response], repeat: int, warm: int = 1) -> Timing:
    """Call ``repeat`` times after ``warm`` untimed calls; a non-2xx answer counts as failed."""
    timing = Timing()
    for i in range(warm + repeat):
        started = time.perf_counter()
        try:
            ok = call().status_code < 300
        except httpx.HTTPError:
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        if i >= warm:
            if ok:
                timing.samples.append(elapsed)
            else:
                timing.failed += 1
    return timing


def sparql_get(client: httpx.Client, url: str, text: str, timeout: float = 120) -> httpx.Response:
    return client.get(url, params={"query": text}, headers=JSON, timeout=timeout)


@dataclass
class Samples:
    """IRIs the workload asks about, taken from the data itself."""

    initiatives: list[str]
    bodies: list[str]


def samples(server: Server) -> Samples:
    def column(name: str, var: str) -> list[str]:
        with httpx.Client() as client:
            rows = sparql_get(client, server.sparql, query(name)).json()["results"]["bindings"]
        return sorted({r[var]["value"] for r in rows})

    return Samples(column("samples-initiatives", "initiative"), column("samples-bodies", "body"))


def cycle(items: list[str], seed: int = 3) -> Iterator[str]:
    rng = random.Random(seed)
    while True:
        yield rng.choice(items)


def workload(server: Server, s: Samples, reps: int) -> dict[str, dict[str, Any]]:
    """The SPARQL workload over one reused client: lookup, 2-hop, aggregate, label search, lineage path."""
    out: dict[str, dict[str, Any]] = {}
    iris, bodies = cycle(s.initiatives), cycle(s.bodies)
    with httpx.Client() as client:

        def run(name: str, make: Callable[[], str], repeat: int) -> None:
            out[name] = timed(lambda: sparql_get(client, server.sparql, make()), repeat, warm=2).row()
            print(f"  {server.name:16} {name:14} {out[name]}", file=sys.stderr, flush=True)

        run("lookup", lambda: query("lookup", iri=f"<{next(iris)}>"), reps * 5)
        run("two-hop", lambda: query("two-hop", body=f"<{next(bodies)}>"), reps * 2)
        run("aggregate", lambda: query("aggregate"), max(3, reps // 2))
        run("label-search", lambda: query("label-search", word='"复议"'), reps)
        run("lineage-path", lambda: query("lineage-path", iri=f"<{next(iris)}>"), reps * 2)
    return out


def concurrent(server: Server, s: Samples, clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads, each with its own client, sending point lookups for ``seconds``."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(seed: int) -> None:
        iris = cycle(s.initiatives, seed)
        with httpx.Client() as client:
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    ok = sparql_get(
                        client, server.sparql, query("lookup", iri=f"<{next(iris)}>"), 30
                    ).is_success
                except httpx.HTTPError:
                    ok = False
                with lock:
                    if ok:
                        latencies.append((time.perf_counter() - started) * 1000)
                    else:
                        failures[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    row = Timing(latencies, failures[0]).row()
    row["throughput"] = round(len(latencies) / elapsed, 1)
    print(f"  {server.name:16} {clients:>2} clients     {row}", file=sys.stderr, flush=True)
    return row


def during_runaway(server: Server, s: Samples, runaways: int = 2, lookups: int = 20) -> dict[str, Any]:
    """Point lookups sent while ``runaways`` cross-product queries run; a lookup over 3 s is 'blocked'."""
    statuses: list[str] = []

    def runaway() -> None:
        with httpx.Client() as client:
            try:
                statuses.append(str(sparql_get(client, server.sparql, query("runaway"), 60).status_code))
            except httpx.HTTPError as err:
                statuses.append(type(err).__name__)

    threads = [threading.Thread(target=runaway, daemon=True) for _ in range(runaways)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    timing, blocked = Timing(), 0
    iris = cycle(s.initiatives)
    with httpx.Client() as client:
        for _ in range(lookups):
            started = time.perf_counter()
            try:
                sparql_get(
                    client, server.sparql, query("lookup", iri=f"<{next(iris)}>"), 3
                ).raise_for_status()
                timing.samples.append((time.perf_counter() - started) * 1000)
            except httpx.HTTPError:
                blocked += 1
                if blocked >= 3 and not timing.samples:
                    break  # blocked outright: the rest would wait the same
    for t in threads:
        t.join(timeout=RUNAWAY_TIMEOUT + 20)
    row = timing.row()
    row.update(blocked=blocked, tried=len(timing.samples) + blocked, runaway_status=statuses)
    print(f"  {server.name:16} during runaway {row}", file=sys.stderr, flush=True)
    return row


def rest_and_pages(server: Server, s: Samples, reps: int) -> dict[str, dict[str, Any]]:
    """rolkg's REST routes and pages; the first request to each page is reported as 'cold'."""
    slug = s.initiatives[0].rsplit("/", 1)[1]
    body = s.bodies[0].rsplit("/", 1)[1]
    routes = {
        "/healthz": "/healthz",
        # every REST list/detail/lineage route and home: the one list of tests/bench/bench_routes.py
        **bench_routes.routes(bench_routes.Samples(initiative=slug, body=body)),
        "/id/initiative/{id} (html)": f"/id/initiative/{slug}",
        "/viz/overview.json": "/viz/overview.json",
        "/viz/entity/initiative/{id}": f"/viz/entity/initiative/{slug}",
        "/viz/lineage/initiative/{id}": f"/viz/lineage/initiative/{slug}",
    }
    out: dict[str, dict[str, Any]] = {}
    with httpx.Client(
        base_url=server.base, timeout=600, headers={"Accept": "text/html,application/json"}
    ) as c:
        for name, path in routes.items():
            started = time.perf_counter()
            try:
                first = c.get(path)
                cold = (time.perf_counter() - started) * 1000
                status = first.status_code
            except httpx.HTTPError as err:
                cold, status = (time.perf_counter() - started) * 1000, type(err).__name__
            row = timed(lambda p=path: c.get(p), reps, warm=0).row()  # type: ignore[misc]
            row.update(cold=round(cold, 1), status=status)
            out[name] = row
            print(f"  {server.name:16} {name:34} {row}", file=sys.stderr, flush=True)
    return out


@contextmanager
def peak_rss(proc: subprocess.Popen[bytes]) -> Iterator[list[float]]:
    """Poll a child's resident memory while it runs; yields a one-item list holding the peak MB."""
    peak = [0.0]
    done = threading.Event()

    def poll() -> None:
        while not done.is_set() and proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            time.sleep(0.1)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        done.set()
        thread.join()


def command(args: list[str], **env: str) -> dict[str, Any]:
    """Run a rolkg command; its wall time (s), peak RSS (MB) and exit status."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*rolkg_cmd(), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "ROLKG_STORE": "", "ROLKG_ENDPOINT": "", **env},
    )  # fmt: skip
    with peak_rss(proc) as peak:
        _, stderr = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    row = {"seconds": round(time.perf_counter() - started, 2), "cpu_s": round(cpu, 2), "peak_mb": round(peak[0]),
           "status": proc.returncode}  # fmt: skip
    if proc.returncode:
        row["error"] = stderr.decode(errors="replace").strip().splitlines()[-1:]
    print(
        f"  rolkg {' '.join(args[2:4] if args[0] == '--store' else args[:2]):20} {row}",
        file=sys.stderr,
        flush=True,
    )
    return row


# ---- the run -------------------------------------------------------------------------------------


def prepare(quads: int, work: Path) -> dict[str, Any]:
    """Generate the data and load it three ways: pyoxigraph bulk_load (reference), `rolkg load`, `oxigraph load`."""
    import pyoxigraph as ox

    data = synth.dataset(quads, ROOT / "bench-data")
    for folder in ("ref", "rolkg", "oxigraph"):
        shutil.rmtree(work / folder, ignore_errors=True)
    started, cpu = time.perf_counter(), time.process_time()
    ref = ox.Store(str(work / "ref"))
    ref.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    ref.flush()
    bulk, bulk_cpu = time.perf_counter() - started, time.process_time() - cpu
    n = len(ref)
    del ref
    shutil.rmtree(work / "ref", ignore_errors=True)
    load = command(["--store", str(work / "rolkg"), "load", str(data)])
    started = time.perf_counter()
    subprocess.run(["oxigraph", "load", "--location", str(work / "oxigraph"), "--file", str(data)],
                   check=True, capture_output=True)  # fmt: skip
    ox_load = time.perf_counter() - started
    info = {"data": str(data), "quads": n, "reports": len(synth.reports_for(quads)),
            "bulk_load_s": round(bulk, 2), "bulk_load_cpu_s": round(bulk_cpu, 2), "rolkg_load": load, "oxigraph_load_s": round(ox_load, 2),
            "rolkg_load_vs_bulk_load": round(bulk / load["seconds"], 2),
            "rolkg_load_vs_bulk_load_cpu": round(bulk_cpu / max(load["cpu_s"], 1e-9), 2)}  # fmt: skip
    print(f"prepared: {info}", file=sys.stderr, flush=True)
    (work / "prepared.json").write_text(json.dumps(info), encoding="utf-8")
    return info


def bench_system(server: Server, s: Samples, reps: int, seconds: float, rest: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"workload": workload(server, s, reps)}
    result["clients-8"] = concurrent(server, s, 8, seconds)
    result["clients-32"] = concurrent(server, s, 32, seconds)
    if rest:
        result["rest"] = rest_and_pages(server, s, max(3, reps // 2))
    result["rss_mb_after_workload"] = round(tree_rss_mb(server.proc.pid))
    result["during-runaway"] = during_runaway(server, s)  # last: rdflib-endpoint never recovers
    return result


def commands(work: Path) -> dict[str, Any]:
    """rolkg's own commands on the loaded store: stats, export, one ingest (vs an empty store), build."""
    store = work / "rolkg"
    cixi = str(ROOT / "data" / "reports" / "cixi-sfj-2024.txt")
    out = {
        "stats": command(["--store", str(store), "stats"]),
        "export-nquads": command(
            ["--store", str(store), "export", "-f", "nquads", "-o", str(work / "export.nq")]
        ),
        "ingest (this store)": command(["--store", str(store), "ingest", cixi]),
    }
    shutil.rmtree(work / "empty", ignore_errors=True)
    out["ingest (empty store)"] = command(["--store", str(work / "empty"), "ingest", cixi])
    out["ingest size ratio"] = round(
        out["ingest (this store)"]["seconds"] / out["ingest (empty store)"]["seconds"], 2
    )
    for jobs in (1, 2):
        shutil.rmtree(work / f"build-{jobs}", ignore_errors=True)
        extra = ["--jobs", str(jobs)] if _has_jobs() else []
        out[f"build --jobs {jobs}"] = command(["--store", str(work / f"build-{jobs}"), "build", *extra])
    (work / "export.nq").unlink(missing_ok=True)
    return out


def _has_jobs() -> bool:
    helptext = subprocess.run([*rolkg_cmd(), "build", "--help"], capture_output=True, text=True).stdout
    return "--jobs" in helptext


def markdown(results: dict[str, Any]) -> str:
    """The figures side by side: medians (p95) in ms, ratios to the Oxigraph server."""
    systems = [s for s in SYSTEMS if s in results["systems"]]
    lines = [f"### {results['prepared']['quads']:,} quads ({results['prepared']['reports']} reports)", ""]
    lines.append("| operation | " + " | ".join(systems) + " | rolkg / Oxigraph |")
    lines.append("|---|" + "---|" * (len(systems) + 1))

    def cell(row: dict[str, Any] | None, key: str = "median") -> str:
        if not row or row.get(key) is None:
            return "—" if not row else f"failed ({row.get('failed')})"
        return f"{row[key]:.1f} ({row['p95']:.1f})" if key == "median" else f"{row[key]}"

    def ratio(a: Any, b: Any) -> str:
        return f"{a / b:.2f}×" if a and b else "—"

    for op in ("lookup", "two-hop", "aggregate", "label-search", "lineage-path"):
        rows = {s: results["systems"][s]["workload"].get(op) for s in systems}
        r, o = (rows.get("rolkg") or {}).get("median"), (rows.get("oxigraph") or {}).get("median")
        lines.append(
            f"| {op}, ms median (p95) | " + " | ".join(cell(rows[s]) for s in systems) + f" | {ratio(r, o)} |"
        )
    for n in (8, 32):
        rows = {s: results["systems"][s][f"clients-{n}"] for s in systems}
        r, o = rows.get("rolkg", {}).get("throughput"), rows.get("oxigraph", {}).get("throughput")
        lines.append(f"| {n} clients: lookups/s | " + " | ".join(str(rows[s]["throughput"]) for s in systems)
                     + f" | {ratio(r, o)} |")  # fmt: skip
        lines.append(
            f"| {n} clients: lookup ms median (p95) | " + " | ".join(cell(rows[s]) for s in systems) + " | |"
        )
    rows = {s: results["systems"][s]["during-runaway"] for s in systems}
    lines.append("| lookup during 2 runaway queries, ms median (blocked of tried) | " + " | ".join(
        f"{cell(rows[s])} ({rows[s]['blocked']} of {rows[s]['tried']})" for s in systems) + " | |")  # fmt: skip
    lines.append("| server RSS after the workload, MB | " + " | ".join(
        str(results["systems"][s]["rss_mb_after_workload"]) for s in systems) + " | |")  # fmt: skip
    p = results["prepared"]
    lines += ["", "Load: not measured (stores loaded before this run)." if "bulk_load_s" not in p else f"Load: pyoxigraph `bulk_load` {p['bulk_load_s']} s ({p.get('bulk_load_cpu_s')} s CPU); "
              f"`rolkg load` {p['rolkg_load']['seconds']} s ({p['rolkg_load'].get('cpu_s')} s CPU) "
              f"({p['rolkg_load_vs_bulk_load']}× bulk_load's speed by wall time, {p.get('rolkg_load_vs_bulk_load_cpu')}× by CPU; peak {p['rolkg_load']['peak_mb']} MB); "
              f"`oxigraph load` {p['oxigraph_load_s']} s"
              + (f"; rdflib-endpoint parse {results['systems']['rdflib-endpoint']['load_s']} s"
                 if "rdflib-endpoint" in results["systems"] else "") + ".", ""]  # fmt: skip
    for s in systems:
        rest = results["systems"][s].get("rest")
        if not rest:
            continue
        lines += [
            f"REST routes and pages through `{s}` (ms):",
            "",
            "| route | status | cold | median (p95) |",
            "|---|---|---|---|",
        ]
        lines += [f"| `{k}` | {v['status']} | {v['cold']} | {cell(v)} |" for k, v in rest.items()]
        lines.append("")
    if "commands" in results:
        lines += ["Commands on this store (wall seconds; CPU seconds, user + system, of the process tree):", "",
                  "| command | wall s | CPU s | peak RSS MB | status |", "|---|---|---|---|---|"]  # fmt: skip
        for k, v in results["commands"].items():
            if isinstance(v, dict):
                lines.append(
                    f"| `rolkg {k}` | {v['seconds']} | {v.get('cpu_s')} | {v['peak_mb']} | {v['status']} |"
                )
        lines.append(
            f"\nIngest into this store vs an empty one: {results['commands']['ingest size ratio']}×."
        )
    lines.append(
        f"\nLoad average before / after: {results['load_before']} / {results['load_after']} (2 cores)."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quads", type=int, default=100_000)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--reps", type=int, default=10, help="repetitions per query (lookups: 5×)")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each concurrency run")
    parser.add_argument("--work", type=Path, default=ROOT / "bench-data" / "work")
    parser.add_argument("--no-commands", action="store_true", help="skip stats/export/ingest/build")
    parser.add_argument(
        "--reuse", action="store_true", help="use the stores an earlier run loaded into --work"
    )
    parser.add_argument("--tag", default="", help="suffix of the results file (runs of a subset of systems)")
    parser.add_argument("--no-routes", action="store_true", help="skip rolkg's REST routes and pages")
    parser.add_argument(
        "--data", type=Path, help="with --reuse: the N-Quads file the stores were loaded from"
    )
    parser.add_argument("--ports", type=int, help="first of ten loopback ports the servers may take")
    args = parser.parse_args(argv)
    if args.ports:
        PORTS[:] = range(args.ports, args.ports + 10)
    wanted = [s.strip() for s in args.systems.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"load_before": [round(x, 2) for x in os.getloadavg()], "systems": {}}
    reuse = args.work / "prepared.json"
    if args.reuse and reuse.exists():
        results["prepared"] = json.loads(reuse.read_text(encoding="utf-8"))
    elif args.reuse:  # stores loaded some other way into --work/rolkg and --work/oxigraph, from --data
        results["prepared"] = {"quads": args.quads, "reports": len(synth.reports_for(args.quads)),
                               "data": str(args.data)}  # fmt: skip
    else:
        results["prepared"] = prepare(args.quads, args.work)
    oxigraph = start_oxigraph(args.work / "oxigraph") if {"oxigraph", "rolkg-remote"} & set(wanted) else None
    try:
        s = samples(oxigraph) if oxigraph else None
        for name in wanted:
            if name == "oxigraph" and oxigraph:
                results["systems"][name] = bench_system(oxigraph, s, args.reps, args.seconds, rest=False)  # type: ignore[arg-type]
                continue
            if name == "rolkg":
                server = start_rolkg(args.work / "rolkg")
            elif name == "rolkg-remote" and oxigraph:
                server = start_rolkg(args.work / "unused", endpoint=oxigraph.sparql, name="rolkg-remote")
            elif name == "rdflib-endpoint":
                server = start_rdflib(Path(results["prepared"]["data"]))
            else:
                continue
            try:
                s = s or samples(server)
                results["systems"][name] = bench_system(
                    server, s, args.reps, args.seconds, rest=name.startswith("rolkg") and not args.no_routes
                )
                if server.load_seconds is not None:
                    results["systems"][name]["load_s"] = server.load_seconds
            finally:
                server.stop()
            if oxigraph and name == "rolkg-remote":  # the runaway queries it passed on may still run there
                oxigraph.stop()
                oxigraph = start_oxigraph(args.work / "oxigraph")
    finally:
        if oxigraph:
            oxigraph.stop()
    if not args.no_commands:
        results["commands"] = commands(args.work)
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    out = ROOT / "bench-data" / f"results-{args.quads}{args.tag}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(markdown(results))
    print(f"\n(figures in {out})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
