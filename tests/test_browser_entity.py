"""Entity pages as an analyst reads them, in Chromium: the class by its name (linking to its list),
every property by its label (rolkg's own and the reused vocabularies'), each label once, values by their
labels or quotes rather than raw IRIs, and the same page in English."""

from __future__ import annotations

import re

import httpx
import pytest
from rolkg.graph.classes import registry

from tests.browser import shoot, watched

pytestmark = pytest.mark.browser
CAMEL = re.compile(r"^[a-z]+[A-Z]\w*$")  # a bare local name such as altLabel or wasDerivedFrom
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def site(extracted_site: str) -> str:
    return extracted_site


def _entities(site: str) -> dict[str, str]:
    """One entity page per kind, found by following links from the report reader and an indicator."""
    found: dict[str, str] = {}
    with httpx.Client(base_url=site, headers={"Accept": "text/html"}, timeout=60) as client:
        for start in ("/id/report/cixishisifaju-2024", "/list/Indicator", "/list/Theme", "/list/SourceFile"):
            for kind, slug in re.findall(r'href="/id/([a-z]+)/([^"#./]+)"', client.get(start).text):
                found.setdefault(kind, f"/id/{kind}/{slug}")
        for path in list(found.values()):  # one step further: sources, places, matches, links …
            for kind, slug in re.findall(r'href="/id/([a-z]+)/([^"#./]+)"', client.get(path).text):
                found.setdefault(kind, f"/id/{kind}/{slug}")
    found.pop("report", None)  # a report's page is the reader
    return found


def test_entity_pages_name_classes_properties_and_values(site: str, chromium) -> None:
    pages = _entities(site)
    assert {"initiative", "body", "document", "metric", "evidence", "indicator", "theme"} <= set(pages)
    reg = registry()
    context, pg, watch = watched(chromium)
    problems: dict[str, list[str]] = {}
    try:
        for kind, path in sorted(pages.items()):
            pg.goto(site + path)
            bad = []
            cls = pg.locator("#entity-class")
            names = {f"{c.zh} {c.en}" for c in reg.ordered}
            said = pg.locator("#props").count() > 0  # a resource only pointed at (prov:Agent) says nothing
            if said and (cls.count() != 1 or (cls.inner_text() not in names and kind in reg.kinds())):
                bad.append(f"class shown as {cls.all_inner_texts()}")
            elif cls.count() == 1 and CAMEL.match(cls.inner_text()):
                bad.append(f"class shown as its local name {cls.inner_text()!r}")
            elif cls.count() == 1 and cls.get_attribute("href") is not None:
                assert cls.get_attribute("href").startswith("/list/")
            props = pg.locator("#props td:first-child").all_inner_texts()
            bad += [f"property {p!r} has no label" for p in props if CAMEL.match(p.strip())]
            labels = pg.locator("#labels li").all_inner_texts()
            if len(labels) != len(set(labels)):
                bad.append(f"labels repeated: {labels}")
            shown = pg.evaluate(
                "() => { const m = document.querySelector('main').cloneNode(true);"
                " m.querySelector('#entity-id').remove(); return m.innerText; }"
            )
            raw = re.findall(r"https://w3id\.org/\S+", shown)
            if raw:
                bad.append(f"raw IRIs shown: {raw[:3]}")
            if bad:
                problems[path] = bad
        shoot(pg, "entity-last")
    finally:
        context.close()
    assert problems == {}, problems
    watch.clean()


def test_entity_page_in_english_has_english_furniture(site: str, chromium) -> None:
    pages = _entities(site)
    context, pg, watch = watched(chromium)
    context.add_cookies([{"name": "rolkg_lang", "value": "en", "url": site}])
    try:
        for kind in ("initiative", "indicator", "metric"):
            pg.goto(site + pages[kind])
            furniture = pg.locator("main h2, main th, #props td:first-child, #entity-class").all_inner_texts()
            assert furniture and [f for f in furniture if CJK.search(f)] == [], (kind, furniture)
        assert pg.locator("#entity-class").inner_text() == reg_en("Metric")
    finally:
        context.close()
    watch.clean()


def reg_en(name: str) -> str:
    info = registry().get(name)
    assert info is not None
    return info.en
