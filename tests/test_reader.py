"""The report reader: marks applied to the text (escaped, nested, crossing) and, in Chromium, the bundled
report read with its facts marked, quotes on entity pages opening the reader at their span."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
import pytest
from rolkg.viz.reader import Mark, render_text

from tests.browser import shoot, watched

REPORT = "cixishisifaju-2024"


class _Balance(HTMLParser):
    """Checks tags nest properly and no <a> is inside another; collects the text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.nested_links = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "a" and "a" in self.stack:
            self.nested_links += 1
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _mark(start: int, end: int, cls: str = "Body", iri: str = "https://w3id.org/rolkg/id/body/x") -> Mark:
    return Mark(start, end, iri, cls, "<b>label</b>")


def test_marked_text_is_escaped_balanced_and_keeps_every_character() -> None:
    body = "甲<script>alert(1)</script>乙&丙丁戊己庚"
    marks = [
        _mark(0, 10, "Initiative", "https://w3id.org/rolkg/id/initiative/a"),
        _mark(1, 9, "Document", "https://w3id.org/rolkg/id/document/b"),
        _mark(8, 16, "Body"),  # crosses both: reopened after each closes
        _mark(12, 14, "Metric", "https://w3id.org/rolkg/id/metric/c"),
    ]
    html = str(render_text(body, marks))
    assert "<script" not in html and "&lt;/script&gt;" in html and "<b>" not in html
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert parser.stack == [] and parser.nested_links == 0
    assert "".join(parser.text).replace("&amp;", "&") == body
    # Each span has one anchor target, and all of its pieces carry its data-span.
    assert html.count('id="span-8-16"') == 1
    assert html.count('data-span="8-16"') == 3  # cut where the document ends and where the initiative ends
    # The innermost mark is the link: 乙 (offset 11) sits only in the Body mark.
    assert 'href="/id/body/x"' in html and 'href="/id/metric/c"' in html


def test_marks_outside_the_text_are_not_drawn() -> None:
    html = str(render_text("短文", [_mark(0, 2)]))
    assert html.count("<span") == 1


@pytest.fixture(scope="module")
def site(extracted_site: str) -> str:
    return extracted_site


def test_reader_shows_the_report_with_its_facts_marked(site: str, chromium) -> None:
    api = httpx.get(f"{site}/api/reports/{REPORT}").json()
    context, pg, watch = watched(chromium)
    try:
        pg.goto(f"{site}/id/report/{REPORT}")
        pg.wait_for_selector(
            "html[data-ready]", state="attached"
        )  # a selector, not eval: the CSP has no unsafe-eval
        assert pg.locator("#report-title").inner_text() == api["title"]
        assert pg.locator("#report-text").inner_text().replace("\n", "") == api["text"].replace("\n", "")
        # Every evidence span of the report that supports a resource is marked, with its exact words.
        spans = {(e["start"], e["end"]): e["exact"] for e in api["evidence"] if e["about"]}
        marked = pg.evaluate(
            """() => { const out = {};
              document.querySelectorAll('#report-text [id^="span-"]').forEach(e => {
                const key = e.dataset.span;
                const pieces = Array.from(document.querySelectorAll('[data-span="' + key + '"]'))
                  .filter(p => !p.parentElement.closest('[data-span="' + key + '"]'));
                out[key] = pieces.map(p => p.textContent).join(''); });
              return out; }"""
        )
        assert len(marked) == len(spans) > 100
        for (start, end), exact in spans.items():
            assert marked[f"{start}-{end}"] == exact
        # Documents, bodies, figures, facilities, pilots, recognitions are each marked and linked.
        for cls, kind in (
            ("Document", "document"),
            ("Body", "body"),
            ("Metric", "metric"),
            ("Facility", "facility"),
        ):
            hrefs = pg.eval_on_selector_all(
                f"#report-text a.k-{cls}", "as => as.map(a => a.getAttribute('href'))"
            )
            assert hrefs and all(h.startswith(f"/id/{kind}/") for h in hrefs), cls
        # The outline lists the sections and focus areas as links into the text.
        toc = pg.eval_on_selector_all("#toc a[href^='#span-']", "as => as.map(a => a.getAttribute('href'))")
        assert len(toc) >= 3 + 11
        # The legend switches a kind of mark off and on.
        background = (
            "() => getComputedStyle(document.querySelector('#report-text .mk.k-Body')).backgroundColor"
        )
        on = pg.evaluate(background)
        pg.locator("#legend input[value=Body]").uncheck()
        assert pg.evaluate(background) == "rgba(0, 0, 0, 0)" != on
        pg.locator("#legend input[value=Body]").check()
        assert pg.evaluate(background) == on
        shoot(pg, "reader")
    finally:
        context.close()
    watch.clean()


def test_entity_quote_opens_the_reader_at_its_span(site: str, chromium) -> None:
    facilities = httpx.get(f"{site}/api/facilities").json()["items"]
    facility = facilities[0]
    context, pg, watch = watched(chromium)
    try:
        pg.goto(f"{site}/id/facility/{facility['id']}")
        link = pg.locator("a.in-report").first
        href = link.get_attribute("href")
        assert href.startswith(f"/id/report/{REPORT}#span-")
        start, end = (int(x) for x in href.rsplit("#span-", 1)[1].split("-"))
        link.click()
        pg.wait_for_selector("html[data-hit]", state="attached")
        assert int(pg.evaluate("document.documentElement.dataset.hit")) >= 1
        hit = pg.locator("#report-text .hit").first
        assert hit.is_visible() and hit.evaluate("e => e.dataset.span") == f"{start}-{end}"
        pg.wait_for_load_state("load")
        pg.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
        )
        box = hit.bounding_box()
        height = pg.viewport_size["height"]
        # Scrolled into view and clear of the edge (the browser's own jump leaves it at the very top).
        assert box is not None and height * 0.15 <= box["y"] <= height * 0.85, (box, height)
        text = httpx.get(f"{site}/api/reports/{REPORT}").json()["text"]
        assert text[start:end] in hit.inner_text() or hit.inner_text() in text[start:end]
        shoot(pg, "reader-span")
    finally:
        context.close()
    watch.clean()


def test_an_untitled_report_is_headed_by_its_display_label(tmp_path) -> None:
    """A report with no title line of its own (the opening starts with page clutter) is not headed by its slug."""
    from rolkg.data import REPORTS_DIR
    from rolkg.graph.ingest import ingest_file
    from rolkg.graph.store import EmbeddedStore
    from rolkg.viz.pages import report_meta
    from rolkg.viz.source import open_layer

    opening = (REPORTS_DIR / "cixi-sfj-2024.txt").read_text(encoding="utf-8")[:1500]
    path = tmp_path / "untitled-opening.txt"  # a name reports.tsv does not know: no title given
    path.write_text(opening, encoding="utf-8")
    store = EmbeddedStore(tmp_path / "store")
    try:
        result = ingest_file(path, None, store, check=False)
        iri = str(result.report)
        meta = report_meta(open_layer(store), iri)
    finally:
        store.close()
    assert meta is not None
    assert meta["title"] and meta["title"] != iri.rsplit("/", 1)[-1]
    assert "无标题" in meta["title"]
