"""``rolkg build --jobs N``: reports extracted and validated in worker processes give the same store as a
serial build, cross-year links included; a bad report fails alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rolkg.data import REPORTS_DIR
from rolkg.graph.store import EmbeddedStore
from typer.testing import CliRunner

from rolkg.cli import app

runner = CliRunner()
# Two years of one publisher (the later one links to the earlier) and another publisher's report.
REPORTS = ("cixi-sfj-2023.txt", "cixi-sfj-2024.txt", "zhoushan-sfj-2022.txt")


def build(reports: Path, store: Path, jobs: int) -> tuple[int, str]:
    result = runner.invoke(
        app, ["--store", str(store), "build", "--reports", str(reports), "--jobs", str(jobs)], obj={},
        env={"ROLKG_ENDPOINT": ""},
    )  # fmt: skip
    return result.exit_code, result.output


def quads(store: Path) -> set[str]:
    with EmbeddedStore.read_only(store) as s:
        # The build marker records when each build ran: the one thing two equal builds differ in.
        return {str(q) for q in s._store if "rolkg/graph/build" not in str(q.graph_name)}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    for name in REPORTS:
        shutil.copy(REPORTS_DIR / name, folder / name)
    shutil.copy(REPORTS_DIR / "reports.tsv", folder / "reports.tsv")
    return folder


@pytest.mark.slow
def test_parallel_build_writes_what_a_serial_build_writes(reports: Path, tmp_path: Path) -> None:
    code, output = build(reports, tmp_path / "serial", 1)
    assert code == 0, output
    code, output = build(reports, tmp_path / "parallel", 2)
    assert code == 0, output
    assert "3 of 3 report(s)" in output
    serial, parallel = quads(tmp_path / "serial"), quads(tmp_path / "parallel")
    assert serial == parallel
    assert any("cixishisifaju-2023" in q and "continues" in q and "cixishisifaju-2024" in q for q in parallel)


def test_a_bad_report_fails_alone(reports: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(reports, folder)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    code, output = build(folder, tmp_path / "store", 2)
    assert code == 1
    assert "empty.txt" in output and "3 of 4 report(s)" in output and "Traceback" not in output
