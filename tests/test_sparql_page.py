"""The SPARQL page in Chromium and without JavaScript: server messages for errors and refusals, local
links with prefixed names, literals with datatype/language on hover, predeclared prefixes, a table that
fits the page, and an HTML table for the plain form."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.browser import shoot, watched

BODIES = "SELECT ?b ?l WHERE { ?b a rol:Body ; rdfs:label ?l FILTER (LANG(?l) = 'zh') } ORDER BY ?b LIMIT 3"
FIGURES = "SELECT ?m ?v WHERE { ?m a rol:Metric ; rdf:value ?v } ORDER BY ?m LIMIT 40"


@pytest.fixture(scope="module")
def site(extracted_site: str) -> str:
    return extracted_site


def _run(pg, query: str) -> None:
    pg.evaluate("delete document.documentElement.dataset.ran")
    pg.evaluate("q => window.rolkgYasqe.setValue(q)", query)
    pg.locator("#run").click()
    for _ in range(400):  # the page's CSP forbids wait_for_function's eval
        if pg.evaluate("document.documentElement.dataset.ran"):
            return
        pg.wait_for_timeout(50)
    raise AssertionError("the query did not finish")


def test_results_errors_and_refusals_in_chromium(site: str, chromium) -> None:
    context, pg, watch = watched(chromium, width=1024)
    try:
        pg.goto(site + "/sparql")
        while not pg.evaluate("document.documentElement.dataset.ready"):
            pg.wait_for_timeout(50)
        _run(pg, BODIES)  # rol: and rdfs: are predeclared
        links = pg.eval_on_selector_all(
            "#result-table a", "as => as.map(a => [a.getAttribute('href'), a.textContent])"
        )
        assert len(links) == 3
        for href, label in links:
            assert href.startswith("/id/body/") and label == "rolid:" + href.removeprefix("/id/")
        assert pg.locator("#result-table td.literal").first.get_attribute("title") == "@zh"
        _run(pg, FIGURES)
        hover = pg.locator("#result-table td.literal").first.get_attribute("title")
        assert hover == "xsd:decimal"
        assert '"' not in pg.locator("#result-table td.literal").first.inner_text()  # plain, no ^^xsd:…
        assert pg.evaluate("document.documentElement.scrollWidth") <= 1024  # the table fits the page
        shoot(pg, "sparql-results")
        _run(pg, "SELECT * WHERE { ?s ?p }")
        error = pg.locator("#error").inner_text()
        assert error.startswith("400") and "line 1, column" in error
        column = int(re.search(r"line 1, column (\d+)", error).group(1))
        assert 17 <= column <= 24  # where the typed query goes wrong, not shifted by the prefixes added
        _run(pg, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        assert (
            "read-only" in pg.locator("#error").inner_text()
            or "update" in pg.locator("#error").inner_text().lower()
        )
        shoot(pg, "sparql-error")
    finally:
        context.close()
    # The only console errors are the browser's notes on the two 400 answers asked for above.
    assert all("status of 400" in e or e.startswith("400 ") for e in watch.errors), watch.errors
    assert watch.foreign() == []


def test_plain_form_answers_with_an_html_table(site: str) -> None:
    page = httpx.get(site + "/viz/sparql", params={"query": BODIES}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count('<a href="/id/body/') == 3 and 'id="plain-table"' in page.text
    assert re.search(r"<td title=\"@zh\">", page.text)
    bad = httpx.get(site + "/viz/sparql", params={"query": "SELEC x"})
    assert bad.status_code == 400 and 'id="plain-error"' in bad.text and "syntax" in bad.text.lower()
    script = httpx.get(
        site + "/viz/sparql", params={"query": "SELECT ('<script>alert(1)</script>' AS ?x) {}"}
    )
    assert "<script>alert" not in script.text and "&lt;script&gt;alert(1)" in script.text
    # The form on the editor page posts there, and the predeclared prefixes are listed.
    editor = httpx.get(site + "/sparql", headers={"Accept": "text/html"}).text
    assert 'action="/viz/sparql"' in editor and "<code>rolid:</code>" in editor
