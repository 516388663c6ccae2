"""One report in every form it is published in — text, saved page, PDF, Word — reads to the same text
and yields the same facts, with offsets into the stored rol:text and the input's provenance."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rolkg.graph.ingest import extract_source
from rolkg.graph.model import ReportMeta
from rolkg.graph.namespaces import DCTERMS, OA, PROV, RDF, RDFS, ROL
from rolkg.graph.read import ReportReadError, read_report
from rolkg.graph.validate import validate_graph

COUNTY_REPORT = Path(__file__).parent / "fixtures" / "inputs" / "county-sfj-2024.txt"
TEXT = COUNTY_REPORT.read_text(encoding="utf-8")
META = ReportMeta(issuer="青石县司法局", year=2024)
MEDIA_TYPES = {
    "txt": "text/plain",
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FORMS = list(MEDIA_TYPES)


@pytest.mark.parametrize("kind", FORMS)
def test_every_form_reads_to_the_same_text(report_forms: dict[str, Path], kind: str) -> None:
    read = read_report(report_forms[kind])
    assert read.text == TEXT
    assert read.provenance is not None
    assert read.provenance.sha256 == hashlib.sha256(report_forms[kind].read_bytes()).hexdigest()
    assert read.provenance.media_type == MEDIA_TYPES[kind]
    assert read.provenance.file_name == report_forms[kind].name


def test_the_page_gives_its_title_and_date(report_forms: dict[str, Path]) -> None:
    read = read_report(report_forms["html"])
    assert read.title == TEXT.splitlines()[0]
    assert read.issued == "2025-03-12"
    for chrome in ("索引号", "当前位置", "分享到", "备案号", "字体"):
        assert chrome not in read.text


def test_the_pdf_runs_over_a_page_break(report_forms: dict[str, Path]) -> None:
    from pdfminer.high_level import extract_pages

    pages = list(extract_pages(report_forms["pdf"]))
    assert len(pages) >= 2  # so the test covers a paragraph continued on the next page
    assert "—" not in read_report(report_forms["pdf"]).text  # the page numbers are gone


def facts(graph: Graph) -> dict[str, object]:
    """What the forms must agree on: text, documents, figures with offsets, initiatives, evidence."""
    report = next(graph.subjects(RDF.type, ROL.Report))
    text = str(graph.value(report, ROL.text))
    evidence = sorted(
        (int(graph.value(e, OA.start)), int(graph.value(e, OA.end)), str(graph.value(e, OA.exact)))
        for e in graph.subjects(RDF.type, ROL.Evidence)
    )
    metrics = sorted(
        (
            str(graph.value(m, RDFS.label)),
            str(graph.value(m, RDF.value)),
            str(graph.value(m, ROL.unit)),
            int(graph.value(graph.value(m, ROL.evidence), OA.start)),
        )
        for m in graph.subjects(RDF.type, ROL.Metric)
    )
    return {
        "report": report,
        "text": text,
        "title": str(graph.value(report, DCTERMS.title)),
        "documents": sorted(str(graph.value(d, RDFS.label)) for d in graph.subjects(RDF.type, ROL.Document)),
        "metrics": metrics,
        "initiatives": len(set(graph.subjects(RDF.type, ROL.Initiative))),
        "evidence": evidence,
    }


@pytest.fixture(scope="module")
def extracted(report_forms: dict[str, Path]) -> dict[str, Graph]:
    return {kind: extract_source(report_forms[kind], META)[0].graph for kind in FORMS}


def test_the_text_version_has_facts_to_compare(extracted: dict[str, Graph]) -> None:
    found = facts(extracted["txt"])
    assert found["text"] == TEXT
    assert "青石县重大行政决策程序实施办法" in found["documents"]
    assert any(m[1] == "1058" and m[2] == "件" for m in found["metrics"])
    assert found["initiatives"] >= 10
    for start, end, exact in found["evidence"]:
        assert found["text"][start:end] == exact


@pytest.mark.parametrize("kind", ["html", "pdf", "docx"])
def test_every_form_yields_the_same_facts(extracted: dict[str, Graph], kind: str) -> None:
    assert facts(extracted[kind]) == facts(extracted["txt"])


@pytest.mark.parametrize("kind", FORMS)
def test_provenance_in_the_graph_conforms(
    report_forms: dict[str, Path], extracted: dict[str, Graph], kind: str
) -> None:
    graph = extracted[kind]
    report = next(graph.subjects(RDF.type, ROL.Report))
    source = graph.value(report, PROV.wasDerivedFrom)
    digest = hashlib.sha256(report_forms[kind].read_bytes()).hexdigest()
    assert source == URIRef(f"https://w3id.org/rolkg/id/source/{digest}")
    assert (source, RDF.type, ROL.SourceFile) in graph
    assert str(graph.value(source, ROL.sha256)) == digest
    assert str(graph.value(source, DCTERMS["format"])) == MEDIA_TYPES[kind]
    assert str(graph.value(source, ROL.fileName)) == report_forms[kind].name
    outcome = validate_graph(graph)
    assert outcome.conforms, outcome.text()


def test_a_bad_checksum_fails_the_shapes(extracted: dict[str, Graph]) -> None:
    graph = Graph()
    for triple in extracted["txt"]:
        graph.add(triple)
    source = next(graph.subjects(RDF.type, ROL.SourceFile))
    graph.set((source, ROL.sha256, Literal("not-a-digest")))
    assert not validate_graph(graph).conforms


def test_the_page_date_becomes_dcterms_issued(extracted: dict[str, Graph]) -> None:
    graph = extracted["html"]
    report = next(graph.subjects(RDF.type, ROL.Report))
    assert str(graph.value(report, DCTERMS.issued)) == "2025-03-12"


def scanned_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(100, 100, 300, 500, fill=1)  # an image-like page with no text layer
    page.save()
    return buffer.getvalue()


def zip_of(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "x")
    return buffer.getvalue()


BAD_FILES = {
    "scan.pdf": (scanned_pdf, "no text layer"),
    "broken.pdf": (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 50, "not a readable PDF"),
    "old.doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old Word (.doc)"),
    "archive.docx": (lambda: zip_of("notes.txt"), "not a readable Word"),
    "links.html": (
        lambda: b"<!DOCTYPE html><html><body><a href='/'>\xe9\xa6\x96\xe9\xa1\xb5</a></body></html>",
        "no main text",
    ),
    "blank.html": (lambda: b"   ", "empty"),
}


@pytest.mark.parametrize("name", [*BAD_FILES, "empty.docx"])
def test_unreadable_forms_are_refused_in_one_line(
    tmp_path: Path, make_form: dict[str, Callable[[str], bytes]], name: str
) -> None:
    make, message = BAD_FILES.get(name) or (lambda: make_form["docx"](" \n "), "has no text")
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(ReportReadError, match=re.escape(message)) as caught:
        read_report(path)
    assert "\n" not in str(caught.value)


def test_the_bytes_decide_over_the_suffix(
    tmp_path: Path, make_form: dict[str, Callable[[str], bytes]]
) -> None:
    """A page saved as .txt is still read as a page (its chrome is dropped)."""
    path = tmp_path / "saved-as.txt"
    path.write_bytes(make_form["html"](TEXT))
    read = read_report(path)
    assert read.text == TEXT
    assert read.provenance is not None and read.provenance.media_type == "text/html"
