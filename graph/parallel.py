"""``rolkg build --jobs N`` and ``rolkg ingest --manifest``: read, extract and SHACL-validate reports in
N worker processes; the parent writes each, which recomputes its place's cross-report lineage (the links
do not depend on the order).

Validation is most of a report's cost (about 80 % on the bundled reports) and needs no store, so it runs
in the workers on the extracted graph, which is written as validated.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from rolkg.graph.ingest import (
    IngestError,
    IngestResult,
    ValidationFailed,
    extract_source,
    validate,
    write,
)
from rolkg.graph.model import ReportMeta
from rolkg.graph.pipeline import ExtractedReport
from rolkg.graph.store import Backend


@dataclass(slots=True)
class Prepared:
    """One report as a worker left it: extracted and validated, or the reason it cannot be ingested."""

    path: Path | str  # a file, or an http(s):// address
    extracted: ExtractedReport | None = None
    outcome: Any | None = None
    notices: list[str] = field(default_factory=list)
    error: str | None = None


def prepare_file(path: Path | str, meta: ReportMeta | None = None) -> Prepared:
    """Read, extract and validate one report file or address (runs in a worker process)."""
    try:
        extracted, notices = extract_source(path, meta)
    except IngestError as err:
        return Prepared(path, error=str(err))
    except Exception as err:  # one report's unexpected failure must not stop the others
        return Prepared(path, error=f"unexpected {type(err).__name__} while extracting: {err}")
    outcome, found = validate(extracted.graph)
    return Prepared(path, extracted, outcome, [*notices, *found])


def prepared_files(
    paths: list[Path] | list[str], jobs: int, metas: Iterable[ReportMeta | None] | None = None
) -> Iterator[Prepared]:
    """:func:`prepare_file` of every path (with its metadata, when ``metas`` is given), in order, ``jobs``
    at a time in worker processes."""
    metas = list(metas) if metas is not None else [None] * len(paths)
    if jobs <= 1:
        yield from map(prepare_file, paths, metas)
        return
    warm_caches()
    # fork: the workers inherit the loaded modules and warmed caches (spawn would import rdflib and
    # pyshacl again in each, and load jieba's dictionary again)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
        # Largest first, so one long report is not left for last while the other workers idle; the
        # results are still yielded (and written) in the given order.
        order = sorted(range(len(paths)), key=lambda i: -_size(paths[i]))
        futures = {i: pool.submit(prepare_file, paths[i], metas[i]) for i in order}
        for i in range(len(paths)):
            yield futures[i].result()


def warm_caches() -> None:
    """Load, once in the parent, what every report's extraction and validation loads on first use, so the
    forked workers share it instead of each loading its own: jieba's dictionary (about 1.4 s CPU a
    process), the SHACL shapes, the ontology and the gazetteer."""
    from rolkg.graph.gazetteer import gazetteer
    from rolkg.graph.validate import ontology_graph, shapes_graph
    from rolkg.graph.words import tokens

    tokens("法治政府建设")  # loads jieba and its dictionary
    shapes_graph()
    ontology_graph()
    gazetteer()


def _size(path: Path | str) -> int:
    """A file's size in bytes (0 for an address or a missing file: those go last)."""
    from rolkg.graph.read import is_url

    try:
        return 0 if is_url(str(path)) else Path(path).stat().st_size
    except OSError:
        return 0


def ingest_prepared(prepared: Prepared, backend: Backend) -> IngestResult:
    """Write a prepared report (its graph as validated; the place's cross-report lineage is recomputed
    after the write, in its own graph); raises like ``ingest_file``."""
    from rolkg.graph.ingest import _raise_if_invalid

    if prepared.error is not None or prepared.extracted is None:
        raise IngestError(prepared.error or "nothing was extracted")
    extracted, outcome, notices = prepared.extracted, prepared.outcome, list(prepared.notices)
    _raise_if_invalid(extracted, outcome)
    validated = outcome is not None
    return write(extracted, backend, validated=validated, notices=notices)


__all__ = ["Prepared", "ValidationFailed", "ingest_prepared", "prepare_file", "prepared_files"]
