"""Every REST route and list page answers the same on every store: the embedded store, a remote Oxigraph
server and Virtuoso 7.2, all holding the real extraction of cixi-sfj-2024.

Each request is asked of the embedded store first; its answer must be non-empty (so an engine answering
nothing cannot pass by agreeing with an empty answer), and the remote stores must give exactly the same
JSON, page body or CSV. Filters are asked on and off, with paging and the totals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient
from rolkg.api.app import create_app

pytestmark = pytest.mark.remote

R = "cixishisifaju-2024"
ID = "https://w3id.org/rolkg/id/"
REPORT = f"{ID}report/{R}"
THEME = f"{ID}theme/legality-review"
PLACE = "浙江省宁波市慈溪市"
ROL = "https://w3id.org/rolkg/ontology%23"

# (name, path): every REST route that lists things, with each of its filters on and off
API = [
    ("reports", "/api/reports"),
    ("initiatives", "/api/initiatives"),
    ("initiatives-page", "/api/initiatives?limit=7&offset=5"),
    ("initiatives-kind", "/api/initiatives?kind=planned"),
    ("initiatives-pilot", "/api/initiatives?kind=pilot"),
    ("initiatives-year", "/api/initiatives?year=2025"),
    ("initiatives-theme", "/api/initiatives?theme=legality-review"),
    ("initiatives-body", "/api/initiatives?body=cixishisifaju"),
    ("initiatives-report", f"/api/initiatives?report={R}&limit=3&offset=2"),
    ("initiatives-q", "/api/initiatives?q=合法性审查"),
    ("bodies", "/api/bodies"),
    ("bodies-page", "/api/bodies?limit=4&offset=3"),
    ("bodies-q", "/api/bodies?q=司法"),
    ("bodies-report", f"/api/bodies?report={R}&limit=5"),
    ("documents", "/api/documents"),
    ("documents-page", "/api/documents?limit=5&offset=20"),
    ("documents-q", "/api/documents?q=法治"),
    ("documents-report", f"/api/documents?report={R}&q=慈溪"),
    ("facilities", "/api/facilities"),
    ("facilities-page", "/api/facilities?limit=3&offset=6"),
    ("facilities-q", "/api/facilities?q=调解"),
    ("facilities-report", f"/api/facilities?report={R}"),
    ("metrics", "/api/metrics"),
    ("metrics-page", "/api/metrics?limit=10&offset=60"),
    ("metrics-indicator", "/api/metrics?indicator=审查"),
    ("metrics-unit-year", "/api/metrics?unit=件&year=2024"),
    ("metrics-report", f"/api/metrics?report={R}&limit=5"),
    (
        "incoming",
        "/api/incoming/body/cixishisifaju?property=https://w3id.org/rolkg/ontology%23leadBody&limit=3",
    ),
    ("themes", "/api/themes"),
    ("search", "/api/search?q=复议"),
    ("kinds", "/api/kinds"),
    ("kind-adoption", "/api/kinds/rule-of-law-practice-station/adoption"),
    ("indicators", "/api/indicators"),
    ("stats", "/api/stats"),
]
REVIEW = f"{R}-1-2-3"  # 提升县乡合法性审查质效
OUTING = "shequjiaozhengduixiangwaichuguanliguifan"
FACILITY = "zhejiangshengningboshicixishi-huangsidai-anzhibangjiaoshifanjidi"
# every other REST route over the same read model: details, lineage, observations
DETAILS = [
    ("report", f"/api/reports/{R}"),
    ("initiative", f"/api/initiatives/{REVIEW}"),
    ("initiative-lineage", f"/api/initiatives/{REVIEW}/lineage?direction=both&depth=2"),
    ("body", "/api/bodies/cixishisifaju"),
    ("body-lineage", "/api/lineage/body/cixishisifaju?direction=down&depth=1"),
    ("document", f"/api/documents/{OUTING}"),
    ("document-lineage", f"/api/documents/{OUTING}/lineage"),
    ("facility", f"/api/facilities/{FACILITY}"),
    ("facility-lineage", f"/api/facilities/{FACILITY}/lineage?direction=up"),
    ("indicator", "/api/indicators/admin-reconsideration-received"),
    ("observations", "/api/indicators/admin-reconsideration-received/observations"),
    ("observations-csv", "/api/indicators/admin-reconsideration-received/observations.csv"),
    ("entity-page", f"/id/initiative/{REVIEW}"),
    ("report-reader", f"/id/report/{R}"),
    ("search-page", "/viz/search?q=调解"),
    ("connect", "/viz/connect"),
    ("connect-patterns", "/viz/connect?from=Initiative:审查&to=Document:"),
    ("connect-theme", f"/viz/connect?from={THEME}&to=Facility:"),
]
# the list pages (read/list-reports, read/list, read/list-facets) and their CSV
PAGES = [
    ("home", "/"),
    ("list-initiatives", "/list/Initiative"),
    ("list-initiatives-report", f"/list/Initiative?report={REPORT}&sort=year&desc=1"),
    ("list-initiatives-theme", f"/list/Initiative?theme={THEME}"),
    ("list-initiatives-year", "/list/Initiative?year=2024&sort=report"),
    ("list-initiatives-place", f"/list/Initiative?place={PLACE}"),
    ("list-initiatives-kind", f"/list/Initiative?kind={ROL}PlannedInitiative"),
    ("list-initiatives-q", "/list/Initiative?q=合法性"),
    ("list-bodies", "/list/Body"),
    ("list-bodies-q", "/list/Body?q=慈溪&desc=1"),
    ("list-bodies-kind", "/list/Body?kind=county"),
    ("list-documents", "/list/Document"),
    ("list-documents-report-theme", f"/list/Document?report={REPORT}&q=法治"),
    ("list-facilities", "/list/Facility"),
    ("list-facilities-year-place", f"/list/Facility?year=2024&place={PLACE}"),
    ("list-metrics-page", "/list/Metric?offset=50"),
    ("list-metrics-sorted", "/list/Metric?sort=year&offset=50"),
    ("list-reports", "/list/Report"),
    ("list-sections-kind", "/list/Section?sort=label&desc=1"),
    ("list-themes", "/list/Theme"),
    ("csv-initiatives", "/list/Initiative.csv"),
    ("csv-initiatives-theme", f"/list/Initiative.csv?theme={THEME}&sort=year"),
    ("csv-facilities-report", f"/list/Facility.csv?report={REPORT}"),
    ("csv-metrics-q", "/list/Metric.csv?q=件&desc=1"),
]
OTHERS = ["remote", "virtuoso"]


@pytest.fixture(scope="module")
def clients(api_stores: dict[str, object]) -> Iterator[dict[str, TestClient]]:
    """One app per store (built when first asked for) over the extracted report."""
    with ExitStack() as stack:

        class Lazy(dict[str, TestClient]):
            def __missing__(self, backend: str) -> TestClient:
                app = create_app(api_stores[f"{backend}-extracted"], workers=1)  # type: ignore[arg-type]
                self[backend] = stack.enter_context(TestClient(app))
                return self[backend]

        yield Lazy()


@pytest.fixture(scope="module")
def embedded(clients: dict[str, TestClient]) -> dict[str, object]:
    """The embedded store's answers, asked once per path."""

    class Answers(dict[str, object]):
        def __missing__(self, path: str) -> object:
            self[path] = answer(clients["embedded"], path)
            return self[path]

    return Answers()


def answer(client: TestClient, path: str) -> object:
    """The part of an answer that must not depend on the store: JSON, the page's main part, or CSV lines."""
    accept = "application/json" if path.startswith("/api/") else "text/html"
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    if ".csv" in path:
        return response.text.splitlines()
    if path.startswith("/api/"):
        return response.json()
    main = re.search(r"<main\b.*</main>", response.text, re.DOTALL)
    assert main, path
    return main.group(0).splitlines()


def nonempty(value: object) -> bool:
    """Whether an answer lists something (a page with a total above 0, a CSV with rows, a non-empty list)."""
    if isinstance(value, dict):
        if "total" in value:
            return bool(value["total"]) and bool(value.get("items", True))
        return any(nonempty(v) for v in value.values())
    if isinstance(value, list) and value and isinstance(value[0], str):
        joined = "\n".join(value)
        if "list-total" in joined:
            return not re.search(r'id="list-total">0<', joined) and 'id="empty"' not in joined
        return len(value) > 1  # CSV: the header and at least one row
    return bool(value)


@pytest.mark.parametrize("backend", OTHERS)
@pytest.mark.parametrize(
    "path", [p for _, p in API + DETAILS + PAGES], ids=[n for n, _ in API + DETAILS + PAGES]
)
def test_the_same_answer_on_every_store(
    backend: str, path: str, clients: dict[str, TestClient], embedded: dict[str, object]
) -> None:
    expected = embedded[path]
    assert nonempty(expected), f"{path} lists nothing on the embedded store: the case proves nothing"
    assert answer(clients[backend], path) == expected


@pytest.mark.parametrize("backend", ["embedded", *OTHERS])
def test_a_filter_matching_nothing_gives_nothing(backend: str, clients: dict[str, TestClient]) -> None:
    client = clients[backend]
    assert client.get("/api/bodies", params={"report": "nothing-2000"}).json()["total"] == 0
    assert client.get("/api/initiatives", params={"theme": "no-such-theme"}).json()["total"] == 0
    page = client.get(
        "/list/Initiative", params={"theme": f"{ID}theme/no-such-theme"}, headers={"Accept": "text/html"}
    )
    assert 'id="list-total">0<' in page.text and 'id="empty"' in page.text


@pytest.mark.parametrize("backend", ["embedded", *OTHERS])
def test_a_metric_is_shown_by_its_label_not_its_indicator(
    backend: str, clients: dict[str, TestClient]
) -> None:
    # A metric has rdfs:label "商事调解员 37名" and rol:indicator "商事调解员": which one SAMPLE took differed
    # between stores, so the search page and the reader's marks prefer rdfs:label.
    client = clients[backend]
    query = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX rol: <https://w3id.org/rolkg/ontology#>
      SELECT ?m ?l WHERE { ?m a rol:Metric ; rdfs:label ?l ; rol:indicator ?i FILTER (STR(?l) != STR(?i)
        && CONTAINS(STR(?l), "调解")) }"""
    answer = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    labels = {
        b["m"]["value"].rsplit("/", 1)[1]: b["l"]["value"] for b in answer.json()["results"]["bindings"]
    }
    assert labels
    page = client.get("/viz/search", params={"q": "调解"}, headers={"Accept": "text/html"}).text
    shown = dict(re.findall(r'href="/id/metric/([^"]+)">([^<]*)</a>', page))
    assert shown and all(shown[m] == labels[m] for m in shown if m in labels)
    assert set(shown) & set(labels)
    marks = client.get(f"/id/report/{R}", headers={"Accept": "text/html"}).text
    titled = dict(re.findall(r'href="/id/metric/([^"]+)" title="[^"]*: ([^"]*)"', marks))
    assert titled and all(titled[m] == labels[m] for m in titled if m in labels)
