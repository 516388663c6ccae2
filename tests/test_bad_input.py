"""Bad input gets a clear error and an exit status, and the store is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file
from rolkg.graph.read import MAX_TEXT_BYTES as MAX_BYTES
from rolkg.graph.read import ReportReadError as ReportFileError
from rolkg.graph.read import read_report as read_report_file
from rolkg.graph.read.txt import decode_report_bytes
from rolkg.graph.store import EmbeddedStore
from typer.testing import CliRunner

from rolkg.cli import app

CIXI = REPORTS_DIR / "cixi-sfj-2024.txt"
runner = CliRunner()


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A store holding the bundled report (unvalidated: only its unchanged content matters)."""
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        ingest_file(CIXI, None, store, check=False)
    return path


def dump(path: Path) -> bytes:
    with EmbeddedStore(path) as store:
        return store.export("nquads")


def cli_ingest(store: Path, file: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["--store", str(store), "ingest", str(file)], obj={})
    return result.exit_code, result.output


CASES = {
    "empty": (b"", "empty"),
    "blank": (b"  \n\r\n\t  ", "empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
    "undecodable": (bytes(range(128, 256)) * 8, "UTF-8"),
    "latin1": ("café crème brûlée, déjà vu".encode("latin-1"), "UTF-8"),
}


@pytest.mark.parametrize("case", CASES)
def test_unreadable_files_refused(seeded: Path, tmp_path: Path, case: str) -> None:
    data, message = CASES[case]
    file = tmp_path / f"{case}.txt"
    file.write_bytes(data)
    with pytest.raises(ReportFileError, match=message):
        read_report_file(file)
    before = dump(seeded)
    code, output = cli_ingest(seeded, file)
    assert code == 1
    assert message in output and "nothing was written" in output
    assert dump(seeded) == before


def test_huge_file_refused_with_the_limit(seeded: Path, tmp_path: Path) -> None:
    file = tmp_path / "huge.txt"
    file.write_bytes(("法治" * 1024 * 1024).encode("utf-8"))  # 6 MB of valid UTF-8
    assert file.stat().st_size > MAX_BYTES
    before = dump(seeded)
    code, output = cli_ingest(seeded, file)
    assert code == 1
    assert "5 MB limit" in output
    assert dump(seeded) == before


def test_gbk_file_is_decoded_with_a_notice(tmp_path: Path) -> None:
    text = CIXI.read_text(encoding="utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.encode("gb18030"))
    decoded = read_report_file(gbk)
    assert decoded.text == text
    assert decoded.encoding == "gb18030"
    assert any("GBK" in n for n in decoded.notices)
    result = runner.invoke(app, ["extract", str(gbk), "--issuer", "慈溪市司法局", "--year", "2024"], obj={})
    assert result.exit_code == 0, result.output
    assert "GBK" in result.output
    assert "cixishisifaju-2024" in result.output


def test_utf8_bom_is_stripped() -> None:
    decoded = decode_report_bytes("\ufeff慈溪市司法局".encode())
    assert decoded.text == "慈溪市司法局"
    assert decoded.encoding == "utf-8-sig"
    assert decode_report_bytes("慈溪".encode("utf-16")).text == "慈溪"


def test_text_without_structure(seeded: Path, tmp_path: Path) -> None:
    """Prose without headings, year or issuer: either a clear refusal or a graph that fails validation."""
    file = tmp_path / "noise.txt"
    file.write_text("今天天气很好,我们去公园散步。" * 10, encoding="utf-8")
    before = dump(seeded)
    code, output = cli_ingest(seeded, file)
    assert code == 1
    assert "nothing was written" in output
    assert dump(seeded) == before


def test_graph_failing_shacl_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix rol: <https://w3id.org/rolkg/ontology#> .\n"
        '<https://w3id.org/rolkg/id/report/x-2024> a rol:Report ; rol:year "soon" .\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(bad)], obj={})
    assert result.exit_code == 1
    assert "violations" in result.output and "x-2024" in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(
        app, ["--store", str(tmp_path / "s"), "ingest", str(tmp_path / "missing.txt")], obj={}
    )
    assert missing.exit_code == 1 and "no such file" in missing.output  # bad input, not bad usage
    assert runner.invoke(app, ["ingest", str(CIXI), "--year", "abc"], obj={}).exit_code == 2
    result = runner.invoke(app, ["--store", str(tmp_path / "s"), "export", "--format", "xml"], obj={})
    assert result.exit_code == 2 and "unknown format" in result.output
    result = runner.invoke(app, ["--endpoint", "ftp://x", "stats"], obj={})
    assert result.exit_code == 2 and "http" in result.output
    bad = tmp_path / "x.owl"
    bad.write_text("x")
    assert runner.invoke(app, ["validate", str(bad)], obj={}).exit_code == 2


def test_locked_store_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path):  # a writer holds it: readers wait
        result = runner.invoke(app, ["--store", str(path), "stats"], obj={})
    assert result.exit_code == 1
    assert "being written" in result.output
    with EmbeddedStore.read_only(path):  # a reader (a server) holds it: writers are refused
        result = runner.invoke(app, ["--store", str(path), "ingest", str(CIXI)], obj={})
    assert result.exit_code == 1
    assert "rolkg serve" in result.output and "Traceback" not in result.output
