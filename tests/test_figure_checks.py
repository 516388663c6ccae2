"""Figure checks (graph/checks.py) and the series query, on fixtures ingested in shuffled orders and on
the bundled reports (the 587件 / 同比上升104.5% check against the 2023 report's 316件)."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rolkg.data import REPORTS_DIR
from rolkg.graph.checks import checks_graph, compute_checks, observations_of, recheck_place, to_graph
from rolkg.graph.ingest import ingest_file, ingest_text
from rolkg.graph.model import ReportMeta
from rolkg.graph.query import QueryLayer
from rolkg.graph.report_place import place_of
from rolkg.graph.store import EmbeddedStore, load_ontology
from rolkg.graph.validate import validate_graph
from typer.testing import CliRunner

from rolkg.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "indicators"
IND = "https://w3id.org/rolkg/id/indicator/"
RECEIVED = URIRef(IND + "admin-reconsideration-received")
KUNSHAN = place_of("江苏省苏州市昆山市")
SUZHOU = place_of("江苏省苏州市")
CIXI = place_of("浙江省宁波市慈溪市")


def fixture_reports() -> list[tuple[str, ReportMeta]]:
    with (FIXTURES / "reports.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [
        (
            (FIXTURES / r["file"]).read_text(encoding="utf-8"),
            ReportMeta(
                title=r["title"], issuer=r["issuer"], jurisdiction=r["jurisdiction"], year=int(r["year"])
            ),
        )
        for r in rows
    ]


def ingest_in_order(order: list[int], *, check: bool = False) -> EmbeddedStore:
    reports = fixture_reports()
    store = EmbeddedStore.in_memory()
    load_ontology(store)
    for i in order:
        text, meta = reports[i]
        ingest_text(text, meta, store, check=check)
    return store


def checks_of(store: EmbeddedStore) -> set[tuple[str, ...]]:
    rows = QueryLayer(store).select("indicators/checks")
    return {
        (
            str(r["placeLabel"]),
            str(r["indicator"]).removeprefix(IND),
            str(r["year"]),
            str(r["status"]),
            f"{Decimal(str(r['implied'])):.1f}",
            str(r["previousValue"]),
            str(r["changeExact"]),
        )
        for r in rows
    }


def series_of(store: EmbeddedStore, indicator: URIRef, **params: URIRef) -> set[tuple[str, ...]]:
    rows = QueryLayer(store).select("cq/cq20-place-series-of-indicator", indicator=indicator, **params)
    return {
        (str(r["placeLabel"]), str(r["year"]), str(r["concept"]).removeprefix(IND), str(r["value"]))
        for r in rows
    }


EXPECTED_CHECKS = {
    ("昆山市", "admin-reconsideration-received", "2022", "consistent", "400.0", "400", "20.0%"),
    ("昆山市", "admin-reconsideration-received", "2023", "consistent", "480.0", "480", "12.5%"),
    ("昆山市", "legal-aid-cases", "2022", "consistent", "1000.0", "1000", "15%"),
    ("昆山市", "legal-aid-cases", "2023", "consistent", "1149.4", "1150", "4.3%"),
    ("昆山市", "notarizations", "2022", "inconsistent", "2800.0", "3000", "500件"),
    ("常熟市", "admin-reconsideration-received", "2023", "inconsistent", "288.0", "300", "25%"),
    ("常熟市", "mediated-disputes", "2023", "consistent", "4000.0", "4000", "10%"),
}


@pytest.fixture(scope="module")
def in_order() -> Iterator[EmbeddedStore]:
    store = ingest_in_order(list(range(len(fixture_reports()))), check=True)  # validated once
    yield store
    store.close()


def test_checks_on_the_fixtures(in_order: EmbeddedStore) -> None:
    assert checks_of(in_order) == EXPECTED_CHECKS


def test_series_of_a_place_and_of_every_place_of_a_city(in_order: EmbeddedStore) -> None:
    kunshan = series_of(in_order, RECEIVED, place=KUNSHAN)
    assert kunshan == {
        ("昆山市", "2021", "admin-reconsideration-received", "400"),
        ("昆山市", "2022", "admin-reconsideration-received", "480"),
        ("昆山市", "2023", "admin-reconsideration-received", "540"),
    }
    city = series_of(in_order, RECEIVED, within=SUZHOU)
    assert city == kunshan | {
        ("常熟市", "2022", "admin-reconsideration-received", "300"),
        ("常熟市", "2023", "admin-reconsideration-received", "360"),
    }
    # the broader indicator gathers its narrower ones (常熟市 2022: 审结 286)
    broader = series_of(in_order, URIRef(IND + "admin-reconsideration-cases"), within=SUZHOU)
    assert broader == city | {("常熟市", "2022", "admin-reconsideration-closed", "286")}
    assert series_of(in_order, RECEIVED, within=CIXI) == set()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_ingest_orders_give_the_same_series_and_checks(in_order: EmbeddedStore, seed: int) -> None:
    order = list(range(len(fixture_reports())))
    random.Random(seed).shuffle(order)
    if seed == 3:
        order.reverse()
    store = ingest_in_order(order)
    try:
        assert checks_of(store) == checks_of(in_order)
        assert series_of(store, URIRef(IND + "admin-reconsideration-cases"), within=SUZHOU) == series_of(
            in_order, URIRef(IND + "admin-reconsideration-cases"), within=SUZHOU
        )
    finally:
        store.close()


def test_reingesting_a_report_keeps_one_check_each(in_order: EmbeddedStore) -> None:
    before = checks_of(in_order)
    text, meta = fixture_reports()[1]
    ingest_text(text, meta, in_order, check=False)
    assert checks_of(in_order) == before
    counts = QueryLayer(in_order).backend.select(
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/rolkg/ontology#FigureCheck> }"
    )
    assert int(counts[0]["n"]) == len(EXPECTED_CHECKS)


def test_checks_read_only_the_place_and_conform_to_the_shapes(in_order: EmbeddedStore) -> None:
    observations = observations_of(in_order, KUNSHAN)
    assert observations and {o.report for o in observations} == {
        URIRef(f"https://w3id.org/rolkg/id/report/kunshanshisifaju-{y}") for y in (2021, 2022, 2023)
    }
    g = to_graph(compute_checks(observations), KUNSHAN)
    outcome = validate_graph(g)
    assert outcome.conforms, outcome.text()
    assert checks_graph(KUNSHAN) in set(in_order.named_graphs())


def test_a_place_without_checks_has_no_checks_graph() -> None:
    store = ingest_in_order([3])  # 常熟市 2022 alone: nothing to check against
    try:
        assert recheck_place(store, place_of("江苏省苏州市常熟市")) == []
        assert checks_graph(place_of("江苏省苏州市常熟市")) not in set(store.named_graphs())
    finally:
        store.close()


# -- the bundled reports ------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["2023 first", "2024 first"])
def cixi(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path_factory.mktemp("cixi") / "store")
    load_ontology(store)
    names = ["cixi-sfj-2023.txt", "cixi-sfj-2024.txt", "cixi-gov-2023.txt"]
    if request.param == "2024 first":
        names.reverse()
    for n in names:
        ingest_file(REPORTS_DIR / n, None, store, check=False)
    yield store
    store.close()


def test_bundled_reports_give_cixi_reconsideration_series_across_2023_and_2024(cixi: EmbeddedStore) -> None:
    series = series_of(cixi, URIRef(IND + "admin-reconsideration-cases"), place=CIXI)
    assert ("慈溪市", "2023", "admin-reconsideration-received", "316") in series
    assert ("慈溪市", "2024", "admin-reconsideration-received", "587") in series
    assert ("慈溪市", "2023", "admin-reconsideration-closed", "254") in series


def test_the_587_check_is_recorded_against_the_2023_figures(cixi: EmbeddedStore) -> None:
    rows = QueryLayer(cixi).select("cq/cq21-inconsistent-figure-checks", place=CIXI)
    found = [r for r in rows if str(r["figureValue"]) == "587"]
    assert len(found) == 1
    r = found[0]
    assert str(r["changeExact"]) == "104.5%" and str(r["previousExact"]) == "316件"
    assert str(r["previousReport"]).endswith("/cixishisifaju-2023") and str(r["baseYear"]) == "2023"
    assert abs(Decimal(str(r["implied"])) - Decimal("287.04")) < Decimal("0.01")
    assert str(r["status"]) == "inconsistent"
    consistent = QueryLayer(cixi).select("cq/cq21-inconsistent-figure-checks", status=Literal("consistent"))
    assert all(str(c["status"]) == "consistent" for c in consistent)


def test_rolkg_checks_lists_them(tmp_path: Path) -> None:
    store = tmp_path / "store"
    runner = CliRunner()
    env = {"ROLKG_STORE": "", "ROLKG_ENDPOINT": ""}
    with EmbeddedStore(store) as s:
        load_ontology(s)
        for n in ("cixi-sfj-2024.txt", "cixi-sfj-2023.txt"):
            ingest_file(REPORTS_DIR / n, None, s, check=False)
    result = runner.invoke(
        app, ["--store", str(store), "checks", "--format", "csv", "--status", "inconsistent"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "587件" in result.output and "316件" in result.output and "287.0416" in result.output
    result = runner.invoke(
        app, ["--store", str(store), "checks", "--recompute", "--status", "consistent", "-f", "json"], env=env
    )
    assert result.exit_code == 0 and result.output.strip().startswith("[")
    result = runner.invoke(app, ["--store", str(store), "checks", "--status", "maybe"], env=env)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_checks_graph_is_per_place() -> None:
    assert checks_graph(CIXI) != checks_graph(KUNSHAN)
    assert str(checks_graph(CIXI)) == "https://w3id.org/rolkg/graph/checks/330282"
