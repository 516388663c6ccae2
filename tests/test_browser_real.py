"""The headline views on the real extracted bundled report, in headless Chromium.

The connect view must find how a compliance centre and a supervision station connect; the lineage
view of 《社区矫正对象外出管理规范》 must show the 2025 plan that continues its work.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import httpx
import pytest
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file
from rolkg.graph.store import EmbeddedStore, load_ontology

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


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, serve_app) -> Iterator[str]:
    from rolkg.api.app import create_app

    from rolkg.config import Settings

    path = tmp_path_factory.mktemp("realstore") / "store"
    with EmbeddedStore(path) as store:
        load_ontology(store)
        ingest_file(REPORTS_DIR / "cixi-sfj-2024.txt", None, store)
    with serve_app(create_app(Settings(store_path=path), workers=1)) as url:
        yield url


@pytest.fixture(scope="module")
def page(base: str, chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.requests, pg.errors = requests, errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def _settle(page, name: str) -> None:
    page.wait_for_function("() => window.rolkgNetwork && window.rolkgNetwork.body.data.nodes.length > 0")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"real-{name}.png"))
    assert page.errors == []
    assert [
        u for u in page.requests if urlparse(u).hostname != "127.0.0.1" and not u.startswith("data:")
    ] == []


def test_connect_compliance_centre_to_supervision_station(base: str, page) -> None:
    page.goto(
        base
        + "/viz/connect?from_class=Facility&from_label="
        + quote("合规…中心")
        + "&to_class=Facility&to_label="
        + quote("监督…站")
    )
    _settle(page, "connect")
    words = page.locator("#paths li.path").first.inner_text()
    assert "合规指导中心" in words
    assert "监督观察站" in words


def test_lineage_of_the_rules_shows_the_2025_plan(base: str, page) -> None:
    doc = httpx.get(base + "/api/search", params={"q": "社区矫正对象外出管理规范"}, timeout=30).json()
    text = str(doc)
    assert "document/" in text
    slug = text.split("document/")[1].split("'")[0].split('"')[0]
    page.goto(base + "/viz/lineage/document/" + slug)
    _settle(page, "lineage")
    labels = page.evaluate("window.rolkgNetwork.body.data.nodes.get().map(n => n.label)")
    assert any("严格落实" in x for x in labels), labels
    relations = page.evaluate("window.rolkgNetwork.body.data.edges.get().map(e => e.relation)")
    assert "implements" in relations and "produces" in relations
    # Each lineage edge carries its relation in words and the report's words for it (shown on hover).
    edges = page.evaluate("window.rolkgNetwork.body.data.edges.get().map(e => [e.relation, e.word, e.quote])")
    implements = [e for e in edges if e[0] == "implements"]
    assert implements and all(w == "落实 implements" and q for _, w, q in implements), implements
    text = httpx.get(base + "/api/reports/cixishisifaju-2024", timeout=30).json()["text"]
    assert all(q in text for _, _, q in implements)
