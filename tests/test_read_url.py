"""Reports at addresses, fetched from a loopback web server: read like files, with the address and the
served bytes' SHA-256 recorded as provenance."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from rdflib import Literal, URIRef
from rolkg.graph.ingest import ingest_file
from rolkg.graph.model import ReportMeta
from rolkg.graph.read import read_report
from rolkg.graph.store import EmbeddedStore

COUNTY = Path(__file__).parent / "fixtures" / "inputs" / "county-sfj-2024.txt"
TEXT = COUNTY.read_text(encoding="utf-8")
META = ReportMeta(issuer="青石县司法局", year=2024)


def test_a_page_at_an_address_reads_like_the_saved_page(
    web_server, make_form: dict[str, Callable[[str], bytes]]
) -> None:
    page = make_form["html"](TEXT)
    url = web_server.route("/art/2025/3/12/art_1.html", page)
    read = read_report(url)
    assert read.text == TEXT
    assert read.issued == "2025-03-12"
    assert read.provenance is not None
    assert read.provenance.url == url and read.provenance.file_name is None
    assert read.provenance.sha256 == hashlib.sha256(page).hexdigest()


def test_the_form_is_told_by_the_bytes_when_the_server_does_not_say(
    web_server, make_form: dict[str, Callable[[str], bytes]]
) -> None:
    for kind in ("pdf", "docx"):
        url = web_server.route(
            f"/download-{kind}", make_form[kind](TEXT), content_type="application/octet-stream"
        )
        read = read_report(url + "?id=42")
        assert read.text == TEXT, kind


def test_a_redirect_is_followed_and_noted(web_server) -> None:
    web_server.route("/new/report.txt", COUNTY.read_bytes(), content_type="text/plain; charset=utf-8")
    old = web_server.route("/old/report.txt", status=301, location="/new/report.txt")
    read = read_report(old)
    assert read.text == TEXT
    assert read.provenance is not None and read.provenance.url == old  # the address the user gave
    assert any("redirected to" in n and n.endswith("/new/report.txt") for n in read.notices)


def test_ingesting_an_address_records_it(
    tmp_path: Path, web_server, make_form: dict[str, Callable[[str], bytes]]
) -> None:
    page = make_form["html"](TEXT)
    url = web_server.route("/art/2025/3/12/art_2.html", page)
    with EmbeddedStore(tmp_path / "store") as store:
        result = ingest_file(url, META, store)
        assert result.validated
        rows = store.select(
            "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/> "
            "PREFIX rol: <https://w3id.org/rolkg/ontology#> "
            "SELECT ?source ?fetched ?sha ?format WHERE { GRAPH ?g { ?r a rol:Report ; dcterms:source ?source ; "
            "prov:wasDerivedFrom ?file . ?file rol:sha256 ?sha ; dcterms:format ?format ; dcterms:source ?fetched } }"
        )
    assert len(rows) == 1
    row = rows[0]
    assert row["source"] == URIRef(url) and row["fetched"] == URIRef(url)
    assert row["sha"] == Literal(hashlib.sha256(page).hexdigest())
    assert row["format"] == Literal("text/html")
