"""The indicator pages in headless Chromium: a place's series as an SVG chart, the table with the words
of each figure, the CSV download and the figure checks; nothing loaded from outside the server, and
report text shown as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from rolkg.graph.ingest import ingest_text
from rolkg.graph.model import ReportMeta
from rolkg.graph.report_place import place_of
from rolkg.graph.store import EmbeddedStore

from tests.test_api_indicators import fill

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A county whose place label carries markup (as curation or a remote store could give it): legend, options
# and table must show it as text, never run it. Places come from the gazetteer, so the label is set after.
HOSTILE = "吴中区司法局2023年法治政府建设工作报告\n\n一、主要工作\n\n(一)强化行政复议。一是规范办案。全区行政复议发案量77件。\n"
HOSTILE_PLACE = "江苏省苏州市吴中区"
HOSTILE_LABEL = "<img src=x onerror=window.pwned=1>县"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, serve_app) -> Iterator[str]:
    from rolkg.api.app import create_app

    from rolkg.config import Settings

    path = tmp_path_factory.mktemp("ind-browser") / "store"
    with EmbeddedStore(path) as store:
        fill(store)
        meta = ReportMeta(
            title="吴中区司法局2023年法治政府建设工作报告",
            issuer="苏州市吴中区司法局",
            jurisdiction=HOSTILE_PLACE,
            year=2023,
        )
        ingest_text(HOSTILE, meta, store, check=False)
        county = place_of(HOSTILE_PLACE)
        label = "http://www.w3.org/2000/01/rdf-schema#label"
        store._store.update(
            f"DELETE {{ GRAPH ?g {{ <{county}> <{label}> ?l }} }} WHERE {{ GRAPH ?g {{ <{county}> <{label}> ?l }} }} ;"
            f' INSERT DATA {{ GRAPH <https://w3id.org/rolkg/graph/curation> {{ <{county}> <{label}> "{HOSTILE_LABEL}"@zh }} }}'
        )
    with serve_app(create_app(Settings(store_path=path), workers=1)) as url:
        yield url


@pytest.fixture(scope="module")
def page(base: str, chromium):
    # The session's one Chromium (tests/conftest.py): a second sync_playwright() in a process that already
    # runs one fails ("Sync API inside the asyncio loop").
    context = chromium.new_context(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.requests, pg.errors = requests, errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def _outside(page) -> list[str]:
    return [u for u in page.requests if urlparse(u).hostname != "127.0.0.1" and not u.startswith("data:")]


def test_indicator_page_shows_the_series_of_every_place_of_a_city(page, base: str) -> None:
    page.goto(f"{base}/viz/indicators")
    page.click("text=行政复议收案数")
    assert page.url.endswith("/viz/indicators/admin-reconsideration-received")
    page.select_option("select[name=within]", label="苏州市")
    page.click("button[type=submit]")
    assert "within=320500" in page.url
    lines = page.locator("svg.chart g.series")
    assert lines.count() == 3  # 昆山市, 常熟市 and the hostile county
    assert (
        page.locator("svg.chart g.series polyline").count() == 2
    )  # the county has one year: a point, no line
    assert page.locator("svg.chart circle").count() == 6
    legend = page.locator("svg.chart").text_content()
    assert "昆山市" in legend and "常熟市" in legend
    cells = page.locator("table.series tbody tr").all_inner_texts()
    assert len(cells) == 6 and any("540件" in c for c in cells)
    assert any("不一致 inconsistent" in r for r in page.locator("table.checks tbody tr").all_inner_texts())
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "indicator-series.png"), full_page=True)
    assert page.errors == [] and _outside(page) == []


def test_csv_download_matches_the_table(page, base: str) -> None:
    page.goto(f"{base}/viz/indicators/admin-reconsideration-received?within=320500")
    with page.expect_download() as info:
        page.click("a.csv")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == page.locator("table.series tbody tr").count() == 6
    assert {r["place_label"] for r in rows} == {"昆山市", "常熟市", "<img src=x onerror=window.pwned=1>县"}


def test_report_text_is_shown_as_text(page, base: str) -> None:
    slug = str(place_of(HOSTILE_PLACE)).rsplit("/", 1)[-1]
    page.goto(f"{base}/viz/indicators/admin-reconsideration-received?place={slug}")
    assert page.locator("table.series tbody tr").count() == 1
    assert "<img src=x" in page.locator("table.series tbody").inner_text()
    assert "<img src=x" in page.locator("svg.chart").text_content()
    assert page.locator("img").count() == 0
    assert page.evaluate("window.pwned === undefined")
    assert page.errors == []


def test_unknown_indicator_is_a_plain_404(base: str) -> None:
    response = httpx.get(f"{base}/viz/indicators/no-such-indicator", timeout=30)
    assert response.status_code == 404 and "Not found" in response.text
