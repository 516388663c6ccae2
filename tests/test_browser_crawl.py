"""Every link resolves: a crawl of every page reachable from home, and Chromium on one page of each kind.

The app is the full one (API + pages) over the real extraction of the bundled complete report, served by
uvicorn on a loopback port. The HTTP crawl follows every same-origin ``href``/``src`` as a browser asks
for it (``Accept: text/html``); Chromium then opens one page per route shape and one entity page per
class and watches for console errors, failed responses and requests to any other host.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

import httpx
import pytest

from tests.browser import SHOTS, watched

pytestmark = pytest.mark.browser
MAX_PAGES = 3000


@pytest.fixture(scope="module")
def site(extracted_site: str) -> str:
    return extracted_site


@pytest.fixture(scope="module")
def crawled(site: str) -> tuple[dict[str, int], dict[str, str]]:
    return crawl(site)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in {"href", "src"} and value and not value.startswith(("data:", "mailto:", "#")):
                self.links.append(value)


def crawl(base: str) -> tuple[dict[str, int], dict[str, str]]:
    """Status of every same-origin URL reachable from ``/``, and for each the page that first linked it."""
    host = urlparse(base).netloc
    status: dict[str, int] = {}
    linked_from: dict[str, str] = {}
    queue = [base + "/"]
    with httpx.Client(headers={"Accept": "text/html"}, timeout=30) as client:
        while queue and len(status) < MAX_PAGES:
            url = queue.pop()
            if url in status:
                continue
            resp = client.get(url)
            status[url] = resp.status_code
            if resp.status_code >= 400 or "text/html" not in resp.headers.get("content-type", ""):
                continue
            parser = _Links()
            parser.feed(resp.text)
            for link in parser.links:
                target = urldefrag(urljoin(url, link))[0]
                parsed = urlparse(target)
                if parsed.query.count("&") >= 1:
                    continue  # combinations of filters and sorts: same pages, one parameter at a time is enough
                if parsed.netloc == host and target not in status:
                    linked_from.setdefault(target, url)
                    queue.append(target)
    return status, linked_from


def shape(url: str) -> str:
    """The route a URL belongs to: slugs and query values collapsed (one Chromium visit per shape)."""
    parsed = urlparse(url)
    path = re.sub(r"/id/([a-z]+)/[^/?]+", r"/id/\1/_", parsed.path)
    path = re.sub(r"/viz/(entity|lineage|id)/([a-z]+)/[^/?]+", r"/viz/\1/\2/_", path)
    path = re.sub(r"/list/([A-Za-z]+)", r"/list/\1", path)
    path = re.sub(r"/viz/(indicators|kinds)/[^/?]+", r"/viz/\1/_", path)
    keys = sorted({k.split("=")[0] for k in parsed.query.split("&") if k})
    return path + ("?" + "&".join(keys) if keys else "")


def test_every_link_from_home_resolves(crawled) -> None:
    status, linked_from = crawled
    assert len(status) > 150, f"the crawl found only {len(status)} URLs"
    broken = {u: s for u, s in status.items() if s >= 400}
    assert broken == {}, {u: (s, linked_from.get(u)) for u, s in list(broken.items())[:20]}
    kinds = {m.group(1) for u in status if (m := re.search(r"/id/([a-z]+)/", u))}
    # One entity page of every kind the report yields is reachable from home.
    assert {"report", "initiative", "body", "document", "facility", "metric", "evidence", "theme"} <= kinds


def test_unknown_iri_gets_an_html_404_for_browsers_and_json_for_clients(site: str) -> None:
    page = httpx.get(site + "/id/initiative/no-such-thing", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "未找到" in page.text
    api = httpx.get(site + "/id/initiative/no-such-thing", headers={"Accept": "text/turtle"})
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")
    missing = httpx.get(site + "/viz/entity/metric/nope", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "<html" in missing.text.lower()
    assert httpx.get(site + "/api/bodies/nope").json()["detail"]


def test_extension_urls_give_the_format_they_name(site: str, crawled) -> None:
    status, _ = crawled
    entity = next(u for u in status if "/id/body/" in u)
    turtle = httpx.get(entity + ".ttl", headers={"Accept": "text/html"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert "rol:Body" in turtle.text or "ontology#Body" in turtle.text
    jsonld = httpx.get(entity + ".jsonld")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert httpx.get(entity + ".exe").status_code == 404


def html_pages(status: dict[str, int]) -> dict[str, str]:
    """One crawled HTML page per route shape."""
    pages: dict[str, str] = {}
    for url, code in sorted(status.items()):
        path = urlparse(url).path
        data = re.search(r"\.(js|css|png|svg|ico|json|jsonld|ttl|nt|rdf|csv|trig|nq)$", path)
        if code == 200 and not data and not path.startswith("/dumps/"):
            pages.setdefault(shape(url), url)
    return pages


def test_one_page_of_each_shape_is_clean_in_chromium(crawled, chromium) -> None:
    status, _ = crawled
    pages = html_pages(status)
    assert any("/id/report/" in u for u in pages.values())
    context, pg, watch = watched(chromium)
    panel_links: set[str] = set()
    try:
        for url in (u for _, u in sorted(pages.items())):
            pg.goto(url, wait_until="load")
            pg.wait_for_timeout(150)
            if pg.evaluate("typeof window.rolkgFocus === 'function'"):
                # The side panel's links (built by script, so the HTTP crawl cannot see them).
                ids = pg.evaluate("window.rolkgNetwork.body.data.nodes.getIds().slice(0, 3)")
                for node in ids:
                    pg.evaluate("id => window.rolkgFocus(id)", node)
                    panel_links.update(pg.eval_on_selector_all("#panel-links a", "as => as.map(a => a.href)"))
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / "crawl-last.png"))
    finally:
        context.close()
    assert watch.errors == [], watch.errors[:10]
    assert watch.foreign() == [], watch.foreign()[:10]
    assert panel_links, "no side-panel links were seen"
    with httpx.Client(headers={"Accept": "text/html"}) as client:
        dead = {u: c for u in sorted(panel_links) if (c := client.get(u).status_code) >= 400}
    assert dead == {}, dead


def test_no_page_of_any_shape_scrolls_sideways_at_390px(crawled, chromium) -> None:
    status, _ = crawled
    pages = html_pages(status)
    assert {"/", "/viz/indicators/_", "/viz/kinds/_", "/viz/plans", "/list/Metric"} <= set(pages)
    context, pg, watch = watched(chromium, width=390, height=844)
    wide: dict[str, int] = {}
    try:
        for url in sorted(pages.values()):
            pg.goto(url, wait_until="load")
            width = pg.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[url] = width
    finally:
        context.close()
    assert wide == {}, wide
    assert watch.foreign() == []


def test_docs_page_loads_nothing_from_outside(site: str, chromium) -> None:
    context, pg, watch = watched(chromium)
    try:
        pg.goto(site + "/docs", wait_until="networkidle")
        pg.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    finally:
        context.close()
    assert watch.foreign() == [] and watch.errors == [], (watch.foreign(), watch.errors)
