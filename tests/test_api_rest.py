"""REST resources, lineage and linked data on the hand-made fixture, against both store backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rolkg.api.app import create_app

R = "cixishisifaju-2024"
REVIEW = f"{R}-1-2-3"  # 提升县乡合法性审查质效
CORRECTIONS = f"{R}-1-4-2"
PLAN_REVIEW = f"{R}-3-2"
PLAN_CORR = f"{R}-3-4"
PILOT = f"{R}-1-2-3-1"
OUTING = "shequjiaozhengduixiangwaichuguanliguifan"
ID = "https://w3id.org/rolkg/id/"


@pytest.fixture(scope="module", params=["embedded", "remote", "virtuoso"])
def client(request: pytest.FixtureRequest, api_stores: dict[str, object]) -> Iterator[TestClient]:
    settings = api_stores[f"{request.param}-fixture"]
    with TestClient(create_app(settings, workers=1)) as c:  # type: ignore[arg-type]
        yield c


def test_healthz_and_stats(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["triples"] > 200
    stats = client.get("/api/stats").json()
    assert stats["classes"]["Initiative"] == 2
    assert stats["classes"]["PlannedInitiative"] == 2
    assert stats["classes"]["Pilot"] == 1
    assert stats["triples"] == health["triples"]


def test_reports_list_and_detail_with_evidence_spans(client: TestClient) -> None:
    reports = client.get("/api/reports").json()
    assert [r["id"] for r in reports] == [R]
    assert reports[0]["year"] == 2024 and reports[0]["publisher"]["id"] == "cixishisifaju"
    detail = client.get(f"/api/reports/{R}").json()
    text = detail["text"]
    assert text.startswith("一、主要举措和成效")
    assert len(detail["evidence"]) >= 10
    for span in detail["evidence"]:  # a client can highlight each span with these offsets
        assert text[span["start"] : span["end"]] == span["exact"]
        assert span["about"], span
    assert client.get("/api/reports/nope-1999").status_code == 404


def test_initiatives_filters_and_pagination(client: TestClient) -> None:
    everything = client.get("/api/initiatives").json()
    assert everything["total"] == 5
    planned = client.get("/api/initiatives", params={"kind": "planned"}).json()
    assert {i["id"] for i in planned["items"]} == {PLAN_REVIEW, PLAN_CORR}
    assert all(i["type"] == "PlannedInitiative" for i in planned["items"])
    assert client.get("/api/initiatives", params={"year": 2025}).json()["total"] == 2
    themed = client.get("/api/initiatives", params={"theme": "community-corrections"}).json()
    assert {i["id"] for i in themed["items"]} == {CORRECTIONS, PLAN_CORR}
    partner = client.get("/api/initiatives", params={"body": "cixishirenminfayuan"}).json()
    assert [i["id"] for i in partner["items"]] == [PLAN_CORR]
    found = client.get("/api/initiatives", params={"q": "合法性审查"}).json()
    assert {i["id"] for i in found["items"]} == {REVIEW, PLAN_REVIEW, PILOT}
    page = client.get("/api/initiatives", params={"limit": 2, "offset": 4}).json()
    assert page["total"] == 5 and len(page["items"]) == 1
    assert client.get("/api/initiatives", params={"report": "nothing-2000"}).json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 5000}, {"offset": -1}, {"kind": "maybe"}, {"year": "soon"}, {"body": "Bad Id!"}],
)
def test_bad_parameters_are_422(client: TestClient, params: dict[str, object]) -> None:
    response = client.get("/api/initiatives", params=params)
    assert response.status_code == 422, response.text
    assert "detail" in response.json()


def test_initiative_detail(client: TestClient) -> None:
    d = client.get(f"/api/initiatives/{REVIEW}").json()
    assert d["label"] == "提升县乡合法性审查质效" and d["type"] == "Initiative"
    assert [b["id"] for b in d["lead_bodies"]] == ["cixishisifaju"]
    assert [t["id"] for t in d["themes"]] == ["legality-review"]
    assert [x["id"] for x in d["documents"]] == ["cixishifazhishenchayuanrenmingguanlibanfa"]
    assert [p["id"] for p in d["pilots"]] == [PILOT]
    assert [p["id"] for p in d["parts"]] == [PILOT]
    (metric,) = d["metrics"]
    assert metric["value"] == "65" and metric["unit"] == "名"
    assert metric["evidence"][0]["exact"] == "完成首批65名法治审查员任命"
    assert d["evidence"][0]["exact"].startswith("三是提升县乡合法性审查质效")
    corr = client.get(f"/api/initiatives/{CORRECTIONS}").json()
    assert [f["id"] for f in corr["facilities"]] == ["cixishihuangsidaianzhibangjiaoshifanjidi"]
    assert client.get("/api/initiatives/cixishisifaju").status_code == 404  # a body's slug
    assert client.get("/api/initiatives/UPPER").status_code == 404


def test_initiative_as_jsonld(client: TestClient) -> None:
    response = client.get(f"/api/initiatives/{REVIEW}", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.text, format="json-ld")
    assert (URIRef(ID + f"initiative/{REVIEW}"), None, None) in graph


def test_bodies_documents_facilities(client: TestClient) -> None:
    bodies = client.get("/api/bodies").json()
    assert {b["id"] for b in bodies["items"]} == {"cixishisifaju", "cixishirenminfayuan"}
    body = client.get("/api/bodies/cixishisifaju").json()
    assert body["level"] == "county" and "市司法局" in body["alt_labels"]
    assert {i["id"] for i in body["leads"]} == {REVIEW, CORRECTIONS, PILOT, PLAN_REVIEW, PLAN_CORR}
    assert {d["id"] for d in body["documents"]} == {OUTING, "cixishifazhishenchayuanrenmingguanlibanfa"}
    assert [f["id"] for f in body["facilities"]] == ["cixishihuangsidaianzhibangjiaoshifanjidi"]
    court = client.get("/api/bodies/cixishirenminfayuan").json()
    assert [i["id"] for i in court["partners_in"]] == [PLAN_CORR]
    docs = client.get("/api/documents", params={"q": "外出管理工作规范"}).json()  # matches the variant title
    assert [d["id"] for d in docs["items"]] == [OUTING]
    doc = client.get(f"/api/documents/{OUTING}").json()
    assert [i["id"] for i in doc["produced_by"]] == [CORRECTIONS]
    assert [i["id"] for i in doc["implemented_by"]] == [PLAN_CORR]
    assert doc["recognitions"] and doc["document_kind"] == "policy"
    facilities = client.get("/api/facilities").json()
    assert facilities["total"] == 1
    fac = client.get(f"/api/facilities/{facilities['items'][0]['id']}").json()
    assert fac["count"] == 1 and [p["id"] for p in fac["produced_by"]] == [CORRECTIONS]
    assert client.get("/api/documents/no-such-doc").status_code == 404


def test_metrics_themes_search(client: TestClient) -> None:
    metrics = client.get("/api/metrics", params={"unit": "名"}).json()
    assert metrics["total"] == 1 and metrics["items"][0]["measures"][0]["id"] == REVIEW
    assert client.get("/api/metrics", params={"unit": "件"}).json()["total"] == 0
    assert client.get("/api/metrics", params={"year": 2024, "indicator": "审查员"}).json()["total"] == 1
    themes = {t["id"]: t for t in client.get("/api/themes").json()}
    assert themes["legality-review"]["initiatives"] == 3
    assert themes["legality-review"]["label_en"]
    hits = client.get("/api/search", params={"q": "社区矫正"}).json()
    assert OUTING in {h["id"] for h in hits["items"]}
    english = client.get("/api/search", params={"q": "bureau of justice"}).json()
    assert "cixishisifaju" in {h["id"] for h in english["items"]}
    assert client.get("/api/search").status_code == 422


def _edges(lineage: dict) -> set[tuple[str, str, str]]:
    short = lambda iri: iri.rsplit("/", 1)[-1]  # noqa: E731
    return {(short(e["source"]), e["relation"], short(e["target"])) for e in lineage["edges"]}


def test_lineage_of_document_downstream_reaches_the_plan(client: TestClient) -> None:
    down = client.get(f"/api/documents/{OUTING}/lineage", params={"direction": "down"}).json()
    assert (PLAN_CORR, "implements", OUTING) in _edges(down)
    up = client.get(f"/api/documents/{OUTING}/lineage", params={"direction": "up"}).json()
    assert _edges(up) == {(CORRECTIONS, "produces", OUTING)}
    edge = up["edges"][0]
    assert edge["evidence"][0]["exact"] == "研究制订全省首个《社区矫正对象外出管理规范》"


def test_lineage_of_initiative_both_ways_with_depth(client: TestClient) -> None:
    both = client.get(f"/api/initiatives/{REVIEW}/lineage", params={"direction": "both", "depth": 1}).json()
    assert _edges(both) >= {
        (PLAN_REVIEW, "continues", REVIEW),
        (REVIEW, "produces", PILOT),
        (REVIEW, "produces", "cixishifazhishenchayuanrenmingguanlibanfa"),
    }
    assert any(e["relation"] == "measures" for e in both["edges"])
    labels = {n["id"]: n["label"] for n in both["nodes"]}
    assert labels[PLAN_REVIEW] == "深化县乡合法性审查改革"
    # depth 2 from the plan reaches the pilot produced by the initiative it continues
    deep = client.get(f"/api/lineage/initiative/{PLAN_REVIEW}", params={"direction": "up", "depth": 2}).json()
    shallow = client.get(
        f"/api/lineage/initiative/{PLAN_REVIEW}", params={"direction": "up", "depth": 1}
    ).json()
    assert len(deep["nodes"]) >= len(shallow["nodes"])
    assert (PLAN_REVIEW, "addresses", f"{R}-{_shortcoming_offset()}") in _edges(shallow)
    assert client.get(f"/api/initiatives/{REVIEW}/lineage", params={"depth": 99}).status_code == 422
    assert client.get("/api/lineage/initiative/nothing-here").status_code == 404
    assert client.get("/api/lineage/planet/x").status_code == 422


def _shortcoming_offset() -> int:
    """The shortcoming's slug is the report slug + its start offset; read it from the fixture."""
    from pathlib import Path

    trig = (Path(__file__).parent / "fixtures" / "api" / "mini.trig").read_text(encoding="utf-8")
    start = trig.index("id/shortcoming/") + len("id/shortcoming/") + len(R) + 1
    return int(trig[start : trig.index(">", start)])


def test_linked_data_negotiation(client: TestClient) -> None:
    path = f"/id/initiative/{REVIEW}"
    turtle = client.get(path)
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "Accept" in turtle.headers["vary"]
    assert 'rel="alternate"' in turtle.headers["link"]
    g = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(ID + f"initiative/{REVIEW}"), None, None) in g
    nt = client.get(path, headers={"Accept": "application/n-triples"})
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert len(Graph().parse(data=nt.text, format="nt")) == len(g)
    ld = client.get(path, headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=ld.text, format="json-ld")) == len(g)
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html"), (page.status_code, page.text[:600])
    assert "<script" not in page.text
    assert client.get(path, headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/initiative/does-not-exist").status_code == 404


def test_ontology_and_dumps(client: TestClient) -> None:
    onto = client.get("/ontology")
    assert onto.headers["content-type"].startswith("text/turtle")
    assert "rol:Initiative" in onto.text or "#Initiative" in onto.text
    xml = client.get("/ontology", headers={"Accept": "application/rdf+xml"})
    assert len(Graph().parse(data=xml.text, format="xml")) > 50
    trig = client.get("/dumps/rolkg.trig")
    assert trig.status_code == 200 and "cixishisifaju-2024" in trig.text
    nq = client.get("/dumps/rolkg.nq")
    lines = [ln for ln in nq.text.splitlines() if ln.strip()]
    assert len(lines) == client.get("/healthz").json()["triples"]
