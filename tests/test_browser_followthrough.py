"""The plan follow-through and adoption pages in headless Chromium, on the fixture series and two
bundled reports of one city: they render from the server alone, filter, link, and escape report text."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file
from rolkg.graph.model import ReportMeta
from rolkg.graph.store import EmbeddedStore, load_ontology

pytestmark = pytest.mark.browser
SERIES = Path(__file__).parent / "fixtures" / "series"
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, serve_app) -> Iterator[str]:
    from rolkg.api.app import create_app

    from rolkg.config import Settings

    path = tmp_path_factory.mktemp("followthrough") / "store"
    with EmbeddedStore(path) as store:
        load_ontology(store)
        with (SERIES / "series.tsv").open(encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                meta = ReportMeta(
                    title=r["title"], issuer=r["issuer"], jurisdiction=r["jurisdiction"], year=int(r["year"])
                )
                ingest_file(SERIES / r["file"], meta, store, check=False)
        for name in ("cixi-sfj-2024.txt", "fenghua-sfj-2024.txt"):
            ingest_file(REPORTS_DIR / name, None, store, check=False)
    with serve_app(create_app(Settings(store_path=path), workers=1)) as url:
        yield url


@pytest.fixture(scope="module")
def page(chromium):
    """A page of the session's Chromium (conftest), recording requests and errors."""
    context = chromium.new_context(viewport={"width": 1300, "height": 900})
    pg = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.requests, pg.errors = requests, errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def _only_local(page, base: str) -> None:
    host = urlparse(base).netloc
    outside = [u for u in page.requests if urlparse(u).netloc not in (host, "") and not u.startswith("data:")]
    assert not outside, outside
    assert not page.errors, page.errors


def test_plans_page_filters_by_place_and_status(page, base: str) -> None:
    page.goto(f"{base}/viz/plans")
    page.fill("input[name=place]", "吴江")
    page.select_option("select[name=status]", "not-found")
    page.click("form.search-form button[type=submit]")
    page.wait_for_selector("#plans tbody tr")
    rows = page.locator("#plans tbody tr")
    assert rows.count() >= 2
    statuses = {rows.nth(i).get_attribute("data-status") for i in range(rows.count())}
    assert statuses == {"not-found"}
    assert "法治体检" in page.inner_text("#plans")
    assert "吴江" in page.input_value("input[name=place]")
    page.goto(f"{base}/viz/plans?place=吴江&year=2023")
    carried = page.locator("#plans tbody tr[data-status=carried-out]").first
    link = carried.locator("td:nth-child(5) a").first
    assert "观察站" in page.inner_text("#plans") and link.count() == 1
    href = link.get_attribute("href") or ""
    assert href.startswith("/id/initiative/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "plans.png"), full_page=True)
    page.goto(f"{base}{href}")
    assert page.title()
    _only_local(page, base)


def test_adoption_page_lists_places_first_years_and_evidence(page, base: str) -> None:
    page.goto(f"{base}/viz/kinds")
    page.click("text=新时代法治实践站")
    page.wait_for_selector("#adoption")
    table = page.inner_text("#adoption")
    for place in ("吴江区", "慈溪市", "奉化区", "昆山市"):
        assert place in table
    first_years = page.locator("#adoption tbody tr td:nth-child(2)").all_inner_texts()
    assert first_years == sorted(first_years) and first_years[0] == "2023"
    dots = page.locator("#adoption-timeline circle")
    assert dots.count() >= 5  # Wujiang twice, Cixi, Fenghua, Kunshan
    assert page.locator("#adoption blockquote.evidence").count() >= 5
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "adoption.png"), full_page=True)
    _only_local(page, base)


def test_text_is_escaped(page, base: str) -> None:
    page.goto(f"{base}/viz/plans?place=" + "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert page.locator("#plans img").count() == 0
    assert "<img" in page.input_value("input[name=place]")
