"""What keeps ``rolkg serve``'s memory down: no build-time-only libraries in the web process, glibc's malloc
tunables passed on to the workers (user settings kept). Sizes themselves are figures for
``tests/bench/bench_serve_memory.py``, not asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from rolkg.api.memory import TUNABLES

CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in TUNABLES}


def run(code: str, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**CLEAN_ENV, **env}, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_server_does_not_import_pinyin_tables() -> None:
    """pypinyin holds ~54 MB once imported; the server reads IRIs minted at build time and needs none."""
    out = run("import sys, rolkg.cli, rolkg.api.app, rolkg.api.memory; print('pypinyin' in sys.modules)")
    assert out.strip() == "False"


def test_slugs_still_use_pinyin() -> None:
    from rolkg.graph.iris import slugify

    assert slugify("慈溪市司法局") == "cixishisifaju"


CHILD_SEES = (
    "import json, os, subprocess, sys; from rolkg.api.memory import tune_malloc; tune_malloc(); "
    "print(subprocess.run([sys.executable, '-c', 'import json, os; print(json.dumps({k: v for k, v in "
    'os.environ.items() if k.startswith("MALLOC_")}))\'], capture_output=True, text=True).stdout)'
)


def test_tunables_reach_the_processes_the_server_starts() -> None:
    seen = json.loads(run(CHILD_SEES))
    assert seen == {k: str(v) for k, v in TUNABLES.items()}


@pytest.mark.parametrize("name", sorted(TUNABLES))
def test_a_tunable_the_user_set_is_kept(name: str) -> None:
    seen = json.loads(run(CHILD_SEES, **{name: "4"}))
    assert seen[name] == "4"


def test_the_heap_is_trimmed_after_a_heavy_request_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from rolkg.api import memory
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    trims: list[int] = []
    real = memory.release_freed_memory

    def counted() -> None:
        real()
        trims.append(1)

    monkeypatch.setattr(memory, "release_freed_memory", counted)

    def slow(request: object) -> PlainTextResponse:
        time.sleep(memory.HEAVY_SECONDS + 0.05)  # stands for a big query
        return PlainTextResponse("slow")

    app = Starlette(routes=[Route("/slow", slow), Route("/fast", lambda r: PlainTextResponse("fast"))])
    with TestClient(memory.TrimAfterHeavy(app)) as client:
        assert client.get("/fast").text == "fast"
        assert client.get("/slow").text == "slow"
        deadline = time.monotonic() + 10  # the trim runs in a thread once the answer is out
        while not trims:
            assert time.monotonic() < deadline, "no trim after the heavy request"
            time.sleep(0.01)
        assert client.get("/fast").text == "fast"
        for thread in [t for t in threading.enumerate() if t.name == "rolkg-trim"]:
            thread.join(10)
    assert trims == [1]
