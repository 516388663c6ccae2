"""List pages: one per home card's class, with facets, sorting, paging and CSV, over the real extraction."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx
import pytest
from fastapi.testclient import TestClient
from rolkg.api.app import create_app
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file
from rolkg.graph.store import EmbeddedStore, load_ontology

from rolkg.config import Settings
from tests.browser import shoot, watched

HTML = {"Accept": "text/html"}


class _Page(HTMLParser):
    """Cards, rows (first cell's link and year cell), facet links and pager links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.facets: list[tuple[str, str, str]] = []  # (facet, href, text)
        self._facet: str | None = None
        self._in: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []
        self.cells: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._card: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "a" and "card" in (a.get("class") or ""):
            self._card = a["data-cls"]
            self.cards[a["data-cls"]] = a["href"]
        if tag == "section" and a.get("data-facet"):
            self._facet = a["data-facet"]
        if tag == "a" and a.get("id"):
            self.links[a["id"]] = a["href"]
        if tag == "a" and self._facet:
            self._href, self._text = a["href"], []
        if tag == "tr":
            self._row = []
        if tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag) -> None:
        if tag == "a" and self._facet and self._href is not None:
            self.facets.append((self._facet, self._href, "".join(self._text)))
            self._href = None
        if tag == "section":
            self._facet = None
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row:
            self.cells.append(self._row)
            self._row = None

    def handle_data(self, data) -> None:
        if self._href is not None:
            self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(text: str) -> _Page:
    p = _Page()
    p.feed(text)
    return p


def total(text: str) -> int:
    return int(re.search(r'id="list-total">(\d+)<', text).group(1))


@pytest.fixture(scope="module")
def site(extracted_site: str) -> str:
    return extracted_site


@pytest.fixture(scope="module")
def client(site: str):
    with httpx.Client(base_url=site, headers=HTML, timeout=60) as c:
        yield c


def test_every_home_card_opens_a_list_of_as_many_items(client) -> None:
    home = client.get("/")
    cards = parse(home.text).cards
    counts = dict(
        re.findall(r'data-cls="(\w+)" href="[^"]+"><h3>[^<]*</h3><div class="num">(\d+)<', home.text)
    )
    assert {"Report", "Initiative", "Body", "Document", "Facility", "Metric", "Evidence", "Theme"} <= set(
        cards
    )
    for cls, href in cards.items():
        page = client.get(href)
        assert page.status_code == 200, href
        assert total(page.text) == int(counts[cls]), cls


def test_a_facet_narrows_the_list_to_its_count(client) -> None:
    page = parse(client.get("/list/Initiative").text)
    facets = {f for f, _, _ in page.facets}
    assert {"year", "report", "place", "theme", "kind"} <= facets
    year_href, year_text = next((h, t) for f, h, t in page.facets if f == "year")
    listed = client.get(year_href)
    n = total(listed.text)
    escaped = re.escape(year_href.replace("&", "&amp;"))
    listing = client.get("/list/Initiative").text
    facet_counts = re.findall(r'href="' + escaped + r'">[^<]+</a> <span class="muted">(\d+)<', listing)
    assert facet_counts and n == int(facet_counts[0])
    rows = parse(listed.text).cells
    assert rows and all(r[3] == year_text for r in rows)  # year column
    # A selected facet value links back to the list without it.
    again = parse(listed.text)
    assert any(h == "/list/Initiative" for f, h, _ in again.facets if f == "year")


def test_sorting_paging_and_csv_agree(client) -> None:
    first = client.get("/list/Evidence")
    n = total(first.text)
    assert n > 100
    seen: list[str] = []
    href: str | None = "/list/Evidence?sort=year&desc=1"
    while href:
        page = parse(client.get(href).text)
        seen += [r[0] for r in page.cells]
        href = page.links.get("next")
        href = urljoin("/", href) if href else None
    assert len(seen) == n  # paging covers every item once
    download = client.get("/list/Evidence.csv?sort=year&desc=1")
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert len(rows) == n and len({r["iri"] for r in rows}) == n
    by_year = client.get("/list/Initiative.csv?sort=year&desc=1").text.lstrip("\ufeff")
    years = [int(r["year"]) for r in csv.DictReader(io.StringIO(by_year)) if r["year"]]
    assert years == sorted(years, reverse=True) and years
    filtered = client.get("/list/Metric.csv", params={"q": "件"}).text.lstrip("\ufeff")
    # q matches any labelling value, not only the label shown (the least: a metric's indicator name)
    query = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX rol: <https://w3id.org/rolkg/ontology#>
      SELECT DISTINCT ?m WHERE { ?m a rol:Metric ; rdfs:label|rol:indicator ?l FILTER (CONTAINS(STR(?l), "件")) }"""
    answer = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    expected = {b["m"]["value"] for b in answer.json()["results"]["bindings"]}
    assert expected and {r["iri"] for r in csv.DictReader(io.StringIO(filtered))} == expected


def test_the_label_shown_is_the_least_labelling_value_and_sorts_the_list(client) -> None:
    # A metric has rdfs:label "行政复议发案量 104.5%" and rol:indicator "行政复议发案量": every engine must
    # show the same one (SAMPLE chose either), and the list is sorted by it.
    query = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX rol: <https://w3id.org/rolkg/ontology#>
      SELECT ?m ?l WHERE { ?m a rol:Metric ; rdfs:label|rol:indicator ?l FILTER (LANG(?l) IN ("zh", "")) }"""
    answer = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    values: dict[str, set[str]] = {}
    for b in answer.json()["results"]["bindings"]:
        values.setdefault(b["m"]["value"], set()).add(b["l"]["value"])
    assert sum(len(v) > 1 for v in values.values()) > 20  # the case the rule decides
    rows = list(csv.DictReader(io.StringIO(client.get("/list/Metric.csv").text.lstrip("\ufeff"))))
    assert {r["iri"]: r["label"] for r in rows} == {m: min(v) for m, v in values.items()}
    labels = [r["label"] for r in rows]
    assert labels == sorted(labels)
    # descending: reversed by label, items of one label still in IRI order
    down = list(csv.DictReader(io.StringIO(client.get("/list/Metric.csv?desc=1").text.lstrip("\ufeff"))))
    assert [r["label"] for r in down] == sorted(labels, reverse=True)
    assert [r["iri"] for r in down] == [
        r["iri"] for r in sorted(rows, key=lambda r: r["label"], reverse=True)
    ]


def test_sort_links_are_named_in_words_and_the_chosen_one_is_marked(client) -> None:
    text = client.get("/list/Initiative", params={"sort": "year"}).text
    sorts = re.findall(r'<a href="([^"]*)" class="sort( on)?">([^<]*)</a>', text)
    words = [label.rstrip(" ↑↓") for _, _, label in sorts]
    assert [w.split(" ")[-1] for w in words] == ["label", "year", "report"]
    assert all(re.fullmatch(r"[\w\u4e00-\u9fff ]+", w) for w in words), words  # no ('年份', 'year')
    assert [on for _, on, _ in sorts] == ["", " on", ""]
    assert "sort=year&amp;desc=1" in sorts[1][0]  # the chosen sort's link turns it around


def test_nothing_matches_is_said_and_bad_filters_are_refused(client) -> None:
    empty = client.get("/list/Body", params={"q": "没有这样的机关zzz"})
    assert empty.status_code == 200 and 'id="empty"' in empty.text and total(empty.text) == 0
    assert client.get("/list/NoSuchClass").status_code == 404
    bad = client.get("/list/Body", params={"report": "javascript:alert(1)"})
    assert bad.status_code == 422 and "rolkg IRI" in bad.text


def test_list_page_in_chromium(site: str, chromium) -> None:
    context, pg, watch = watched(chromium)
    try:
        pg.goto(site + "/")
        pg.locator(".card[data-cls=Document]").click()
        pg.wait_for_selector("#list")
        assert "/list/Document" in pg.url
        pg.locator("#facets [data-facet=kind] a").first.click()
        pg.wait_for_selector("#list")
        assert "kind=" in pg.url
        shoot(pg, "list-documents")
    finally:
        context.close()
    watch.clean()


def test_search_results_show_class_report_year_and_the_match(client) -> None:
    page = client.get("/viz/search", params={"q": "合规"})
    assert page.status_code == 200
    hits = re.findall(r'<li class="hit">(.*?)</li>', page.text, re.S)
    assert len(hits) >= 3
    for hit in hits:
        assert re.search(r"<mark>合规</mark>", hit), hit
        assert re.search(r'class="muted hit-class">\S+', hit), hit
    with_report = [h for h in hits if 'href="/id/report/' in h]
    assert with_report and all(re.search(r'class="hit-year">20\d\d<', h) for h in with_report)
    english = client.get("/viz/search", params={"q": "LEGAL AID"}).text  # English labels, any case
    assert "/id/theme/legal-aid" in english and re.search(r"<mark>legal aid</mark>", english, re.I)
    none = client.get("/viz/search", params={"q": "zzz没有"}).text
    assert 'id="empty"' in none


def test_a_kept_page_is_shown_in_each_visitors_language(client) -> None:
    # Pages are kept per store version: what the page shows in a language is added after, per request.
    zh = parse(client.get("/list/Theme").text).cells
    client.cookies.set("rolkg_lang", "en")
    try:
        en = parse(client.get("/list/Theme").text).cells
    finally:
        client.cookies.delete("rolkg_lang")
    assert len(zh) == len(en) > 3
    assert all(re.search(r"[\u4e00-\u9fff]", r[0]) for r in zh)
    assert not any(re.search(r"[\u4e00-\u9fff]", r[0]) for r in en)  # every theme has an English label
    assert [r[0] for r in parse(client.get("/list/Theme").text).cells] == [r[0] for r in zh]


def _sparql_count(client, where: str) -> int:
    query = f"""PREFIX rol: <https://w3id.org/rolkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
      SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i a rol:Initiative ; rol:report ?r . {where} }}"""
    answer = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def several(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app over four bundled reports: three places, three years (read-only, so answers are kept)."""
    path = tmp_path_factory.mktemp("lists-several") / "store"
    with EmbeddedStore(path) as store:
        load_ontology(store)
        for name in ("cixi-sfj-2024.txt", "cixi-sfj-2023.txt", "jiaxing-sfj-2022.txt", "yuyao-gov-2023.txt"):
            ingest_file(REPORTS_DIR / name, None, store, check=False)
    with TestClient(create_app(Settings(store_path=path), workers=1), headers=HTML) as c:
        yield c


def test_year_and_place_filters_count_what_sparql_counts(several: TestClient) -> None:
    # The filters go through the set of reports passing them (read/list-reports): checked against a plain
    # join asked of /sparql, for every year, every place and each pair of the two.
    client = several
    page = parse(client.get("/list/Initiative").text)
    years = [t for f, _, t in page.facets if f == "year"]
    places = [t for f, _, t in page.facets if f == "place"]
    assert len(years) > 1 and len(places) > 1
    for year in years:
        expected = _sparql_count(client, f"?r rol:year {int(year)}")
        assert total(client.get("/list/Initiative", params={"year": year}).text) == expected > 0, year
    for place in places:
        expected = _sparql_count(client, f'?r rol:jurisdiction/skos:altLabel ?p FILTER (STR(?p) = "{place}")')
        assert total(client.get("/list/Initiative", params={"place": place}).text) == expected > 0, place
        for year in years:
            where = (
                f'?r rol:year {int(year)} ; rol:jurisdiction/skos:altLabel ?p FILTER (STR(?p) = "{place}")'
            )
            got = total(client.get("/list/Initiative", params={"year": year, "place": place}).text)
            assert got == _sparql_count(client, where), (year, place)
