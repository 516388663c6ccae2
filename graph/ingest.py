"""Report → store, all or nothing: read, extract, validate with SHACL, then replace the report's named
graph in one transaction. A report that fails any step leaves the store exactly as it was.

A source is a file path (``.txt``, ``.html``, ``.pdf``, ``.docx``) or an ``http(s)://`` address; see
:mod:`rolkg.graph.read`. Reading and extracting touch no store (:func:`extract_source`, which the
parallel manifest workers run); linking to earlier reports, validating and writing do (:func:`finish`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rdflib import Graph, URIRef
from rolkg.graph.model import ReportMeta
from rolkg.graph.pipeline import ExtractedReport, extract_report
from rolkg.graph.read import Provenance, ReportReadError, ReportText, is_url, read_report
from rolkg.graph.read.provenance import add_provenance
from rolkg.graph.reports_index import meta_for
from rolkg.graph.store import Backend
from rolkg.graph.terms import check_iri

from rolkg.errors import ExtractionError, IngestError, TermError, ValidationFailed


@dataclass(slots=True)
class IngestResult:
    """What was written (or, for a dry run, would be written)."""

    report: URIRef
    graph_name: URIRef
    triples: int
    meta: ReportMeta
    validated: bool
    notices: list[str] = field(default_factory=list)


def merge_meta(*layers: ReportMeta | None) -> ReportMeta:
    """Field by field, the first layer that gives a value wins (pass the most authoritative first)."""
    merged = ReportMeta()
    for f in fields(ReportMeta):
        for layer in layers:
            value = getattr(layer, f.name) if layer is not None else None
            if value is not None:
                merged = replace(merged, **{f.name: value})
                break
    return merged


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_given(meta: ReportMeta, names: dict[str, str] | None = None) -> ReportMeta:
    """``meta`` unchanged, or :class:`IngestError` naming the first given field that is blank or, for
    ``source``, not an absolute IRI, or for ``issued``, not a YYYY-MM-DD date. ``names`` maps field names to how the user wrote them (``--issuer``)."""
    names = names or {}
    for f in fields(ReportMeta):
        value = getattr(meta, f.name)
        label = names.get(f.name, f.name)
        if isinstance(value, str) and not value.strip():
            raise IngestError(f"{label} is blank: give a value, or leave it out to have it detected")
    if meta.issued is not None and not _is_iso_date(meta.issued):
        label = names.get("issued", "published")
        raise IngestError(f"{label} {meta.issued!r} is not a date written YYYY-MM-DD")
    if meta.source is not None:
        label = names.get("source", "source")
        try:
            check_iri(meta.source)
        except TermError:
            raise IngestError(
                f'{label} {meta.source!r} is not an IRI (it has spaces or <>"{{}}|^` in it); '
                "give the report's public address, e.g. https://www.example.gov.cn/art/2025/1.html"
            ) from None
        if not _SCHEME.match(meta.source) or (is_url(meta.source) and not urlsplit(meta.source).netloc):
            raise IngestError(
                f"{label} {meta.source!r} is not an absolute IRI; "
                "give the report's public address, e.g. https://www.example.gov.cn/art/2025/1.html"
            )
    return meta


def _is_iso_date(text: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD (2025-02-30 is not one)."""
    if not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def resolve_meta(
    path: str | Path | None, given: ReportMeta | None = None, read: ReportText | None = None
) -> ReportMeta:
    """Metadata for a report: the options given, then ``reports.tsv`` (a local file, by name), then what
    the input says of itself (a page's title and date, the address it was fetched from); the extractor
    detects whatever is still missing."""
    listed = meta_for(path) if path is not None and not is_url(str(path)) else None
    own = None
    if read is not None:
        url = read.provenance.url if read.provenance else None
        own = ReportMeta(title=read.title, issued=read.issued, source=url)
    return merge_meta(given, listed, own)


def validate(graph: Graph) -> tuple[Any | None, list[str]]:
    """SHACL-validate ``graph``; returns the outcome (None when validation is not available) and notices."""
    try:
        from rolkg.graph.validate import validate_graph
    except ImportError as err:
        # The shapes module lands separately; until then ingest goes on, but says so.
        return None, [f"SHACL validation unavailable ({err}); the graph was not validated"]
    return validate_graph(graph), []


def prepare(
    text: str, meta: ReportMeta | None = None, *, check: bool = True, provenance: Provenance | None = None
) -> tuple[ExtractedReport, list[str]]:
    """Extract and (when ``check``) validate, touching no store. Raises :class:`IngestError` subclasses."""
    try:
        extracted = extract_report(text, meta)
    except ExtractionError as err:
        raise IngestError(f"extraction failed: {err}") from err
    if not len(extracted.graph):
        raise IngestError("extraction produced no triples")
    if provenance is not None:
        add_provenance(extracted.graph, extracted.report, provenance)
    notices: list[str] = []
    if check:
        outcome, notices = validate(extracted.graph)
        _raise_if_invalid(extracted, outcome)
    return extracted, notices


def ingest_text(
    text: str,
    meta: ReportMeta | None,
    backend: Backend,
    *,
    check: bool = True,
    notices: list[str] | None = None,
    provenance: Provenance | None = None,
) -> IngestResult:
    """Extract, validate and write one report's text; the store changes only if every step succeeds."""
    extracted, _ = prepare(text, meta, check=False, provenance=provenance)
    return finish(extracted, backend, check=check, notices=notices)


def finish(
    extracted: ExtractedReport, backend: Backend, *, check: bool = True, notices: list[str] | None = None
) -> IngestResult:
    """Validate an extracted report and write it (its place's cross-report lineage is then recomputed)."""
    found: list[str] = []
    if check:
        outcome, found = validate(extracted.graph)
        _raise_if_invalid(extracted, outcome)
    return write(extracted, backend, validated=check and not found, notices=[*(notices or []), *found])


def write(
    extracted: ExtractedReport, backend: Backend, *, validated: bool, notices: list[str] | None = None
) -> IngestResult:
    """Replace the report's named graph by the extracted graph (one transaction), then recompute the
    figure checks of the report's place (they depend on the place's other reports)."""
    backend.replace_graph(extracted.graph_name, extracted.graph)
    relink(extracted, backend)
    from rolkg.graph.checks import recheck_place
    from rolkg.graph.report_place import report_place

    place, _ = report_place(extracted.graph, extracted.report, extracted.meta.jurisdiction)
    if place is not None:
        recheck_place(backend, place)
    return IngestResult(
        report=extracted.report,
        graph_name=extracted.graph_name,
        triples=len(extracted.graph),
        meta=extracted.meta,
        validated=validated,
        notices=list(notices or []),
    )


def relink(extracted: ExtractedReport, backend: Backend) -> None:
    """Recompute the cross-report lineage of the report's place, now that the store holds the report.

    A second write: the report graph is already in place, and ``rolkg relink`` recomputes this if it
    is interrupted."""
    from rolkg.graph.crosslink import relink_place
    from rolkg.graph.report_place import place_term

    place = place_term(extracted.graph, extracted.report)
    if place is not None:
        relink_place(backend, place)


def ingest_extracted(extracted: ExtractedReport, backend: Backend, *, check: bool = True) -> IngestResult:
    """Validate an already extracted report and write it; a non-conforming graph writes nothing."""
    notices: list[str] = []
    if check:
        outcome, notices = validate(extracted.graph)
        _raise_if_invalid(extracted, outcome)
    return write(extracted, backend, validated=check and not notices, notices=notices)


def _raise_if_invalid(extracted: ExtractedReport, outcome: Any | None) -> None:
    if outcome is not None and not outcome.conforms:
        count = len(getattr(outcome, "violations", []) or [])
        raise ValidationFailed(
            f"the extracted graph of {extracted.report} fails SHACL validation ({count} violation(s))",
            outcome,
        )


def read_text(source: str | Path) -> ReportText:
    """A report's text, notices and provenance from a file or address; :class:`IngestError` when unreadable."""
    try:
        return read_report(source)
    except ReportReadError as err:
        raise IngestError(str(err)) from err


def extract_source(source: str | Path, meta: ReportMeta | None = None) -> tuple[ExtractedReport, list[str]]:
    """Read and extract the report at ``source`` without touching a store (provenance included)."""
    read = read_text(source)
    extracted, _ = prepare(
        read.text, resolve_meta(source, meta, read), check=False, provenance=read.provenance
    )
    return extracted, list(read.notices)


def ingest_file(
    path: str | Path, meta: ReportMeta | None, backend: Backend, *, check: bool = True
) -> IngestResult:
    """Read, extract, validate and write the report at ``path`` (a file or an ``http(s)://`` address;
    metadata: ``meta``, then reports.tsv, then the input's own)."""
    extracted, notices = extract_source(path, meta)
    return finish(extracted, backend, check=check, notices=notices)
