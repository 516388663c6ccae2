"""SPARQL 1.1 Protocol details on both backends: the RDF dataset (Protocol §2.1.4, Query §13), one query per
request, updates in any form, admission when every worker is busy, deep but valid queries."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rolkg.api.app import create_app

REPORT = "https://w3id.org/rolkg/graph/report/cixishisifaju-2024"
ONTOLOGY = "https://w3id.org/rolkg/graph/ontology"
COUNT = "SELECT (COUNT(*) AS ?n) {from_} WHERE {{ ?s ?p ?o }}"
GRAPHS = "SELECT DISTINCT ?g {from_} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} ORDER BY ?g"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module", params=["embedded", "remote"])
def client(request: pytest.FixtureRequest, api_stores: dict[str, object]) -> Iterator[TestClient]:
    # These tests are about answers, not deadlines: a generous timeout keeps a loaded machine from failing them.
    settings = dataclasses.replace(api_stores[f"{request.param}-fixture"], query_timeout=60.0)  # type: ignore[type-var]
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _count(client: TestClient, query: str, **params: object) -> int:
    answer = client.get("/sparql", params={"query": query, **params})
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def _graphs(client: TestClient, query: str, **params: object) -> list[str]:
    answer = client.get("/sparql", params={"query": query, **params})
    assert answer.status_code == 200, answer.text
    return [b["g"]["value"] for b in answer.json()["results"]["bindings"]]


def test_dataset_semantics(client: TestClient) -> None:
    union = _count(client, COUNT.format(from_=""))
    report = _count(client, COUNT.format(from_=f"FROM <{REPORT}>"))
    ontology = _count(client, COUNT.format(from_=f"FROM <{ONTOLOGY}>"))
    assert 0 < report < union and 0 < ontology < union
    assert _count(client, COUNT.format(from_=f"FROM <{REPORT}> FROM <{ONTOLOGY}>")) == report + ontology
    # A protocol default-graph-uri replaces the query's FROM (it is not merged with it).
    assert _count(client, COUNT.format(from_=f"FROM <{ONTOLOGY}>"), **{"default-graph-uri": REPORT}) == report
    # A dataset with named graphs only has an empty default graph, whether named by protocol or query.
    assert _count(client, COUNT.format(from_=""), **{"named-graph-uri": REPORT}) == 0
    assert _count(client, COUNT.format(from_=f"FROM NAMED <{REPORT}>")) == 0
    assert _graphs(client, GRAPHS.format(from_=""), **{"named-graph-uri": REPORT}) == [REPORT]
    assert _graphs(client, GRAPHS.format(from_=f"FROM NAMED <{ONTOLOGY}>")) == [ONTOLOGY]
    # ... and one with a default graph only has no named graphs.
    assert _graphs(client, GRAPHS.format(from_=""), **{"default-graph-uri": REPORT}) == []
    assert _graphs(client, GRAPHS.format(from_=f"FROM <{REPORT}>")) == []
    # No dataset at all: the union default graph and every named graph.
    assert set(_graphs(client, GRAPHS.format(from_=""))) >= {REPORT, ONTOLOGY}


def test_one_query_per_request_and_no_updates(client: TestClient) -> None:
    twice = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK { ?s ?p ?o }")])
    assert twice.status_code == 400 and "exactly one" in twice.text
    form_twice = client.post("/sparql", data={"query": ["ASK {}", "ASK {}"]})
    assert form_twice.status_code == 400
    both = client.post(
        "/sparql?query=ASK%20%7B%7D", content=b"ASK {}", headers={"Content-Type": "application/sparql-query"}
    )
    assert both.status_code == 400
    for answer in (
        client.get("/sparql", params={"update": "DROP ALL"}),
        client.post("/sparql", data={"update": "DROP ALL"}),
        client.post("/sparql?update=DROP%20ALL", data={"query": "ASK {}"}),
        client.post("/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}),
        client.get("/sparql", params={"query": "DROP ALL"}),
    ):
        assert answer.status_code == 400 and "read-only" in answer.text, answer.text
    assert _count(client, COUNT.format(from_="")) > 0  # nothing was dropped


def test_valid_deep_queries_are_answered(api_stores: dict[str, object]) -> None:
    """40 nested groups and 1,000 UNIONs are valid SPARQL: checked in the worker (where rdflib's parser
    gets the stack it needs, under the query's own deadline), not refused as "too deep"."""
    settings = dataclasses.replace(api_stores["embedded-fixture"], query_timeout=120.0)  # type: ignore[type-var]
    with TestClient(create_app(settings)) as client:
        nested = "SELECT * WHERE " + "{ " * 40 + "?s ?p ?o" + " }" * 40 + " LIMIT 1"
        assert client.get("/sparql", params={"query": nested}).status_code == 200
        unions = "ASK { " + " UNION ".join(f"{{ ?s ?p {i} }}" for i in range(1000)) + " }"
        answer = client.post("/sparql", data={"query": unions})
        assert answer.status_code == 200, answer.text


def test_relative_iris_resolve_against_the_fixed_base(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": "SELECT (<x> AS ?i) WHERE {}"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"]["bindings"][0]["i"]["value"] == "https://w3id.org/rolkg/id/x"


def test_a_full_line_is_refused_at_once_with_retry_after(api_stores: dict[str, object]) -> None:
    app = create_app(api_stores["embedded-fixture"], workers=1, fast_workers=0, max_waiting=0)  # type: ignore[arg-type]
    with TestClient(app) as client:
        statuses: list[int] = []
        runner = threading.Thread(
            target=lambda: statuses.append(client.post("/sparql", data={"query": HEAVY}).status_code)
        )
        runner.start()
        pool = app.state.rolkg.pool
        while pool.idle_count() > 0 and runner.is_alive():
            threading.Event().wait(0.02)
        busy = client.get("/sparql", params={"query": "ASK {}"})
        health = client.get("/healthz")
        runner.join(timeout=30)
    assert busy.status_code == 503 and busy.headers["retry-after"]
    assert "try again" in busy.text
    assert health.status_code == 200
    assert statuses == [503]  # the heavy query itself ran into the deadline


def test_answers_are_cut_to_the_byte_cap(api_stores: dict[str, object]) -> None:
    settings = dataclasses.replace(api_stores["embedded-fixture"], query_timeout=60.0)  # type: ignore[type-var]
    with TestClient(create_app(settings, max_answer_bytes=3000)) as client:
        answer = client.get("/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"})
        assert answer.status_code == 200
        assert len(answer.content) <= 3000
        assert "3000 bytes" in answer.headers["x-result-capped"]
        rows = answer.json()["results"]["bindings"]  # still one well-formed document
        assert 0 < len(rows) == int(answer.headers["x-result-rows"])
        huge = "SELECT ?x WHERE { BIND(CONCAT(" + ", ".join(['"' + "x" * 500 + '"'] * 10) + ") AS ?x) }"
        too_big = client.get("/sparql", params={"query": huge})
        assert too_big.status_code == 413 and "3000 bytes" in too_big.text
