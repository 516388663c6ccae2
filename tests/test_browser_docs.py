"""``/docs`` in Chromium: Swagger UI renders the API from vendored files under the pages' CSP, offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rolkg.api.app import create_app

from tests.test_browser_viz import SHOTS, browser, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(api_stores: dict[str, object], serve_app) -> Iterator[str]:
    with serve_app(create_app(api_stores["embedded-fixture"], workers=1)) as base:  # type: ignore[arg-type]
        yield base


def test_docs_render_offline_under_the_csp(site: str, page) -> None:  # noqa: F811
    answer = page.goto(f"{site}/docs")
    assert answer is not None and "script-src 'self'" in answer.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/sparql" in paths and any(p.startswith("/api/initiatives") for p in paths)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "docs.png"))
    assert page.watch.foreign() == []
    assert page.watch.errors == []
