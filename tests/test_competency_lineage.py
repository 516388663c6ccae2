"""Competency questions about lineage across reports (cq20–cq22) on the fixture series of one district."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file
from rolkg.graph.model import ReportMeta
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import EmbeddedStore, load_ontology

SERIES = Path(__file__).parent / "fixtures" / "series"


@pytest.fixture(scope="module")
def layer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryLayer]:
    store = EmbeddedStore(tmp_path_factory.mktemp("cq-lineage") / "store")
    load_ontology(store)
    with (SERIES / "series.tsv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            meta = ReportMeta(
                title=r["title"], issuer=r["issuer"], jurisdiction=r["jurisdiction"], year=int(r["year"])
            )
            ingest_file(SERIES / r["file"], meta, store, check=False)
    ingest_file(REPORTS_DIR / "cixi-sfj-2024.txt", None, store, check=False)
    yield QueryLayer(store)
    store.close()


def test_cq20_plans_of_a_year_and_their_status(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq20-plans-of-a-year-and-status", year=Literal(2023), placeName=Literal("吴江"))
    status = {str(r["planLabel"]): str(r["status"]) for r in rows}
    assert len(status) == 4  # the four plans of the 2022 report
    assert {v for k, v in status.items() if "观察站" in k} == {"carried-out"}
    assert {v for k, v in status.items() if "法治体检" in k} == {"not-found"}
    carried = next(r for r in rows if "观察站" in str(r["planLabel"]))
    assert "设立行政执法监督观察站" in str(carried["carriedOutBy"])
    default = layer.select("cq/cq20-plans-of-a-year-and-status")  # 2024: plans of the 2023 reports
    assert any("商事调解中心" in str(r["planLabel"]) and str(r["status"]) == "carried-out" for r in default)


def test_cq21_places_that_adopted_a_kind_and_when(layer: QueryLayer) -> None:
    rows = layer.select("cq/cq21-places-adopting-a-kind")
    first = {str(r["placeName"]): int(r["firstYear"]) for r in rows}
    assert first == {"吴江区": 2023, "慈溪市": 2024, "昆山市": 2024}
    assert [int(r["firstYear"]) for r in rows] == sorted(first.values())
    rows = layer.select("cq/cq21-places-adopting-a-kind", kindLabel=Literal("商事调解中心"))
    assert {str(r["placeName"]) for r in rows} >= {"吴江区"}


def test_cq22_whole_cross_year_lineage_of_a_measure(layer: QueryLayer) -> None:
    rows = layer.select(
        "cq/cq22-cross-year-lineage-of-a-measure", labelPart=Literal("实现行政执法监督观察站园区全覆盖")
    )
    earlier = {(int(r["fromYear"]), int(r["toYear"])) for r in rows if str(r["direction"]) == "earlier"}
    assert (2024, 2023) in earlier and (2023, 2022) in earlier  # back through 2023 to the 2022 plan
    assert all(0 < float(r["score"]) <= 1 for r in rows if "score" in r)
    rows = layer.select(
        "cq/cq22-cross-year-lineage-of-a-measure", labelPart=Literal("设立行政执法监督观察站")
    )
    later = {(str(r["fromLabel"]), int(r["fromYear"])) for r in rows if str(r["direction"]) == "later"}
    assert any("园区全覆盖" in label and year == 2024 for label, year in later)
