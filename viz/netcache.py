"""What the network views keep between requests, per store version.

The store's fingerprint (``read/network/version``, a few milliseconds) is probed at most every
``PROBE_EVERY`` seconds (once, on a store that cannot change while open); when it changes, everything here
is dropped. Within one version the views' bounded subgraphs, the filter lists and (for the connect view
only) its compact search graph are computed once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx
from rolkg.viz import routemap, subgraph
from rolkg.viz.kg import local
from rolkg.viz.routemap import RouteMap
from rolkg.viz.source import ANY, Selector, number, text
from rolkg.viz.views import Connection, connection

PROBE_EVERY = 2.0  # seconds between version probes (a write shows within this long)
MAX_VIEWS = 128  # subgraphs kept per version (each a few hundred nodes)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ReportRef:
    iri: str
    title: str
    year: int | None


class NetworkCache:
    """Per-version memo of the network views' reads over one query layer (thread-safe)."""

    def __init__(self, sel: Selector) -> None:
        self.sel = sel
        self._lock = threading.Lock()
        self._build_locks: dict[Hashable, threading.Lock] = {}
        self._version = ""
        self._probed = float("-inf")
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def version(self) -> str:
        """The store's fingerprint, probed at most every ``PROBE_EVERY`` seconds; a change clears the memo."""
        with self._lock:
            now = time.monotonic()
            if self._version and getattr(self.sel, "keeps_answers", False):
                return self._version  # a read-only embedded store never changes while it is open
            if now - self._probed >= PROBE_EVERY:
                current = subgraph.version(self.sel)
                if current != self._version:
                    self._items.clear()
                    self._version = current
                self._probed = now
            return self._version

    def get(self, key: Hashable, build: Callable[[], T], *, keep: bool = False) -> T:
        """``build()``'s result for ``key`` in this store version (built once even when asked concurrently).
        ``keep``: never evicted by newer keys (the filter lists, the whole graph)."""
        version = self.version()
        full = (version, key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                return self._items[full]  # type: ignore[no-any-return]
            gate = self._build_locks.setdefault(full, threading.Lock())
        with gate:
            with self._lock:
                if full in self._items:
                    return self._items[full]  # type: ignore[no-any-return]
            value = build()
            with self._lock:
                self._items[full] = value
                self._build_locks.pop(full, None)
                if not keep:
                    views = [k for k in self._items if k[1][0] == "view"]
                    for old in views[:-MAX_VIEWS]:
                        self._items.pop(old, None)
            return value

    # ---- what the pages list -------------------------------------------------------------------

    def reports(self) -> list[ReportRef]:
        """Every report, newest first."""

        def build() -> list[ReportRef]:
            return [
                ReportRef(text(r, "report"), text(r, "title"), number(r, "year"))  # type: ignore[arg-type]
                for r in self.sel.select(subgraph.Q + "reports")
            ]

        return self.get(("list", "reports"), build, keep=True)

    def themes(self) -> list[tuple[str, str, str]]:
        """``(iri, zh, en)`` of every theme."""

        def build() -> list[tuple[str, str, str]]:
            rows = self.sel.select(subgraph.Q + "theme-list")
            found = [
                (text(r, "theme"), text(r, "themeLabel", local(text(r, "theme"))), text(r, "themeLabelEn"))
                for r in rows
            ]
            return sorted(found, key=lambda t: t[1])

        return self.get(("list", "themes"), build, keep=True)

    def bodies(self) -> list[tuple[str, str]]:
        """``(iri, label)`` of the bodies leading or partnering the most measures."""

        def build() -> list[tuple[str, str]]:
            rows = self.sel.select(subgraph.Q + "body-list")
            return sorted(
                ((text(r, "body"), text(r, "label", local(text(r, "body")))) for r in rows),
                key=lambda b: b[1],
            )

        return self.get(("list", "bodies"), build, keep=True)

    def routes(self) -> RouteMap:
        """The connect view's search graph: read once per store version (14 MB at 1M quads)."""
        return self.get(("list", "routes"), lambda: routemap.read(self.sel), keep=True)

    def draw(self, members: list[str], links: list[tuple[str, str, str]]) -> nx.MultiDiGraph:
        """The connect view's drawing of ``members`` and ``links`` (read from the store: a few resources)."""
        return subgraph.path_graph(self.sel, self.routes(), members, links)

    def connection(self, start: str, end: str) -> Connection:
        """The connect view between two endpoint patterns (see :func:`rolkg.viz.views.connection`)."""
        key = ("view", "connect", start, end)
        return self.get(key, lambda: connection(self.routes(), self.draw, start, end))

    # ---- the views' subgraphs ------------------------------------------------------------------

    def overview(
        self, *, classes: frozenset[str] | None, theme: str, body: str, report: str, limit: int
    ) -> tuple[nx.MultiDiGraph, int]:
        """The overview's subgraph and how many measures match the filters."""

        def build() -> tuple[nx.MultiDiGraph, int]:
            refs = self.reports()
            order = [r.iri for r in refs if not report or r.iri == report]
            titles = {r.iri: f"{r.title} {r.year or ''}".strip() for r in refs}
            g = subgraph.overview_graph(
                self.sel,
                order,
                classes=classes and set(classes),
                theme=theme or None,
                body=body or None,
                limit=limit,
                titles=titles,
                years={r.iri: r.year for r in refs if r.year},
            )
            return g, self._count(classes, theme, body, report) if order else 0

        key = ("view", "overview", classes, theme, body, report, limit)
        return self.get(key, build)

    def _count(self, classes: frozenset[str] | None, theme: str, body: str, report: str) -> int:
        from rdflib import URIRef
        from rolkg.graph.namespaces import ROL

        # No class filter = the three measure classes, given as VALUES: the query keeps only those anyway,
        # and without the block Oxigraph scanned every typed subject (1.6 s at 1M quads; this 0.35 s).
        wanted = classes if classes is not None else subgraph.MEASURES
        rows = self.sel.select(
            subgraph.Q + "count",
            classes=[ROL[c] for c in sorted(wanted)],
            report=URIRef(report) if report else ANY,
            theme=URIRef(theme) if theme else ANY,
            body=URIRef(body) if body else ANY,
        )
        return sum(int(number(r, "n") or 0) for r in rows)

    def around(self, iri: str, depth: int, limit: int) -> tuple[nx.MultiDiGraph, int]:
        return self.get(
            ("view", "around", iri, depth, limit), lambda: subgraph.around(self.sel, iri, depth, limit)
        )

    def lineage(self, iri: str, limit: int) -> nx.MultiDiGraph:
        return self.get(
            ("view", "lineage", iri, limit), lambda: subgraph.lineage_around(self.sel, iri, limit)
        )
