"""The zh/en switch: remembered in a cookie, it changes page furniture, class and property names (ontology
labels) and data labels where English exists; the default shows Chinese with English alongside."""

from __future__ import annotations

import re

import httpx
import pytest
from rolkg.graph.classes import registry, term_labels

from tests.browser import watched


@pytest.fixture(scope="module")
def site(extracted_site: str) -> str:
    return extracted_site


def test_switch_to_english_and_back(site: str, chromium) -> None:
    initiative = httpx.get(site + "/api/initiatives", params={"limit": 1}).json()["items"][0]["id"]
    lead = term_labels()["https://w3id.org/rolkg/ontology#leadBody"]
    body = registry().get("Body")
    context, pg, watch = watched(chromium)
    try:
        pg.goto(site + "/list/Body?year=2024")
        assert pg.locator("#list-title").inner_text().startswith(f"{body.zh} {body.en}")
        pg.click("#lang-switch")
        pg.wait_for_selector("#list")
        assert pg.url.endswith("/list/Body?year=2024")  # back on the same page
        assert pg.evaluate("document.documentElement.lang") == "en"
        assert pg.locator("#list-title").inner_text().startswith(body.en)
        assert body.zh not in pg.locator("#list-title").inner_text()
        assert pg.locator("header nav a").first.inner_text() == "Overview"
        assert any(c["name"] == "rolkg_lang" and c["value"] == "en" for c in context.cookies())
        pg.goto(f"{site}/id/initiative/{initiative}")  # remembered across pages
        props = pg.locator("#props td:first-child").all_inner_texts()
        assert lead[1] in props and lead[0] not in " ".join(props)
        pg.goto(site + "/")
        assert pg.locator(".card[data-cls=Facility] h3").inner_text() == registry().get("Facility").en
        pg.click("#lang-switch")
        pg.wait_for_selector("#class-counts")
        assert pg.evaluate("document.documentElement.lang") == "zh"
        assert pg.locator("header nav a").first.inner_text() == "网络总览 Overview"
        pg.goto(f"{site}/id/initiative/{initiative}")
        assert f"{lead[0]} {lead[1]}" in pg.locator("#props").inner_text()
    finally:
        context.close()
    watch.clean()


def test_unknown_language_is_a_404_and_only_local_pages_are_returned_to(site: str) -> None:
    assert httpx.get(site + "/lang/fr").status_code == 404
    away = httpx.get(site + "/lang/en", headers={"Referer": "https://evil.example/x"})
    assert away.status_code == 303 and away.headers["location"] == "/"


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_english_pages_have_english_furniture(site: str, chromium) -> None:
    """Headings, table heads, buttons and tools of every kind of page read in English alone."""
    indicator = httpx.get(site + "/api/indicators").json()[0]["id"]
    kind = httpx.get(site + "/api/kinds").json()[0]["id"]
    pages = {
        "/": "main h2, main th, main button",
        "/list/Initiative": "main h2, main th, main button, .list-tools, .pager",
        "/viz/search?q=%E5%90%88%E8%A7%84": "main button, #hits .hit-class",
        f"/viz/indicators/{indicator}": "main h2, main th, main button, .csv",
        "/viz/indicators": "main h1, main th",
        "/viz/kinds": "main h1, main th",
        f"/viz/kinds/{kind}": "main th, #adoption-summary",
        "/viz/plans": "main h1, main th, main button",
        "/id/report/cixishisifaju-2024": "#report-meta dt, #toc h2, #legend legend",
        "/id/initiative/no-such-thing": "main h1",
    }
    context, pg, watch = watched(chromium)
    context.add_cookies([{"name": "rolkg_lang", "value": "en", "url": site}])
    chinese = {}
    try:
        for path, selector in pages.items():
            pg.goto(site + path)
            texts = pg.locator(selector).all_inner_texts()
            assert texts, (path, selector)
            if found := [x for x in texts if CJK.search(x)]:
                chinese[path] = found[:5]
        pg.goto(site + "/list/Theme")  # data labels too, where English exists (every theme has one)
        themes = pg.locator("#list tbody td:first-child").all_inner_texts()
        assert themes and [x for x in themes if CJK.search(x)] == []
    finally:
        context.close()
    assert chinese == {}
    assert [e for e in watch.errors if "404" not in e] == [] and watch.foreign() == []
