"""``rolkg ingest --manifest``: a list of files and addresses with metadata columns, extracted in worker
processes and written one by one; bad entries are listed with the reason, the others are ingested."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rolkg.graph.manifest import ManifestError, ingest_manifest, load_manifest
from rolkg.graph.store import EmbeddedStore

COUNTY = Path(__file__).parent / "fixtures" / "inputs" / "county-sfj-2024.txt"
TEXT = COUNTY.read_text(encoding="utf-8")
HEADER = "file\ttitle\tissuer\tjurisdiction\tyear\tpublished\tsource\tcomplete\n"


def rolkg_command() -> list[str]:
    exe = shutil.which("rolkg")
    return [exe] if exe else [sys.executable, "-m", "rolkg"]


@pytest.fixture
def manifest(tmp_path: Path, web_server, make_form: dict[str, Callable[[str], bytes]]) -> Path:
    """Four good entries (txt, PDF, DOCX, an address) and three bad ones (missing file, bad year, 404)."""
    (tmp_path / "in").mkdir()
    shutil.copy(COUNTY, tmp_path / "in" / "county.txt")
    (tmp_path / "in" / "county.pdf").write_bytes(make_form["pdf"](TEXT))
    (tmp_path / "in" / "county.docx").write_bytes(make_form["docx"](TEXT))
    page = web_server.route("/art/2025/county.html", make_form["html"](TEXT))
    missing = web_server.base + "/art/2025/gone.html"
    rows = [
        "in/county.txt\t\t青石县司法局\t\t2024\t2025-03-12\thttps://www.example.gov.cn/art/1.html\tyes",
        "in/county.pdf\t\t青石县人民政府\t\t2024\t\t\t",
        "in/nowhere.docx\t\t青石县司法局\t\t2022\t\t\t",
        "in/county.docx\t\t青石县发展和改革局\t\t2024\t\t\t",
        "in/county.txt\t\t青石县司法局\t\t二〇二四\t\t\t",
        f"{page}\t\t青石县市场监督管理局\t\t2024\t\t\t",
        f"{missing}\t\t青石县司法局\t\t2021\t\t\t",
    ]
    path = tmp_path / "manifest.tsv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_manifest_ingests_the_good_entries_and_lists_the_bad(tmp_path: Path, manifest: Path) -> None:
    store = tmp_path / "store"
    done = subprocess.run(
        [*rolkg_command(), "--store", str(store), "ingest", "--manifest", str(manifest), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "ingested 4 of 7 report(s)" in done.stderr
    table = done.stderr[done.stderr.index("failed entries") :]
    for line, words in ((4, "no such file"), (6, "二〇二四"), (8, "HTTP 404")):
        row = next((r for r in table.splitlines() if f" {line} " in r), "")
        assert words in row, table
    assert "3 of 7 report(s) failed" in done.stderr.strip().splitlines()[-1]
    with EmbeddedStore(store) as opened:
        names = {str(g).rsplit("/", 1)[-1] for g in opened.named_graphs()}
    assert {
        "qingshixiansifaju-2024",
        "qingshixianrenminzhengfu-2024",
        "qingshixianfazhanhegaigeju-2024",
        "qingshixianshichangjianduguanliju-2024",
    } <= names
    assert not any(n.endswith(("-2022", "-2021")) for n in names)


def test_outcomes_come_in_manifest_order(tmp_path: Path, manifest: Path) -> None:
    entries = load_manifest(manifest)
    assert [e.line for e in entries] == [2, 3, 4, 5, 6, 7, 8]
    assert entries[0].meta.source == "https://www.example.gov.cn/art/1.html"
    assert entries[0].meta.issued == "2025-03-12"
    assert entries[4].error and "二〇二四" in entries[4].error  # refused before any work
    with EmbeddedStore(tmp_path / "store") as store:
        outcomes = ingest_manifest(entries, store, jobs=2)
    assert [o.entry.line for o in outcomes] == [2, 3, 4, 5, 6, 7, 8]
    assert [o.ok for o in outcomes] == [True, True, False, True, False, True, False]
    assert all(o.triples > 100 for o in outcomes if o.ok)


def test_rows_with_a_bad_date_or_source_fail_before_any_work(tmp_path: Path) -> None:
    path = tmp_path / "m.tsv"
    rows = [
        "a.txt\t\t\t\t2024\t2025/3/12\t\t",
        "b.txt\t\t\t\t2024\t2025-02-30\t\t",
        "c.txt\t\t\t\t2024\t\tw w\t",
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    errors = [e.error or "" for e in load_manifest(path)]
    assert "published '2025/3/12' is not a date" in errors[0]
    assert "published '2025-02-30' is not a date" in errors[1]
    assert "source 'w w' is not an IRI" in errors[2]


MALFORMED = {
    "no file column": ("title\tissuer\nx\ty\n", "no 'file' column"),
    "no rows": (HEADER, "lists no reports"),
    "not UTF-8": ("file\n报告.txt\n".encode("gb18030"), "not UTF-8"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_an_unusable_manifest_is_refused_in_one_line(tmp_path: Path, name: str) -> None:
    content, words = MALFORMED[name]
    path = tmp_path / "m.tsv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ManifestError, match=words):
        load_manifest(path)
    done = subprocess.run(
        [*rolkg_command(), "--store", str(tmp_path / "store"), "ingest", "--manifest", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert words in done.stderr


def test_manifest_and_a_file_together_is_a_usage_error(tmp_path: Path, manifest: Path) -> None:
    from typer.testing import CliRunner

    from rolkg.cli import app

    result = CliRunner().invoke(
        app, ["--store", str(tmp_path / "s"), "ingest", str(COUNTY), "--manifest", str(manifest)], obj={}
    )
    assert result.exit_code == 2 and "not both" in result.output
