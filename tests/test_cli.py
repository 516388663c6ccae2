"""The ``rolkg`` command through typer's runner, and as a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rolkg.data import REPORTS_DIR
from rolkg.graph.namespaces import ONTOLOGY_GRAPH
from rolkg.graph.store import EmbeddedStore
from typer.testing import CliRunner

from rolkg.cli import app

CIXI = REPORTS_DIR / "cixi-sfj-2024.txt"
REPORT_GRAPH = "https://w3id.org/rolkg/graph/report/cixishisifaju-2024"
runner = CliRunner()


def run(*args: str, store: Path | None = None) -> tuple[int, str]:
    argv = (["--store", str(store)] if store else []) + list(args)
    result = runner.invoke(app, argv, obj={}, env={"ROLKG_STORE": "", "ROLKG_ENDPOINT": ""})
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def one_report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reports folder with just the complete report, so build runs fast."""
    folder = tmp_path_factory.mktemp("reports")
    shutil.copy(CIXI, folder / CIXI.name)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, one_report_dir: Path) -> Path:
    store = tmp_path_factory.mktemp("built") / "store"
    code, output = run("build", "--reports", str(one_report_dir), store=store)
    assert code == 0, output
    return store


def test_build_loads_report_and_ontology(built: Path) -> None:
    with EmbeddedStore.read_only(built) as store:
        names = {str(g) for g in store.named_graphs()}
    assert REPORT_GRAPH in names
    assert str(ONTOLOGY_GRAPH) in names


def test_build_twice_is_idempotent(built: Path, one_report_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "again"
    code, output = run("build", "--reports", str(one_report_dir), store=copy)
    assert code == 0, output
    first = run("export", "--format", "nquads", store=copy)[1]
    code, output = run("build", "--reports", str(one_report_dir), store=copy)
    assert code == 0, output
    second = run("export", "--format", "nquads", store=copy)[1]
    assert sorted(first.splitlines()) == sorted(second.splitlines())
    assert sorted(first.splitlines()) == sorted(
        run("export", "--format", "nquads", store=built)[1].splitlines()
    )


def test_query_formats(built: Path) -> None:
    code, output = run("query", "reports", "--format", "csv", store=built)
    assert code == 0, output
    assert output.splitlines()[0] == "report,title,year,jurisdiction,publisher,source"
    assert "慈溪市司法局2024年法治政府建设工作总结" in output
    code, output = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json", store=built)
    assert code == 0, output
    assert int(json.loads(output)["results"]["bindings"][0]["n"]["value"]) > 100
    code, output = run(
        "query", "exists", "-p", "iri=https://w3id.org/rolkg/id/report/cixishisifaju-2024", store=built
    )
    assert (code, output.strip()) == (0, "true")
    code, output = run("query", "stats-classes", store=built)
    assert code == 0 and "Report" in output


def test_query_from_file_and_errors(built: Path, tmp_path: Path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text(
        "# count reports\nSELECT (COUNT(?r) AS ?n) WHERE { ?r a <https://w3id.org/rolkg/ontology#Report> }"
    )
    code, output = run("query", str(rq), "--format", "csv", store=built)
    assert (code, output.splitlines()) == (0, ["n", "1"])
    code, output = run("query", "no-such-query", store=built)
    assert code == 2 and "no query named" in output
    code, output = run("query", "SELECT { broken", store=built)
    assert code == 2 and "not valid SPARQL" in output


def test_export_formats(built: Path, tmp_path: Path) -> None:
    for fmt, parser in (("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")):
        target = tmp_path / f"out.{fmt}"
        code, output = run("export", "--format", fmt, "-o", str(target), store=built)
        assert code == 0, output
        ds = Dataset()
        ds.parse(target, format=parser)
        assert len(ds.graph(REPORT_GRAPH)) > 100, fmt


def test_stats(built: Path) -> None:
    code, output = run("stats", store=built)
    assert code == 0, output
    assert "resources per class" in output and "慈溪市司法局" in output


def test_stats_lists_a_report_without_a_title_line(tmp_path: Path) -> None:
    """A report with no title line has no dcterms:title; stats lists it under its display label."""
    untitled = tmp_path / "untitled.txt"
    untitled.write_text(
        "2024年以来，慈溪市司法局深入学习贯彻习近平法治思想，奋力推进法治慈溪建设。"
        "现将我局2024年法治政府建设工作总结如下：\n一、主要举措\n（一）强化统筹。召开法治慈溪建设推进会3次。\n",
        encoding="utf-8",
    )
    store = tmp_path / "s"
    meta = ("--issuer", "慈溪市司法局", "--year", "2024", "--jurisdiction", "慈溪市")
    code, output = run("ingest", str(untitled), *meta, store=store)
    assert code == 0, output
    code, output = run("stats", store=store)
    assert code == 0, output
    per_report = output.split("per report", 1)[1]
    assert "无标题" in per_report and "2024" in per_report


def test_extract_prints_without_a_store(tmp_path: Path) -> None:
    store = tmp_path / "untouched"
    code, output = run("extract", str(CIXI), "--format", "turtle", store=store)
    assert code == 0
    g = Graph().parse(data=output, format="turtle")
    assert len(g) > 100
    assert not store.exists()
    code, output = run("extract", str(CIXI), "--format", "nquads")
    assert code == 0 and REPORT_GRAPH in output


def test_ingest_and_validate_store(tmp_path: Path) -> None:
    store = tmp_path / "s"
    code, output = run("ingest", str(CIXI), store=store)
    assert code == 0, output
    assert "cixishisifaju-2024" in output
    code, output = run("validate", store=store)
    assert code == 0, output
    assert "ok" in output


def test_validate_empty_store(tmp_path: Path) -> None:
    code, output = run("validate", store=tmp_path / "empty")
    assert code == 1 and "rolkg build" in output


def test_remote_store_via_endpoint(oxigraph_server, remote) -> None:  # type: ignore[no-untyped-def]
    args = ["--endpoint", oxigraph_server.query_url, "--update-endpoint", oxigraph_server.update_url]
    result = runner.invoke(app, [*args, "ingest", str(CIXI)], obj={})
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, [*args, "query", "reports", "-f", "csv"], obj={})
    assert result.exit_code == 0 and "慈溪市司法局" in result.output


def test_real_subprocess(tmp_path: Path) -> None:
    exe = shutil.which("rolkg")
    cmd = [exe] if exe else [sys.executable, "-m", "rolkg"]
    env = {**os.environ, "ROLKG_STORE": str(tmp_path / "sub")}
    done = subprocess.run([*cmd, "ingest", str(CIXI)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [*cmd, "query", "reports", "--format", "csv"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "cixishisifaju-2024" in done.stdout
    done = subprocess.run(
        [*cmd, "ingest", str(tmp_path / "missing.txt")], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1  # a missing report is bad input (exit 1), told in one line
    assert len(done.stderr.strip().splitlines()) == 1 and "no such file" in done.stderr
