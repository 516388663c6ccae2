"""Ingesting a list of reports: a TSV manifest in the layout of ``data/reports/reports.tsv``.

Column ``file`` is a path (relative to the manifest's folder) or an ``http(s)://`` address; ``title``,
``issuer``, ``jurisdiction``, ``year``, ``published`` and ``source`` are optional and, where filled,
win over detection. Reading, extraction and validation run in worker processes (:mod:`rolkg.graph.parallel`,
as for ``rolkg build --jobs``); linking and writing run here, one report at a time and in the manifest's
order, so the result does not depend on which worker finished first. One bad entry never stops the
others: each outcome says what happened.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rolkg.graph.ingest import IngestError, check_given
from rolkg.graph.model import ReportMeta
from rolkg.graph.parallel import ingest_prepared, prepared_files
from rolkg.graph.read import is_url
from rolkg.graph.store import Backend, StoreError

COLUMNS = ("file", "title", "issuer", "jurisdiction", "year", "published", "source")


class ManifestError(IngestError):
    """The manifest itself cannot be used (missing, unreadable, no ``file`` column); nothing was written."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a manifest: where the report is and what the row says about it."""

    line: int
    source: str
    meta: ReportMeta
    error: str | None = None  # the row itself is unusable (bad year, source not an IRI …)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one entry: ``report`` and ``triples`` when written, else ``error``."""

    entry: Entry
    report: URIRef | None = None
    triples: int = 0
    notices: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def load_manifest(path: Path) -> list[Entry]:
    """The entries of a manifest file; :class:`ManifestError` when the file as a whole is unusable."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            if "file" not in (reader.fieldnames or []):
                raise ManifestError(
                    f"{path}: no 'file' column; a manifest is a tab-separated file with the columns "
                    f"{', '.join(COLUMNS)} (only 'file' is required)"
                )
            rows = [(line, row) for line, row in enumerate(reader, start=2)]
    except FileNotFoundError:
        raise ManifestError(f"{path}: no such manifest file") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: the manifest is not UTF-8 text") from None
    except OSError as error:
        raise ManifestError(f"{path}: cannot read the manifest ({error.strerror or error})") from None
    except csv.Error as error:
        raise ManifestError(f"{path}: not a tab-separated file ({error})") from None
    entries = [_entry(path.parent, line, row) for line, row in rows if (row.get("file") or "").strip()]
    if not entries:
        raise ManifestError(f"{path}: the manifest lists no reports (the 'file' column is empty)")
    return entries


def _entry(folder: Path, line: int, row: dict[str, str | None]) -> Entry:
    def cell(name: str) -> str | None:
        value = (row.get(name) or "").strip()
        return value or None

    file = cell("file") or ""
    source = file if is_url(file) else str(folder / file)
    year_text = cell("year")
    meta = ReportMeta(
        title=cell("title"),
        issuer=cell("issuer"),
        jurisdiction=cell("jurisdiction"),
        source=cell("source"),
        issued=cell("published"),
    )
    if year_text is not None:
        if not year_text.isdigit() or not 1949 <= int(year_text) <= 2100:
            return Entry(line, source, meta, f"year {year_text!r} is not a year between 1949 and 2100")
        meta.year = int(year_text)
    try:
        check_given(meta)
    except IngestError as error:
        return Entry(line, source, meta, str(error))
    return Entry(line, source, meta)


def default_jobs() -> int:
    """Worker processes when none are asked for: one per core, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def ingest_manifest(
    entries: list[Entry],
    backend: Backend,
    *,
    jobs: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Ingest every entry; returns one outcome per entry, in manifest order."""
    outcomes: list[Outcome] = []
    for outcome in _run(entries, backend, jobs or default_jobs()):
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


def _run(entries: list[Entry], backend: Backend, jobs: int) -> Iterator[Outcome]:
    todo = [entry for entry in entries if entry.error is None]
    workers = max(1, min(jobs, len(todo)))
    prepared = prepared_files([e.source for e in todo], workers, [e.meta for e in todo])
    broken: str | None = None
    for entry in entries:
        if entry.error is not None:
            yield Outcome(entry, error=entry.error)
            continue
        if broken is None:
            try:
                ready = next(prepared)
            except BrokenProcessPool:
                broken = "an extraction process died (out of memory?); this entry was not read"
        if broken is not None:
            yield Outcome(entry, error=broken)
            continue
        try:
            result = ingest_prepared(ready, backend)
        except (IngestError, StoreError) as error:  # ValidationFailed included: its message counts violations
            yield Outcome(entry, error=str(error))
            continue
        yield Outcome(entry, result.report, result.triples, tuple(result.notices))
