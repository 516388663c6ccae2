"""HTTP semantics on every route: HEAD, OPTIONS, Vary, the configured base (never the Host header), and
422 bodies that match the OpenAPI's own schema."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rolkg.api.app import create_app

BASE = "https://rolkg.example.org/"


@pytest.fixture(scope="module")
def client(api_stores: dict[str, object]) -> Iterator[TestClient]:
    settings = dataclasses.replace(api_stores["embedded-fixture"], base_iri=BASE, query_timeout=60.0)  # type: ignore[type-var]
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _get_paths(client: TestClient) -> list[str]:
    """Every GET operation of the OpenAPI without path parameters, and the pages' entry points."""
    spec = client.get("/openapi.json").json()["paths"]
    paths = [path for path, ops in spec.items() if "get" in ops and "{" not in path]
    return sorted({*paths, "/", "/viz/overview", "/docs", "/openapi.json"})


def test_head_is_get_without_a_body_on_every_route(client: TestClient) -> None:
    paths = [*_get_paths(client), "/id/initiative/cixishisifaju-2024-1-2-3", "/id/nothing/here"]
    assert len(paths) > 10
    for path in paths:
        get = client.get(path)
        head = client.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == get.headers.get("content-type"), path


def test_options_answers_allow(client: TestClient) -> None:
    answer = client.options("/sparql")
    assert answer.status_code == 204
    assert set(answer.headers["allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert set(client.options("/healthz").headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert client.options("/no/such/route").status_code == 404
    preflight = client.options(
        "/sparql", headers={"Origin": "https://x.example", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


def test_vary_accept_where_negotiated(client: TestClient) -> None:
    html = {"Accept": "text/html"}
    for path in ("/sparql", "/id/initiative/cixishisifaju-2024-1-2-3", "/ontology", "/api/reports"):
        for headers in (html, {"Accept": "text/turtle"}, {}):
            vary = client.get(path, headers=headers).headers.get("vary", "")
            assert "accept" in vary.lower(), (path, headers, vary)


def test_links_use_the_configured_base_not_the_host_header(client: TestClient) -> None:
    evil = {"Host": "attacker.example", "Accept": "text/turtle"}
    entity = client.get("/id/initiative/cixishisifaju-2024-1-2-3", headers=evil)
    assert entity.status_code == 200
    assert "attacker" not in entity.headers["link"]
    assert BASE + "id/initiative/cixishisifaju-2024-1-2-3" in entity.headers["link"]
    sd = client.get("/sparql", headers=evil)
    assert "attacker" not in sd.text
    graph = Graph().parse(data=sd.text, format="turtle")
    endpoints = {str(o) for o in graph.objects(None, None) if str(o).endswith("/sparql")}
    assert endpoints == {BASE + "sparql"}
    page = client.get("/sparql", headers={"Host": "attacker.example", "Accept": "text/html"})
    assert "attacker" not in page.text


def test_422_bodies_match_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    required = set(schema["ValidationError"]["required"])
    answer = client.get("/api/initiatives", params={"limit": "many"})
    assert answer.status_code == 422
    for item in answer.json()["detail"]:
        assert required <= set(item), item
        assert (
            isinstance(item["loc"], list) and isinstance(item["msg"], str) and isinstance(item["type"], str)
        )


def test_docs_are_served_from_the_package(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    for url in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert not re.match(r"(https?:)?//", url), url
        if url.startswith("data:"):
            continue
        assert client.get(url).status_code == 200, url


def test_sparql_is_documented_by_fastapi_and_served_by_its_plain_routes(client: TestClient) -> None:
    from starlette.routing import Route

    ops = client.get("/openapi.json").json()["paths"]["/sparql"]
    assert {"get", "post"} <= set(ops) and any(p["name"] == "query" for p in ops["get"]["parameters"])
    served = [r for r in client.app.router.routes if isinstance(r, Route) and r.path == "/sparql"]  # type: ignore[attr-defined]
    assert [type(r).__name__ for r in served][:2] == ["Route", "Route"]  # plain ones first: they answer
    assert client.put("/sparql").status_code == 405
