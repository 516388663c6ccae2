"""Shared fixtures: real stores in temporary folders and a real Oxigraph server on a free loopback port.

Keep this file to fixtures several test modules use; module-only fixtures belong in their module.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from rolkg.graph.store import EmbeddedStore, RemoteStore


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A fresh directory for an embedded store (not yet created)."""
    return tmp_path / "store"


@pytest.fixture
def embedded(store_path: Path) -> Iterator[EmbeddedStore]:
    """An empty embedded pyoxigraph store on disk, closed after the test."""
    store = EmbeddedStore(store_path)
    yield store
    store.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class OxigraphServer:
    """A running ``oxigraph serve`` process and its SPARQL Protocol URLs."""

    base: str
    process: subprocess.Popen[bytes]

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    def clear(self) -> None:
        """Empty the server's dataset (between tests that share the server)."""
        httpx.post(self.update_url, data={"update": "DROP ALL"}, timeout=10).raise_for_status()


def start_oxigraph(location: Path, *extra: str) -> OxigraphServer:
    """Start ``oxigraph serve`` with the union default graph on a free port and wait until it answers."""
    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.fail("the `oxigraph` server command is missing: python3 -m pip install -e '.[test]'")
    port = free_port()
    cmd = [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = subprocess.Popen([*cmd, *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            pytest.fail(f"oxigraph serve exited with {process.returncode}: {err}")
        try:
            httpx.post(f"{base}/query", data={"query": "ASK {}"}, timeout=1).raise_for_status()
            return OxigraphServer(base, process)
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    pytest.fail("oxigraph serve did not answer within 20 s")


def stop_oxigraph(server: OxigraphServer) -> None:
    """Stop the server process (this one process, by its handle)."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One real Oxigraph server for the session (``--union-default-graph``). Tests must not assume it is
    empty: call ``oxigraph_server.clear()`` first, or use graph names of their own."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    stop_oxigraph(server)


@pytest.fixture
def remote(oxigraph_server: OxigraphServer) -> Iterator[RemoteStore]:
    """A :class:`RemoteStore` on the session's Oxigraph server, emptied before the test."""
    oxigraph_server.clear()
    store = RemoteStore(oxigraph_server.query_url, oxigraph_server.update_url)
    yield store
    store.close()


@pytest.fixture
def start_oxigraph_server(tmp_path: Path) -> Iterator[Callable[..., OxigraphServer]]:
    """A function that starts an extra Oxigraph server (extra CLI flags as arguments); all are stopped after."""
    started: list[OxigraphServer] = []

    def start(*extra: str) -> OxigraphServer:
        server = start_oxigraph(tmp_path / f"oxigraph-{len(started)}", *extra)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_oxigraph(server)


# ---- API fixtures: stores holding tests/fixtures/api/mini.trig (or the extracted bundled report) -------

API_FIXTURE = Path(__file__).parent / "fixtures" / "api" / "mini.trig"


def load_api_data(backend: object, source: str = "fixture") -> None:
    """Fill ``backend`` with the ontology and either the hand-made fixture or the extracted cixi-sfj-2024."""
    from rdflib import Dataset
    from rolkg.graph.store import load_ontology

    load_ontology(backend)  # type: ignore[arg-type]
    if source == "fixture":
        dataset = Dataset()
        dataset.parse(API_FIXTURE, format="trig")
        for graph in dataset.graphs():
            if len(graph) and isinstance(graph.identifier, str) and graph.identifier.startswith("https://"):
                backend.replace_graph(graph.identifier, graph)  # type: ignore[attr-defined]
        return
    from rolkg.data import REPORTS_DIR
    from rolkg.graph.ingest import resolve_meta
    from rolkg.graph.pipeline import extract_report

    path = REPORTS_DIR / "cixi-sfj-2024.txt"
    extracted = extract_report(path.read_text(encoding="utf-8"), resolve_meta(path))
    backend.replace_graph(extracted.graph_name, extracted.graph)  # type: ignore[attr-defined]


VIRTUOSO = "/usr/bin/virtuoso-t"
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@dataclass(frozen=True)
class VirtuosoServer:
    """A running Virtuoso 7.2 (``virtuoso-t``) on loopback with a scratch database; SPARQL at /sparql."""

    base: str
    sql_port: int
    process: subprocess.Popen[bytes]

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    update_url = query_url  # Virtuoso takes updates at the same URL (once SPARQL_UPDATE is granted)


def _ini_set(text: str, values: dict[tuple[str, str], str]) -> str:
    """``text`` (an .ini file) with ``(section, key)`` set to each value (added to its section if absent)."""

    def lines() -> Iterator[tuple[str, str, str]]:  # (section, key or "", line)
        section = ""
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith("[") and stripped.endswith("]"):
                section = stripped[1:-1]
            is_key = "=" in stripped and not stripped.startswith(";")
            yield section, stripped.split("=", 1)[0].strip() if is_key else "", line

    present = {(s, k) for s, k, _ in lines() if k}
    out = []
    for section, key, line in lines():
        if (section, key) in values:
            line = f"{key} = {values[(section, key)]}"
        out.append(line)
        if not key and line.strip() == f"[{section}]":
            out.extend(f"{k} = {v}" for (s, k), v in values.items() if s == section and (s, k) not in present)
    return "\n".join(out) + "\n"


def start_virtuoso(folder: Path) -> VirtuosoServer:
    """Start Debian's Virtuoso on two free loopback ports with its database in ``folder``; allow updates."""
    if not Path(VIRTUOSO).is_file() or not VIRTUOSO_INI.is_file():
        pytest.fail("Virtuoso is missing: apt-get install -y virtuoso-opensource (see .ci/run)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = _ini_set(
        VIRTUOSO_INI.read_text(),
        {
            ("Database", "DatabaseFile"): str(folder / "virtuoso.db"),
            # without this every Virtuoso on the machine locks the same file in /var/lib
            ("Database", "LockFile"): str(folder / "virtuoso.lck"),
            ("Database", "ErrorLogFile"): str(folder / "virtuoso.log"),
            ("Database", "TransactionFile"): str(folder / "virtuoso.trx"),
            ("Database", "xa_persistent_file"): str(folder / "virtuoso.pxa"),
            ("TempDatabase", "DatabaseFile"): str(folder / "virtuoso-temp.db"),
            ("TempDatabase", "TransactionFile"): str(folder / "virtuoso-temp.trx"),
            ("Parameters", "ServerPort"): f"127.0.0.1:{sql_port}",
            ("Parameters", "DirsAllowed"): f"., {folder}",
            ("HTTPServer", "ServerPort"): f"127.0.0.1:{http_port}",
        },
    )
    (folder / "virtuoso.ini").write_text(ini)
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + 120  # a new database takes ~25 s on a quiet machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
            pytest.fail(f"virtuoso-t exited with {process.returncode}: {log}")
        try:
            httpx.post(f"{base}/sparql", data={"query": "ASK {}"}, timeout=2).raise_for_status()
            break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("Virtuoso did not answer within 120 s")
    grant = subprocess.run(
        ["isql-vt", str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert grant.returncode == 0 and "Error" not in grant.stdout, grant.stdout + grant.stderr
    return VirtuosoServer(base, sql_port, process)


def stop_virtuoso(server: VirtuosoServer) -> None:
    """Stop this one Virtuoso process, by its handle."""
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One real Virtuoso for the session (its default graph is the union of all graphs). Tests must not
    assume it is empty: use graph names of their own."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    stop_virtuoso(server)


class ApiStores:
    """Filled stores for the API tests, each built on first use: ``stores["remote-fixture"]`` → Settings.

    Keys are ``{backend}-{source}``: backend ``embedded`` (a directory, closed after filling so the app
    opens it read-only), ``remote`` (an Oxigraph server of its own, so tests clearing the shared server
    cannot empty it) or ``virtuoso`` (a Virtuoso of its own); source ``fixture`` (mini.trig) or
    ``extracted`` (cixi-sfj-2024 as extracted).
    """

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._made: dict[str, object] = {}
        self._stop: list[Callable[[], None]] = []

    def __contains__(self, key: str) -> bool:
        return key in self._made

    def __getitem__(self, key: str) -> object:
        if key not in self._made:
            backend, _, source = key.partition("-")
            self._made[key] = self._build(backend, source)
        return self._made[key]

    def _build(self, backend: str, source: str) -> object:
        from rolkg.config import Settings

        if backend == "embedded":
            path = self._factory.mktemp(f"api-{source}") / "store"
            with EmbeddedStore(path) as store:
                load_api_data(store, source)
            return Settings(store_path=path, query_timeout=3.0, max_rows=50)
        if backend == "remote":
            # The server's own timeout stops the work a killed worker leaves behind (as a deployment should).
            server = start_oxigraph(self._factory.mktemp(f"api-oxigraph-{source}"), "--timeout-s", "5")
            self._stop.append(lambda: stop_oxigraph(server))
            query_url, update_url = server.query_url, server.update_url
        elif backend == "virtuoso":
            virtuoso = start_virtuoso(self._factory.mktemp(f"api-virtuoso-{source}"))
            self._stop.append(lambda: stop_virtuoso(virtuoso))
            query_url, update_url = virtuoso.query_url, virtuoso.update_url
        else:
            raise KeyError(backend)
        with RemoteStore(query_url, update_url) as remote_store:
            load_api_data(remote_store, source)
        # Virtuoso compiles each query to SQL first, which on 2 loaded cores can take seconds on its own
        timeout = 10.0 if backend == "virtuoso" else 3.0
        return Settings(endpoint=query_url, update_endpoint=update_url, query_timeout=timeout, max_rows=50)

    def close(self) -> None:
        for stop in self._stop:
            stop()


API_BACKENDS = ["embedded", "remote", "virtuoso"]  # the API suites run on each


@pytest.fixture(scope="session")
def api_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiStores]:
    """The filled API stores (see :class:`ApiStores`), started lazily and stopped after the session."""
    stores = ApiStores(tmp_path_factory)
    yield stores
    stores.close()


@contextmanager
def _served(app: object, timeout: float = 30) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free loopback port in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="session")
def serve_app() -> Callable[..., object]:
    """``with serve_app(app) as base_url:`` — the app served for real HTTP clients and browsers."""
    return _served


# ---- pages: the full app over the extracted bundled report, and one Chromium for the session ----------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def extracted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the full app (API + pages) over the real extraction of cixi-sfj-2024, on loopback."""
    from rolkg.api.app import create_app

    from rolkg.config import Settings

    path = tmp_path_factory.mktemp("site") / "store"
    with EmbeddedStore(path) as store:
        load_api_data(store, "extracted")
    app = create_app(Settings(store_path=path), workers=1)
    with _served(app) as base:
        yield base


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


# ---- one genre report in every published form, and a loopback web server --------------------------

INPUTS_FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
COUNTY_REPORT = INPUTS_FIXTURES / "county-sfj-2024.txt"


def report_as_html(text: str, published: str = "2025-03-12") -> bytes:
    """A saved government page holding ``text``: menus, breadcrumb, 索引号 table, share bar and footer
    around the article, the title as the heading and as metadata."""
    import html

    title, *paragraphs = text.splitlines()
    body = "\n".join(f"<p>\u3000\u3000{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}_县人民政府门户网站</title>
<meta name="ArticleTitle" content="{html.escape(title)}"><meta name="PubDate" content="{published} 09:30">
</head><body>
<div class="top"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/bs/">办事服务</a> <a href="/hd/">互动交流</a></div>
<div class="crumb">当前位置:<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 法治政府建设</div>
<table class="xxgk"><tr><td>索引号:</td><td>360000/2025-00042</td><td>发布机构:</td><td>县司法局</td></tr>
<tr><td>发布日期:</td><td>{published}</td><td>文号:</td><td></td></tr></table>
<div class="article"><h1>{html.escape(title)}</h1>
<div class="info">发布时间:{published} 字体:【大】【中】【小】 打印本页</div>
<div class="content">{body}</div></div>
<div class="share">分享到:<a href="#">微信</a> <a href="#">微博</a></div>
<div class="footer">主办单位:县人民政府办公室 网站标识码:3600000001 备案号:赣ICP备00000000号</div>
</body></html>""".encode()


def report_as_pdf(text: str) -> bytes:
    """``text`` typeset as an official document: CJK CID font, first-line indents, centred title, page
    numbers in the footer; long enough to run over a page break."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=14, leading=26, firstLineIndent=28, wordWrap="CJK"
    )
    head = ParagraphStyle(
        "title", fontName="STSong-Light", fontSize=20, leading=34, alignment=1, wordWrap="CJK", spaceAfter=12
    )
    title, *paragraphs = text.splitlines()

    def footer(canvas: object, doc: object) -> None:
        canvas.setFont("STSong-Light", 10)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")  # type: ignore[attr-defined]

    buffer = io.BytesIO()
    story = [Paragraph(title, head)] + [Paragraph(p, body) for p in paragraphs]
    SimpleDocTemplate(buffer, pagesize=A4).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def report_as_docx(text: str) -> bytes:
    """``text`` as a Word file: a centred title paragraph, then one paragraph per line."""
    import io

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    title, *paragraphs = text.splitlines()
    document.add_paragraph(title).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for paragraph in paragraphs:
        document.add_paragraph(paragraph).paragraph_format.first_line_indent = docx.shared.Pt(28)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def report_forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The county report as ``.txt``, ``.html``, ``.pdf`` and ``.docx`` files, made from the one text."""
    folder = tmp_path_factory.mktemp("forms")
    text = COUNTY_REPORT.read_text(encoding="utf-8")
    made = {
        "txt": COUNTY_REPORT.read_bytes(),
        "html": report_as_html(text),
        "pdf": report_as_pdf(text),
        "docx": report_as_docx(text),
    }
    paths: dict[str, Path] = {}
    for kind, data in made.items():
        paths[kind] = folder / f"county-sfj-2024.{kind}"
        paths[kind].write_bytes(data)
    return paths


@dataclass
class Route:
    """What the loopback web server answers on one path."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0  # seconds to wait before answering (a stalled server)
    length: int | None = None  # Content-Length to announce (None: the body's)
    chunks: int = 0  # when > 0, send the body this many times without a Content-Length
    location: str | None = None  # a Location header (for redirects)


@dataclass
class WebServer:
    """A loopback web server's address and what it answers: ``server.route("/a.html", body, ...)``."""

    base: str
    routes: dict[str, Route]

    def route(self, path: str, body: bytes = b"", **answer: object) -> str:
        """Serve ``body`` (and the :class:`Route` fields given) at ``path``; returns the full address."""
        self.routes[path] = Route(body, **answer)  # type: ignore[arg-type]
        return self.base + path


@pytest.fixture
def web_server() -> Iterator[WebServer]:
    """A real HTTP server on 127.0.0.1 answering from routes the test adds; unknown paths are 404."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    routes: dict[str, Route] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            route = routes.get(self.path.split("?")[0])
            if route is None:
                route = Route(b"<html><body>404 Not Found</body></html>", status=404)
            time.sleep(route.delay)
            try:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.location:
                    self.send_header("Location", route.location)
                if route.chunks:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for _ in range(route.chunks):
                        self.wfile.write(route.body)
                    return
                length = route.length if route.length is not None else len(route.body)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should on a too-large body

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield WebServer(f"http://127.0.0.1:{server.server_address[1]}", routes)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def make_form() -> dict[str, Callable[[str], bytes]]:
    """Functions turning a report text into a saved page, a PDF or a Word file: ``make_form["pdf"](text)``."""
    return {"html": report_as_html, "pdf": report_as_pdf, "docx": report_as_docx}
