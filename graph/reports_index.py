"""``data/reports/reports.tsv``: what is known of each bundled report before reading it."""

from __future__ import annotations

import csv
from pathlib import Path

from rolkg.data import REPORTS_DIR
from rolkg.graph.model import ReportMeta

from rolkg.errors import ReportsIndexError

INDEX_FILE = REPORTS_DIR / "reports.tsv"
_COLUMNS = ("file", "title", "issuer", "jurisdiction", "year", "published", "source")


def load_index(path: Path = INDEX_FILE) -> dict[str, ReportMeta]:
    """File name → metadata, for every row of the index (empty when the file does not exist)."""
    if not path.is_file():
        return {}
    entries: dict[str, ReportMeta] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ReportsIndexError(f"{path}: missing column(s) {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            name = (row.get("file") or "").strip()
            if not name:
                continue
            year_text = (row.get("year") or "").strip()
            try:
                year = int(year_text) if year_text else None
            except ValueError:
                raise ReportsIndexError(f"{path}:{line}: year {year_text!r} is not a number") from None
            entries[name] = ReportMeta(
                title=_clean(row.get("title")),
                issuer=_clean(row.get("issuer")),
                jurisdiction=_clean(row.get("jurisdiction")),
                year=year,
                source=_clean(row.get("source")),
                issued=_clean(row.get("published")),
            )
    return entries


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def meta_for(path: str | Path, index_path: Path = INDEX_FILE) -> ReportMeta | None:
    """The index's metadata for a report file, matched by file name; None when it is not listed."""
    return load_index(index_path).get(Path(path).name)


REPORT_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")


def bundled_reports(folder: Path = REPORTS_DIR) -> list[Path]:
    """The reports in ``folder`` (default: the bundled ``data/reports/``) in any readable form, by name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in REPORT_SUFFIXES and p.is_file())
