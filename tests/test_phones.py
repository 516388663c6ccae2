"""Every kind of page at 390 px in Chromium: no sideways scroll; the network canvas spans the screen and
its side panel is stacked under it."""

from __future__ import annotations

import httpx
import pytest

from tests.browser import shoot, watched

WIDTH = 390


@pytest.fixture(scope="module")
def site(extracted_site: str) -> str:
    return extracted_site


def _pages(site: str) -> list[str]:
    facility = httpx.get(site + "/api/facilities").json()["items"][0]["id"]
    initiative = httpx.get(site + "/api/initiatives", params={"limit": 1}).json()["items"][0]["id"]
    return [
        "/",
        "/viz/overview",
        "/viz/connect",
        f"/viz/lineage/initiative/{initiative}",
        f"/id/facility/{facility}",
        f"/id/initiative/{initiative}",
        "/id/report/cixishisifaju-2024",
        "/list/Metric",
        "/viz/search?q=%E5%90%88%E8%A7%84",
        "/sparql",
        "/id/initiative/no-such-thing",
    ]


def test_no_page_scrolls_sideways_at_390px(site: str, chromium) -> None:
    context, pg, watch = watched(chromium, width=WIDTH, height=844)
    wide = {}
    try:
        for path in _pages(site):
            pg.goto(site + path, wait_until="load")
            pg.wait_for_timeout(300)
            width = pg.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                wide[path] = width
            shoot(pg, "phone-" + (path.strip("/").replace("/", "-").split("?")[0] or "home"))
    finally:
        context.close()
    assert wide == {}
    assert [e for e in watch.errors if not e.startswith("404 ") and "404" not in e] == []
    assert watch.foreign() == []


def test_network_canvas_is_full_width_with_the_panel_below(site: str, chromium) -> None:
    context, pg, watch = watched(chromium, width=WIDTH, height=844)
    try:
        pg.goto(site + "/viz/overview")
        while pg.evaluate("document.documentElement.dataset.ready") is None:
            pg.wait_for_timeout(50)
        canvas = pg.locator("#network").bounding_box()
        assert canvas["width"] >= WIDTH - 20 and canvas["height"] >= 300
        node = pg.evaluate("window.rolkgNetwork.body.data.nodes.getIds()[0]")
        pg.evaluate("id => window.rolkgFocus(id)", node)
        panel = pg.locator("#panel").bounding_box()
        assert panel["y"] >= canvas["y"] + canvas["height"] - 1  # stacked under the canvas
        assert panel["width"] >= WIDTH - 20
        shoot(pg, "phone-overview-panel")
    finally:
        context.close()
    watch.clean()
