"""Honest store states: a store a server holds refuses writers and names the holder's pid; an
interrupted build is recorded, and `rolkg serve` completes it instead of serving a partial store."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rolkg.graph.store import EmbeddedStore, build_finished, build_started, build_state, load_ontology
from typer.testing import CliRunner

from rolkg.cli import app
from rolkg.errors import StoreLocked

runner = CliRunner()

HOLD = """
import sys, time
from rolkg.graph.store import EmbeddedStore
store = EmbeddedStore.read_only(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def _filled(path: Path) -> None:
    with EmbeddedStore(path) as store:
        load_ontology(store)


def test_writer_is_refused_with_the_readers_pid(tmp_path: Path) -> None:
    path = tmp_path / "store"
    _filled(path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreLocked) as refused:
            EmbeddedStore(path)
        assert refused.value.holder == holder.pid
        assert f"pid {holder.pid}" in str(refused.value) and "stop it first" in str(refused.value)
        result = runner.invoke(app, ["--store", str(path), "build"], obj={})
        assert result.exit_code == 1 and f"pid {holder.pid}" in result.output
        assert "Traceback" not in result.output
        with EmbeddedStore.read_only(path) as reader:  # readers share the store
            assert reader.triple_count() > 0
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 10
    while True:  # the lock goes with the process
        try:
            EmbeddedStore(path).close()
            break
        except StoreLocked:
            assert time.monotonic() < deadline
            time.sleep(0.1)


def test_build_marker_round_trip(embedded: EmbeddedStore) -> None:
    assert not build_state(embedded).unfinished and build_state(embedded).started is None
    started = build_started(embedded, "/some/folder")
    state = build_state(embedded)
    assert state.unfinished and state.reports == "/some/folder"
    build_finished(embedded, started, "/some/folder")
    state = build_state(embedded)
    assert not state.unfinished and state.ended is not None and state.ended >= state.started
    # the marker is the store's state, not data: not listed, counted or exported
    assert embedded.named_graphs() == []
    assert embedded.triple_count() == 0
    assert b"build" not in embedded.export("nquads")


def test_serve_completes_an_unfinished_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build interrupted after the ontology: serve says so and builds before it would serve."""
    path = tmp_path / "store"
    reports = tmp_path / "reports"
    reports.mkdir()
    source = Path(__file__).parents[1] / "data" / "reports" / "cixi-sfj-2024.txt"
    (reports / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    with EmbeddedStore(path) as store:
        build_started(store, str(reports))
        load_ontology(store)  # ... and then the build died
        assert build_state(store).unfinished
    import rolkg.api.app

    served: list[object] = []
    monkeypatch.setattr(rolkg.api.app, "run_server", lambda app, *a, **kw: served.append(app))  # stop there
    result = runner.invoke(app, ["--store", str(path), "serve", "--port", "8999"], obj={})
    assert result.exit_code == 0, result.output
    assert "unfinished build" in result.output and str(reports) in result.output
    assert served, "serve did not go on to serve"
    with EmbeddedStore.read_only(path) as store:
        assert not build_state(store).unfinished
        assert any("report/" in str(g) for g in store.named_graphs())


def test_build_records_a_finished_build(tmp_path: Path) -> None:
    path = tmp_path / "store"
    reports = tmp_path / "reports"
    reports.mkdir()
    source = Path(__file__).parents[1] / "data" / "reports" / "cixi-sfj-2024.txt"
    (reports / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["--store", str(path), "build", "--reports", str(reports)], obj={})
    assert result.exit_code == 0, result.output
    with EmbeddedStore.read_only(path) as store:
        state = build_state(store)
    assert state.started is not None and not state.unfinished


def test_viz_uses_the_global_store_option(api_stores: object, tmp_path: Path) -> None:
    """`rolkg --store X viz …` reads X (the one factory), and a missing store is one clear line."""
    settings = api_stores["embedded-fixture"]  # type: ignore[index]
    out = tmp_path / "overview.html"
    result = runner.invoke(
        app, ["--store", str(settings.store_path), "viz", "overview", "-o", str(out)], obj={}
    )
    assert result.exit_code == 0, result.output
    drawn = re.search(r"\((\d+) of (\d+) nodes\)", result.output)
    assert out.is_file() and drawn is not None and int(drawn.group(1)) > 10  # the fixture's graph, not empty
    missing = runner.invoke(
        app, ["--store", str(tmp_path / "none"), "viz", "overview", "-o", str(out)], obj={}
    )
    assert missing.exit_code == 1 and "rolkg build" in missing.output
    assert ("Traceback" not in missing.output and missing.exception is None) or isinstance(
        missing.exception, SystemExit
    )
