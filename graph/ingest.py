"""Report → store, all or nothing: read, extract, validate with SHACL, then replace the report's named
graph in one transaction. A report that fails any step leaves the store exactly as it was."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rolkg.graph.model import ReportMeta
from rolkg.graph.pipeline import ExtractedReport, extract_report
from rolkg.graph.reports_index import meta_for
from rolkg.graph.store import Backend
from rolkg.graph.textfile import read_report_file

from rolkg.errors import ExtractionError, IngestError, ReportFileError, ValidationFailed


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


def resolve_meta(path: str | Path | None, given: ReportMeta | None = None) -> ReportMeta:
    """Metadata for a report file: the options given, then ``reports.tsv`` (by file name); the extractor
    detects whatever is still missing."""
    listed = meta_for(path) if path is not None else None
    return merge_meta(given, listed)


def validate(graph: Graph) -> tuple[Any | None, list[str]]:
    """SHACL-validate ``graph``; returns the outcome (None when validation is not available) and notices."""
    try:
        from rolkg.graph.validate import validate_graph
    except ImportError as err:
        # The shapes module lands separately; until then ingest goes on, but says so.
        return None, [f"SHACL validation unavailable ({err}); the graph was not validated"]
    return validate_graph(graph), []


def prepare(
    text: str, meta: ReportMeta | None = None, *, check: bool = True
) -> tuple[ExtractedReport, list[str]]:
    """Extract and (when ``check``) validate, touching no store. Raises :class:`IngestError` subclasses."""
    try:
        extracted = extract_report(text, meta)
    except ExtractionError as err:
        raise IngestError(f"extraction failed: {err}") from err
    if not len(extracted.graph):
        raise IngestError("extraction produced no triples")
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
) -> IngestResult:
    """Extract, validate and write one report's text; the store changes only if every step succeeds."""
    extracted, _ = prepare(text, meta, check=False)
    from rolkg.graph.crosslink import link_to_earlier  # needs the store, so it runs here, not in extraction

    link_to_earlier(extracted, backend)
    found: list[str] = []
    if check:
        outcome, found = validate(extracted.graph)
        _raise_if_invalid(extracted, outcome)
    return write(extracted, backend, validated=check and not found, notices=[*(notices or []), *found])


def write(
    extracted: ExtractedReport, backend: Backend, *, validated: bool, notices: list[str] | None = None
) -> IngestResult:
    """Replace the report's named graph by the extracted graph (one transaction)."""
    backend.replace_graph(extracted.graph_name, extracted.graph)
    return IngestResult(
        report=extracted.report,
        graph_name=extracted.graph_name,
        triples=len(extracted.graph),
        meta=extracted.meta,
        validated=validated,
        notices=list(notices or []),
    )


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


def read_text(path: str | Path) -> tuple[str, list[str]]:
    """A report file's text and decoding notices; :class:`IngestError` when it cannot be read."""
    try:
        decoded = read_report_file(path)
    except ReportFileError as err:
        raise IngestError(str(err)) from err
    return decoded.text, decoded.notices


def ingest_file(
    path: str | Path, meta: ReportMeta | None, backend: Backend, *, check: bool = True
) -> IngestResult:
    """Read, extract, validate and write the report in ``path`` (metadata: ``meta``, then reports.tsv)."""
    text, notices = read_text(path)
    return ingest_text(text, resolve_meta(path, meta), backend, check=check, notices=notices)
