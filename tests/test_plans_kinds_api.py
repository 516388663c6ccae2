"""/api/plans, /api/kinds and their pages on the fixture series and two bundled reports of one city."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rolkg.api.app import create_app
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file
from rolkg.graph.model import ReportMeta
from rolkg.graph.store import EmbeddedStore, load_ontology

from rolkg.config import Settings

SERIES = Path(__file__).parent / "fixtures" / "series"


def fill(store: EmbeddedStore) -> None:
    load_ontology(store)
    with (SERIES / "series.tsv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            meta = ReportMeta(
                title=r["title"], issuer=r["issuer"], jurisdiction=r["jurisdiction"], year=int(r["year"])
            )
            ingest_file(SERIES / r["file"], meta, store)
    for name in ("cixi-sfj-2024.txt", "fenghua-sfj-2024.txt"):
        ingest_file(REPORTS_DIR / name, None, store)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans") / "store"
    with EmbeddedStore(path) as store:
        fill(store)
    return path


@pytest.fixture(scope="module")
def client(filled: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=filled, query_timeout=10.0), workers=1)) as c:
        yield c


def test_every_kind_at_once_gives_each_kind_its_own_rows(filled: Path) -> None:
    """A read-only store answers every kind's adoption from one whole-store query: each kind's rows are
    exactly those the query asked for that kind alone gives, in the same order."""
    from rdflib import URIRef
    from rolkg.api.kinds import adoption_rows, kinds
    from rolkg.graph.query import QueryLayer

    with EmbeddedStore.read_only(filled) as store:
        layer = QueryLayer(store)
        assert layer.keeps_answers
        used = 0
        for kind in kinds(layer):
            alone = layer.select("read/kind-adoption", kinds=[URIRef(kind.iri)])
            assert adoption_rows(layer, kind.iri) == alone
            used += bool(alone)
        assert used >= 2 and layer.holds("read/kind-adoption:every")


def test_plans_filter_by_place_and_year(client: TestClient) -> None:
    body = client.get("/api/plans", params={"place": "吴江", "year": 2023}).json()
    assert body["total"] == len(body["items"]) > 0
    assert all(p["year"] == 2023 and "吴江" in p["place"] for p in body["items"])
    station = next(p for p in body["items"] if "设立一批行政执法监督观察站" in p["plan"]["label"])
    assert station["status"] == "carried-out" and station["followed_up_by"]
    assert station["followed_up_by"][0]["id"].startswith("suzhoushiwujiangqusifaju-2023-")
    health = next(p for p in body["items"] if "法治体检" in p["plan"]["label"])
    assert health["status"] == "not-found" and not health["followed_up_by"]
    assert sum(body["counts"].values()) == body["total"]


def test_plans_filter_by_status(client: TestClient) -> None:
    body = client.get("/api/plans", params={"status": "no-report"}).json()
    assert body["total"] > 0 and all(p["status"] == "no-report" for p in body["items"])
    assert {p["year"] for p in body["items"]} == {2025}  # every 2024 report's plans: no 2025 report held
    assert client.get("/api/plans", params={"status": "done"}).status_code == 422


def test_two_towns_stations_are_two_facilities_of_one_kind(client: TestClient) -> None:
    body = client.get("/api/kinds/rule-of-law-practice-station/adoption").json()
    assert body["kind"]["zh"] == "新时代法治实践站"
    places = {p["place"]: p for p in body["places"]}
    cixi, fenghua = places["慈溪市"], places["奉化区"]
    assert cixi["things"][0]["iri"] != fenghua["things"][0]["iri"]
    assert cixi["count"] == 22 and cixi["first_year"] == 2024
    wujiang = places["吴江区"]
    assert wujiang["first_year"] == 2023 and wujiang["years"] == [2023, 2024]
    assert all(
        "法治实践站" in m["exact"] and m["exact"] in m["context"]
        for p in body["places"]
        for m in p["mentions"]
    )
    assert [p["first_year"] for p in body["places"]] == sorted(p["first_year"] for p in body["places"])


def test_kinds_list_and_unknown_kind(client: TestClient) -> None:
    kinds = {k["id"]: k for k in client.get("/api/kinds").json()}
    assert kinds["law-enforcement-supervision-station"]["places"] >= 3  # Cixi, Wujiang, Kunshan
    assert kinds["rule-of-law-health-check"]["applies_to"] == "Initiative"
    assert client.get("/api/kinds/no-such-kind/adoption").status_code == 404
    assert client.get("/api/kinds/Bad%20Id/adoption").status_code == 404


def test_openapi_documents_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/plans" in spec["paths"] and "/api/kinds/{id}/adoption" in spec["paths"]
    assert "PlanFollowThrough" in spec["components"]["schemas"]
    assert "PlaceAdoption" in spec["components"]["schemas"]


def test_pages_render_and_escape(client: TestClient) -> None:
    page = client.get("/viz/plans", params={"place": "<b>吴江", "status": "carried-out"})
    assert page.status_code == 200 and "&lt;b&gt;吴江" in page.text and "<b>吴江" not in page.text
    page = client.get("/viz/plans", params={"place": "吴江"})
    assert "已落实" in page.text and "未见落实" in page.text
    page = client.get("/viz/kinds/law-enforcement-supervision-station")
    assert page.status_code == 200 and "adoption-timeline" in page.text and "昆山" in page.text
    assert client.get("/viz/kinds/nothing-here").status_code == 404
    assert "新时代法治实践站" in client.get("/viz/kinds").text
