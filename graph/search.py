"""Text search of the read model (``/api/search``, ``/viz/search``): an in-memory index per store version.

``read/search`` scans every label, title, variant, indicator and description literal with ``CONTAINS`` on
each call (about a second at 1M quads). Here those texts are read once (``read/search/texts``), lower-cased
and joined into one string, shortest first; a search is ``str.find`` in a loop (C speed) with ``bisect``
mapping offsets to entries, and only the ≤ 200 resources found get their fields from the store
(``read/search/details``: ``read/search`` restricted to them by ``VALUES``, so both give the same rows).

The index lives as long as the query layer keeps answers (``QueryLayer.cache_ttl``): for good on a
read-only embedded store, :data:`~rolkg.graph.query.REMOTE_CACHE_TTL` on a remote store (then rebuilt in
the background while the old one answers), and a writable embedded store keeps the scan. It is kept per
backend, so the API's and the pages' query layers over one store share it.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import Backend, Row

LIMIT = 200  # resources a search answers at most (read/search's LIMIT)
SEP = "\x00"  # between texts; a match running over it is checked and skipped, so any q is safe
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TextIndex:
    """Every searchable text of a store, lower-cased, ordered by (original length, resource IRI)."""

    text: str  # the texts joined by SEP
    starts: array[int]  # where each text starts in ``text``
    nodes: tuple[str, ...]  # each text's resource IRI (one str object per resource)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> TextIndex:
        """The index of ``(resource IRI, text)`` pairs."""
        interned: dict[str, str] = {}
        entries = sorted({(len(hit), interned.setdefault(node, node), hit.lower()) for node, hit in pairs})
        starts: array[int] = array("q")
        at = 0
        for _, _, low in entries:
            starts.append(at)
            at += len(low) + 1
        return cls(SEP.join(low for _, _, low in entries), starts, tuple(node for _, node, _ in entries))

    def __len__(self) -> int:
        return len(self.nodes)

    def find(self, q: str, limit: int = LIMIT) -> list[str]:
        """IRIs of the first ``limit`` resources with a text containing ``q`` (any case), ordered as
        ``read/search``: shortest matching text first, then IRI."""
        needle, text, starts, nodes = q.lower(), self.text, self.starts, self.nodes
        count, size = len(starts), len(needle)
        found: dict[str, None] = {}  # insertion-ordered: entries are sorted, so first seen = shortest
        at = text.find(needle)
        while at >= 0 and len(found) < limit:
            i = bisect_right(starts, at) - 1
            following = starts[i + 1] if i + 1 < count else len(text) + 1
            if at + size < following:  # inside text i (its end is following - 1, the separator)
                found.setdefault(nodes[i], None)
                at = text.find(needle, following) if i + 1 < count else -1
            else:
                at = text.find(needle, at + 1)
        return list(found)


def build(layer: QueryLayer) -> TextIndex:
    """The index of the store ``layer`` reads (one query)."""
    rows = layer.select("read/search/texts")
    return TextIndex.of((str(r["node"]), str(r["hit"])) for r in rows)


@dataclass(eq=False)
class _Held:
    """One backend's index, when it was built, and the lock that makes concurrent first searches wait
    for a single build."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    index: TextIndex | None = None
    built: float = 0.0
    refreshing: bool = False


_HELD: weakref.WeakKeyDictionary[Backend, _Held] = weakref.WeakKeyDictionary()
_HELD_LOCK = threading.Lock()


def _held(backend: Backend) -> _Held:
    with _HELD_LOCK:
        held = _HELD.get(backend)
        if held is None:
            held = _HELD[backend] = _Held()
        return held


def _build_once(layer: QueryLayer, held: _Held) -> TextIndex:
    """The held index, built now unless another thread built it while this one waited."""
    with held.lock:
        if held.index is None:
            started = time.monotonic()
            held.index = build(layer)
            held.built = time.monotonic()
            log.info("search index: %d texts in %.1f s", len(held.index), held.built - started)
        return held.index


def _refresh(layer: QueryLayer, held: _Held) -> None:
    """Rebuild an expired index (background thread); the old one answers meanwhile."""
    try:
        index = build(layer)
        with held.lock:
            held.index, held.built = index, time.monotonic()
    except Exception as err:  # the old index keeps answering; the next expired search tries again
        log.warning("search index refresh failed: %s", err)
    finally:
        held.refreshing = False


def index_of(layer: QueryLayer) -> TextIndex | None:
    """The search index of ``layer``'s store, built on first use; None when answers are not kept
    (a writable embedded store: searches scan)."""
    ttl = layer.cache_ttl()
    if ttl == 0:
        return None
    held = _held(layer.backend)
    index = held.index
    if index is None:
        return _build_once(layer, held)
    if time.monotonic() - held.built >= ttl:
        with held.lock:
            start, held.refreshing = not held.refreshing, True
        if start:
            threading.Thread(
                target=_refresh, args=(layer, held), name="rolkg-search-index", daemon=True
            ).start()
    return index


def warm(layer: QueryLayer) -> threading.Thread | None:
    """Build the index in a background thread (``rolkg serve`` start); a search arriving meanwhile waits
    for this build instead of starting another. None when the store keeps no index."""
    if layer.cache_ttl() == 0:
        return None
    held = _held(layer.backend)

    def run() -> None:
        try:
            _build_once(layer, held)
        except Exception as err:  # the first search builds it (and reports the error) instead
            log.warning("search index build at start failed: %s", err)

    thread = threading.Thread(target=run, name="rolkg-search-index", daemon=True)
    thread.start()
    return thread


def search(layer: QueryLayer, q: str) -> list[Row]:
    """``read/search``'s rows for ``q`` (at most :data:`LIMIT`), from the index when the store keeps one."""
    index = index_of(layer)
    if index is None:
        return layer.select("read/search", q=Literal(q))
    nodes = index.find(q)
    if not nodes:
        return []
    return layer.select("read/search/details", nodes=[URIRef(n) for n in nodes], q=Literal(q))


__all__ = ["LIMIT", "TextIndex", "build", "index_of", "search", "warm"]
