"""Paging, filters and capped incoming links of the REST lists, on a small synthetic store of several reports.

The expected answers are computed from the N-Quads file with rdflib, not with SPARQL: pages put together
must give exactly the resources the file holds, in (report, IRI) order, however the pages are cut.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, URIRef
from rdflib.namespace import RDF
from rolkg.api.app import create_app
from rolkg.graph.namespaces import ROL

from rolkg.config import Settings
from tests.bench import synth

INITIATIVE_CLASSES = {ROL.Initiative, ROL.PlannedInitiative, ROL.Pilot}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Dataset]:
    """A store of a few synthetic reports (loaded by ``rolkg load``, served read-only) and the same quads."""
    folder = tmp_path_factory.mktemp("paging")
    dump = folder / "synth.nq"
    synth.write(20_000, dump)
    store = folder / "store"
    done = subprocess.run(
        [sys.executable, "-m", "rolkg", "--store", str(store), "load", str(dump)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    quads = Dataset(default_union=True)
    quads.parse(dump, format="nquads")
    return store, quads


@pytest.fixture(scope="module")
def client(data: tuple[Path, Dataset]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=data[0]), workers=1)) as c:
        yield c


def _initiatives(quads: Dataset) -> list[tuple[str, str]]:
    """(report, initiative) of every initiative in the file, in the order the API promises."""
    found = {
        (str(quads.value(s, ROL.report)), str(s))
        for cls in INITIATIVE_CLASSES
        for s in quads.subjects(RDF.type, cls)
        if isinstance(s, URIRef)
    }
    return sorted(found)


def _pages(client: TestClient, path: str, size: int, **params: object) -> tuple[set[int], list[dict]]:
    totals, items, offset = set(), [], 0
    while True:
        page = client.get(path, params={**params, "limit": size, "offset": offset}).json()
        totals.add(page["total"])
        items += page["items"]
        offset += size
        if offset >= page["total"]:
            return totals, items


def test_several_reports_are_held(data: tuple[Path, Dataset]) -> None:
    assert len({report for report, _ in _initiatives(data[1])}) >= 3  # pages must cross report groups


@pytest.mark.parametrize("size", [1, 7, 50, 1000])
def test_initiative_pages_put_together_are_the_whole_list_in_order(
    client: TestClient, data: tuple[Path, Dataset], size: int
) -> None:
    expected = _initiatives(data[1])
    totals, items = _pages(client, "/api/initiatives", size)
    assert totals == {len(expected)}
    assert [(i["report"], i["iri"]) for i in items] == expected


def test_a_page_past_the_end_is_empty_with_the_total(client: TestClient, data: tuple[Path, Dataset]) -> None:
    page = client.get("/api/initiatives", params={"offset": 100_000}).json()
    assert page["items"] == [] and page["total"] == len(_initiatives(data[1]))


def test_initiative_filters_match_the_file(client: TestClient, data: tuple[Path, Dataset]) -> None:
    quads = data[1]
    year = 2022
    dated = [
        (r, i)
        for r, i in _initiatives(quads)
        if any(int(y) == year for y in quads.objects(URIRef(i), ROL.year))
    ]
    totals, items = _pages(client, "/api/initiatives", 13, year=year)
    assert totals == {len(dated)} and [(i["report"], i["iri"]) for i in items] == dated
    planned = sorted(str(s) for s in set(quads.subjects(RDF.type, ROL.PlannedInitiative)))
    _, items = _pages(client, "/api/initiatives", 20, kind="planned")
    assert sorted(i["iri"] for i in items) == planned
    assert all(i["type"] in {"PlannedInitiative", "Pilot"} for i in items)  # a planned pilot is both


def test_metric_pages_cross_reports_and_match_the_file(
    client: TestClient, data: tuple[Path, Dataset]
) -> None:
    quads = data[1]
    expected = sorted(
        {(str(quads.value(m, ROL.report)), str(m)) for m in quads.subjects(RDF.type, ROL.Metric)}
    )
    totals, items = _pages(client, "/api/metrics", 9)
    assert totals == {len(expected)}
    assert [(m["report"], m["iri"]) for m in items] == expected
    # each figure's evidence came back from the one batched lookup, and it is the figure's own
    for item in items[:20]:
        own = {str(e) for e in quads.objects(URIRef(item["iri"]), ROL.evidence)}
        assert {span["iri"] for span in item["evidence"]} == own


def test_body_pages_have_no_duplicates_although_bodies_recur_in_every_graph(
    client: TestClient, data: tuple[Path, Dataset]
) -> None:
    expected = sorted({str(b) for b in data[1].subjects(RDF.type, ROL.Body)})
    totals, items = _pages(client, "/api/bodies", 4)
    assert totals == {len(expected)} and [b["iri"] for b in items] == expected


def _hub(quads: Dataset) -> tuple[URIRef, set[str]]:
    """The body leading the most initiatives, and those initiatives."""
    leads: dict[URIRef, set[str]] = {}
    for s, o in quads.subject_objects(ROL.leadBody):
        leads.setdefault(o, set()).add(str(s))  # type: ignore[arg-type]
    hub = max(leads, key=lambda b: len(leads[b]))
    return hub, leads[hub]


def test_a_hub_bodys_incoming_links_are_capped_with_a_count_and_the_rest_paged(
    client: TestClient, data: tuple[Path, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    hub, led = _hub(data[1])
    assert len(led) > 5
    monkeypatch.setattr("rolkg.api.readers.INCOMING_CAP", 5)
    body = client.get(f"/api/bodies/{str(hub).rsplit('/', 1)[1]}").json()
    assert len(body["leads"]) == 5 and {i["iri"] for i in body["leads"]} <= led
    note = next(c for c in body["capped"] if c["field"] == "leads")
    assert note["total"] == len(led) and note["shown"] == 5 and note["property"] == str(ROL.leadBody)
    more = httpx.URL(note["more"])
    totals, rest = _pages(client, more.path, 4, **dict(more.params))
    assert totals == {len(led)}
    assert [i["iri"] for i in rest] == sorted(led)  # every one of them, once, in IRI order


def test_uncapped_details_say_nothing_is_capped(client: TestClient, data: tuple[Path, Dataset]) -> None:
    hub, led = _hub(data[1])
    body = client.get(f"/api/bodies/{str(hub).rsplit('/', 1)[1]}").json()
    assert {i["iri"] for i in body["leads"]} == led and body["capped"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/incoming/body/no-such-body?property=https://w3id.org/rolkg/ontology%23leadBody",
        "/api/incoming/body/x?property=javascript:alert(1)",
        "/api/incoming/Body!/x?property=https://w3id.org/rolkg/ontology%23leadBody",
    ],
)
def test_incoming_refuses_bad_requests_in_one_line(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code in {404, 422} and "detail" in answer.json()
