"""Named example queries for the SPARQL page: the competency questions plus the viz's own examples."""

from __future__ import annotations

from pathlib import Path

from rolkg.viz.source import QUERY_DIR

EXAMPLE_DIRS = [Path(__file__).resolve().parent.parent / "graph" / "queries" / "cq", QUERY_DIR / "examples"]


def _title(text: str, fallback: str) -> str:
    """The first comment line of a query, else ``fallback``."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            return line.lstrip("#").strip() or fallback
        if line:
            break
    return fallback


def example_dirs() -> list[Path]:
    """Where examples are read from: ``rolkg.graph``'s ``queries/cq`` and ``viz/queries/examples``."""
    try:
        from rolkg.graph.query import QUERIES_DIR

        cq = Path(QUERIES_DIR) / "cq"
    except ImportError:  # the graph package is optional for this module
        cq = EXAMPLE_DIRS[0]
    return [cq, QUERY_DIR / "examples"]


def load_examples() -> list[dict[str, str]]:
    """``[{name, title, query}]`` sorted by folder then file name."""
    found = []
    for folder in example_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.rq")):
            query = path.read_text(encoding="utf-8")
            found.append({"name": path.stem, "title": _title(query, path.stem), "query": query})
    return found
