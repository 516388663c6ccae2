"""/api/indicators, /api/indicators/{id}/observations (JSON and CSV) and /api/checks, on a store holding
the bundled Cixi reports of 2023 and 2024 and the indicator fixtures, against both store backends."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rolkg.api.app import create_app
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file, ingest_text
from rolkg.graph.model import ReportMeta
from rolkg.graph.store import EmbeddedStore, RemoteStore, load_ontology

from rolkg.config import Settings
from tests.conftest import start_oxigraph, stop_oxigraph

FIXTURES = Path(__file__).parent / "fixtures" / "indicators"
CIXI = "330282"
SUZHOU = "320500"


def fill(backend: object) -> None:
    load_ontology(backend)  # type: ignore[arg-type]
    for name in ("cixi-sfj-2024.txt", "cixi-sfj-2023.txt"):
        ingest_file(REPORTS_DIR / name, None, backend, check=False)  # type: ignore[arg-type]
    with (FIXTURES / "reports.tsv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            meta = ReportMeta(
                title=r["title"], issuer=r["issuer"], jurisdiction=r["jurisdiction"], year=int(r["year"])
            )
            ingest_text((FIXTURES / r["file"]).read_text(encoding="utf-8"), meta, backend, check=False)  # type: ignore[arg-type]


@pytest.fixture(scope="module", params=["embedded", "remote"])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    if request.param == "embedded":
        path = tmp_path_factory.mktemp("ind-api") / "store"
        with EmbeddedStore(path) as store:
            fill(store)
        settings = Settings(store_path=path, query_timeout=10.0)
        with TestClient(create_app(settings, workers=1)) as c:
            yield c
        return
    server = start_oxigraph(tmp_path_factory.mktemp("ind-api-oxigraph"))
    try:
        with RemoteStore(server.query_url, server.update_url) as remote:
            fill(remote)  # checks are computed through the remote store too
        settings = Settings(endpoint=server.query_url, update_endpoint=server.update_url, query_timeout=10.0)
        with TestClient(create_app(settings, workers=1)) as c:
            yield c
    finally:
        stop_oxigraph(server)


def test_indicators_list_the_scheme_with_counts(client: TestClient) -> None:
    items = client.get("/api/indicators").json()
    assert len(items) >= 60
    by_id = {i["id"]: i for i in items}
    received = by_id["admin-reconsideration-received"]
    assert received["label"] == "行政复议收案数" and received["units"] == ["件"]
    assert received["broader"]["id"] == "admin-reconsideration-cases"
    assert (
        client.get("/api/indicators/admin-reconsideration-received").json()["broader"]["label"]
        == "行政复议案件数"
    )
    assert received["observations"] == 7  # Cixi 2023, 2024; Kunshan 2021–2023; Changshu 2022, 2023
    assert by_id["admin-reconsideration-cases"]["broader"] is None
    one = client.get("/api/indicators/legal-aid-cases").json()
    assert one["label_en"] == "Legal aid cases" and one["observations"] == 4
    assert client.get("/api/indicators/no-such-thing").status_code == 404


def test_series_of_cixi_in_one_request_with_evidence(client: TestClient) -> None:
    doc = client.get(
        "/api/indicators/admin-reconsideration-cases/observations", params={"place": CIXI}
    ).json()
    seen = {(o["year"], o["indicator"]["id"], o["value"]) for o in doc["items"]}
    assert {
        (2023, "admin-reconsideration-received", "316"),
        (2024, "admin-reconsideration-received", "587"),
        (2023, "admin-reconsideration-closed", "254"),
    } <= seen
    assert all(o["place"]["id"] == CIXI for o in doc["items"]) and doc["total"] == len(doc["items"])
    texts: dict[str, str] = {}
    for o in doc["items"]:
        report = o["report"]["id"]
        texts.setdefault(report, client.get(f"/api/reports/{report}").json()["text"])
        span = o["evidence"]
        assert texts[report][span["start"] : span["end"]] == span["exact"]


def test_series_within_a_city_and_of_one_year(client: TestClient) -> None:
    url = "/api/indicators/admin-reconsideration-received/observations"
    city = client.get(url, params={"within": SUZHOU}).json()["items"]
    assert {(o["place"]["label"], o["year"], o["value"]) for o in city} == {
        ("昆山市", 2021, "400"),
        ("昆山市", 2022, "480"),
        ("昆山市", 2023, "540"),
        ("常熟市", 2022, "300"),
        ("常熟市", 2023, "360"),
    }
    one_year = client.get(url, params={"within": SUZHOU, "year": 2023}).json()["items"]
    assert {o["value"] for o in one_year} == {"540", "360"}
    assert client.get(url, params={"place": "Not A Slug"}).status_code == 422


def test_series_as_csv(client: TestClient) -> None:
    url = "/api/indicators/admin-reconsideration-received/observations"
    as_json = client.get(url, params={"within": SUZHOU}).json()
    for response in (
        client.get(url, params={"within": SUZHOU, "format": "csv"}),
        client.get(url, params={"within": SUZHOU}, headers={"Accept": "text/csv"}),
        client.get(url + ".csv", params={"within": SUZHOU}),
    ):
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert len(rows) == as_json["total"]
        assert {r["place_label"] for r in rows} == {"昆山市", "常熟市"} and {r["unit"] for r in rows} == {
            "件"
        }


def test_checks(client: TestClient) -> None:
    everything = client.get("/api/checks").json()
    assert everything["total"] == 8  # 7 of the fixtures + Cixi 2024's 587件
    bad = client.get("/api/checks", params={"status": "inconsistent", "place": CIXI}).json()["items"]
    assert len(bad) == 1
    check = bad[0]
    assert (check["figure_exact"], check["change_exact"], check["previous_exact"]) == (
        "587件",
        "104.5%",
        "316件",
    )
    assert check["base_year"] == 2023 and check["previous_report"]["id"] == "cixishisifaju-2023"
    assert check["implied"].startswith("287.04")
    good = client.get("/api/checks", params={"status": "consistent"}).json()
    assert good["total"] == 5 and all(c["status"] == "consistent" for c in good["items"])
    narrower = client.get("/api/checks", params={"indicator": "admin-reconsideration-cases"}).json()
    assert narrower["total"] == 4
    assert client.get("/api/checks", params={"status": "maybe"}).status_code == 422


def test_openapi_names_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/indicators",
        "/api/indicators/{id}",
        "/api/indicators/{id}/observations",
        "/api/checks",
        "/api/indicators/{id}/observations.csv",
    } <= set(paths)
