"""``rolkg serve`` as a process: Ctrl+C while a query runs and others wait ends the server without waiting
for their deadlines, answers them 503, and prints no traceback (worker pipes, SIGINT in workers)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from rolkg.data import REPORTS_DIR

from tests.conftest import free_port

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_ctrl_c_ends_running_and_waiting_queries(tmp_path: Path) -> None:
    rolkg = [sys.executable, "-m", "rolkg", "--store", str(tmp_path / "store")]
    subprocess.run(
        [*rolkg, "ingest", str(REPORTS_DIR / "cixi-sfj-2024.txt")], check=True, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        [*rolkg, "serve", "--port", str(port), "--query-timeout", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        statuses: list[int] = []

        def heavy() -> None:
            try:
                statuses.append(httpx.post(f"{base}/sparql", data={"query": HEAVY}, timeout=300).status_code)
            except httpx.HTTPError:
                statuses.append(0)  # the connection closed with the server: also not a hang

        threads = [threading.Thread(target=heavy) for _ in range(4)]  # 2 running, 2 waiting
        for thread in threads:
            thread.start()
        time.sleep(2)
        server.send_signal(signal.SIGINT)
        # The queries' own deadline is 300 s: exiting within 60 s means shutdown did not wait for them.
        stopping = time.monotonic()
        _, stderr = server.communicate(timeout=60)
        print(f"shutdown took {time.monotonic() - stopping:.1f} s with 4 queries open")
        for thread in threads:
            thread.join(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
    # uvicorn re-raises the captured SIGINT once it has shut down, so the exit status is Ctrl+C's own.
    assert server.returncode in (0, 1, 130, -signal.SIGINT), (server.returncode, stderr)
    assert "Traceback" not in stderr, stderr
    assert statuses and all(status in (503, 0) for status in statuses), statuses
