"""Ingest: metadata resolution, all-or-nothing writes, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import (
    IngestError,
    ValidationFailed,
    ingest_extracted,
    ingest_file,
    ingest_text,
    merge_meta,
    prepare,
    resolve_meta,
)
from rolkg.graph.model import ReportMeta
from rolkg.graph.namespaces import ROL
from rolkg.graph.pipeline import ExtractedReport
from rolkg.graph.report_place import lineage_graph, place_of
from rolkg.graph.reports_index import bundled_reports, load_index
from rolkg.graph.store import EmbeddedStore

from rolkg.errors import ReportsIndexError

CIXI = REPORTS_DIR / "cixi-sfj-2024.txt"


def test_index_lists_every_bundled_report() -> None:
    index = load_index()
    assert {p.name for p in bundled_reports()} == set(index)
    meta = index["cixi-sfj-2024.txt"]
    assert (meta.issuer, meta.year, meta.jurisdiction) == ("慈溪市司法局", 2024, "浙江省宁波市慈溪市")
    assert meta.issued == "2025-02-26"


def test_bad_index_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "reports.tsv"
    bad.write_text("file\ttitle\tissuer\tjurisdiction\tyear\tpublished\tsource\nx.txt\tt\ti\tj\tnope\t\t\n")
    with pytest.raises(ReportsIndexError, match=":2: year 'nope'"):
        load_index(bad)
    bad.write_text("file\ttitle\n")
    with pytest.raises(ReportsIndexError, match="missing column"):
        load_index(bad)


def test_options_override_index_field_by_field() -> None:
    meta = resolve_meta(CIXI, ReportMeta(year=2023))
    assert meta.year == 2023 and meta.issuer == "慈溪市司法局"
    assert resolve_meta(Path("/elsewhere/unlisted.txt"), None) == ReportMeta()
    assert merge_meta(None, ReportMeta(title="a"), ReportMeta(title="b", year=1)) == ReportMeta(
        title="a", year=1
    )


def test_ingest_is_deterministic(tmp_path: Path) -> None:
    """The same report ingested into two stores, and twice into one, gives identical quads."""
    dumps = []
    for name in ("a", "b"):
        with EmbeddedStore(tmp_path / name) as store:
            ingest_file(CIXI, None, store, check=False)
            ingest_file(CIXI, None, store, check=False)
            dumps.append(store.export("nquads"))
    assert dumps[0] == dumps[1]
    assert b"https://w3id.org/rolkg/graph/report/cixishisifaju-2024" in dumps[0]


def test_report_node_and_text(embedded: EmbeddedStore) -> None:
    result = ingest_file(CIXI, None, embedded, check=False)
    assert result.report == URIRef("https://w3id.org/rolkg/id/report/cixishisifaju-2024")
    # The report's graph, and its place's lineage graph (its plans' follow-through: no 2025 report yet).
    assert sorted(embedded.named_graphs()) == sorted(
        [result.graph_name, lineage_graph(place_of("浙江省宁波市慈溪市"))]
    )
    rows = embedded.select(f"SELECT ?t WHERE {{ <{result.report}> <{ROL.text}> ?t }}")
    assert str(rows[0]["t"]) == CIXI.read_text(encoding="utf-8")


def test_validation_failure_writes_nothing(embedded: EmbeddedStore) -> None:
    ingest_text(
        "一、主要举措和成效\n(一)坚持抓统筹。一是压实责任。",
        ReportMeta(issuer="甲市司法局", year=2024),
        embedded,
        check=False,
    )
    before = embedded.export("nquads")
    report = URIRef("https://w3id.org/rolkg/id/report/bad-2024")
    g = Graph()
    g.add((report, RDF.type, ROL.Report))  # no title, year or text: the shapes require them
    g.add((report, ROL.year, Literal("not a year")))
    bad = ExtractedReport(report, URIRef("https://w3id.org/rolkg/graph/report/bad-2024"), g, ReportMeta())
    with pytest.raises(ValidationFailed) as caught:
        ingest_extracted(bad, embedded)
    assert not caught.value.outcome.conforms
    assert caught.value.outcome.text().strip()
    assert embedded.export("nquads") == before


def test_extraction_failure_writes_nothing(embedded: EmbeddedStore) -> None:
    ingest_file(CIXI, None, embedded, check=False)
    before = embedded.export("nquads")
    with pytest.raises(IngestError, match="empty"):
        ingest_text("   \n\t ", ReportMeta(issuer="甲市司法局", year=2024), embedded)
    assert embedded.export("nquads") == before


def test_prepare_touches_no_store() -> None:
    extracted, _ = prepare(CIXI.read_text(encoding="utf-8"), resolve_meta(CIXI), check=False)
    assert (extracted.report, RDF.type, ROL.Report) in extracted.graph


def test_bundled_report_conforms(embedded: EmbeddedStore) -> None:
    result = ingest_file(CIXI, None, embedded)
    assert result.validated
