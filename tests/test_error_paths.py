"""Every bad input through the real ``rolkg`` command: one line on stderr, exit status 1, no traceback,
and the store exactly as it was. Addresses are served from a loopback web server."""

from __future__ import annotations

import codecs
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file
from rolkg.graph.store import EmbeddedStore

COUNTY = Path(__file__).parent / "fixtures" / "inputs" / "county-sfj-2024.txt"
SMALL = REPORTS_DIR / "cixi-sfj-2023.txt"
BIG = REPORTS_DIR / "cixi-sfj-2024.txt"


def rolkg_command() -> list[str]:
    exe = shutil.which("rolkg")
    return [exe] if exe else [sys.executable, "-m", "rolkg"]


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one bundled report, made once; each test works on a copy."""
    path = tmp_path_factory.mktemp("seed") / "store"
    with EmbeddedStore(path) as store:
        ingest_file(SMALL, None, store, check=False)
    return path


@pytest.fixture
def store(seed: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(seed, copy)
    return copy


def dump(path: Path) -> bytes:
    with EmbeddedStore(path) as opened:
        return opened.export("nquads")


def run(
    store: Path, *args: str, env: dict[str, str] | None = None, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*rolkg_command(), "--store", str(store), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec,
    )


def assert_refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0], lines[0]


def lone_surrogate_utf16() -> bytes:
    text = COUNTY.read_text(encoding="utf-8")
    half = len(text) // 2
    return (
        codecs.BOM_UTF16_LE + text[:half].encode("utf-16-le") + b"\x3d\xd8" + text[half:].encode("utf-16-le")
    )


OPTION_CASES = {
    "source with spaces": (["--source", "政府网站 首页"], ["--source", "not an IRI"]),
    "relative source": (["--source", "www.example.gov.cn/art/1.html"], ["--source", "absolute IRI"]),
    "source without host": (["--source", "https:///art/1.html"], ["--source", "absolute IRI"]),
    "blank issuer": (["--issuer", "   "], ["--issuer is blank"]),
    "empty title": (["--title", ""], ["--title is blank"]),
}


@pytest.mark.parametrize("case", OPTION_CASES)
def test_bad_options_are_refused(store: Path, case: str) -> None:
    options, words = OPTION_CASES[case]
    before = dump(store)
    assert_refused(run(store, "ingest", str(COUNTY), "--year", "2024", *options), *words)
    assert dump(store) == before


def test_extract_refuses_a_bad_source_too(tmp_path: Path) -> None:
    done = subprocess.run(
        [*rolkg_command(), "extract", str(COUNTY), "--issuer", "青石县司法局", "--source", "a b"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert_refused(done, "--source")
    assert done.stdout == ""


FILE_CASES: dict[str, Callable[[Path], Path]] = {}


def case(name: str) -> Callable[[Callable[[Path], Path]], Callable[[Path], Path]]:
    def register(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
        FILE_CASES[name] = make
        return make

    return register


@case("UTF-16 with a lone surrogate")
def _utf16(folder: Path) -> Path:
    path = folder / "utf16.txt"
    path.write_bytes(lone_surrogate_utf16())
    return path


@case("a folder")
def _folder(folder: Path) -> Path:
    path = folder / "reports.txt"
    path.mkdir()
    return path


@case("a missing file")
def _missing(folder: Path) -> Path:
    return folder / "nowhere.pdf"


@case("a dangling link")
def _dangling(folder: Path) -> Path:
    path = folder / "link.txt"
    path.symlink_to(folder / "gone.txt")
    return path


@case("a scanned PDF")
def _scan(folder: Path) -> Path:
    from reportlab.pdfgen import canvas

    path = folder / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(50, 50, 400, 600, fill=1)
    page.save()
    return path


FILE_WORDS = {
    "UTF-16 with a lone surrogate": "UTF-16",
    "a folder": "folder",
    "a missing file": "no such file",
    "a dangling link": "no such file",
    "a scanned PDF": "no text layer",
}


@pytest.mark.parametrize("name", FILE_CASES)
def test_unreadable_inputs_are_refused(store: Path, tmp_path: Path, name: str) -> None:
    path = FILE_CASES[name](tmp_path)
    before = dump(store)
    assert_refused(
        run(store, "ingest", str(path), "--issuer", "青石县司法局", "--year", "2024"), FILE_WORDS[name]
    )
    assert dump(store) == before


def test_a_full_disk_during_ingest(store: Path) -> None:
    """Files may grow to 1 MB only (RLIMIT_FSIZE, as a full disk does): opening the store works, writing
    the bigger report's log does not — the command says so in one line and the store keeps what it had."""
    before = dump(store)

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so that write() fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    done = run(store, "ingest", str(BIG), preexec=small_files)
    assert_refused(done, BIG.name, "File too large")
    assert dump(store) == before


def test_a_full_disk_under_stdout() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*rolkg_command(), "extract", str(COUNTY), "--issuer", "青石县司法局", "--year", "2024"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert_refused(done, "No space left on device")


# ---- addresses -----------------------------------------------------------------------------------------


URL_CASES: dict[str, tuple[dict[str, object], list[str]]] = {
    "404": ({"status": 404}, ["HTTP 404"]),
    "500": ({"status": 500}, ["HTTP 500"]),
    "announced too big": ({"length": 60 << 20}, ["50 MB download limit"]),
    "streamed too big": ({"body": b"x" * (1 << 20), "chunks": 52}, ["50 MB download limit"]),
    "stalled": ({"body": b"<html></html>", "delay": 4.0}, ["timeout"]),
}


@pytest.mark.parametrize("name", URL_CASES)
def test_address_errors_are_refused(store: Path, web_server, name: str) -> None:
    answer, words = URL_CASES[name]
    url = web_server.route("/art/report.html", **answer)
    before = dump(store)
    done = run(store, "ingest", url, "--issuer", "青石县司法局", env={"ROLKG_FETCH_TIMEOUT": "1"})
    assert_refused(done, url, *words)
    assert dump(store) == before


def test_a_refused_connection(store: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    before = dump(store)
    assert_refused(run(store, "ingest", f"http://127.0.0.1:{port}/report.html"), "cannot connect", "refused")
    assert dump(store) == before


def test_a_bad_timeout_setting(store: Path) -> None:
    done = run(store, "ingest", "http://127.0.0.1:9/r.html", env={"ROLKG_FETCH_TIMEOUT": "soon"})
    assert_refused(done, "ROLKG_FETCH_TIMEOUT")
