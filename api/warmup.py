"""Whole-store answers computed once when ``rolkg serve`` starts, so no first visitor pays for them.

The warm-up asks the app itself, in-process and in a background thread, for the pages and routes whose
answers are whole-store computations kept per store version (home's counts, ``/api/kinds``, the
overview's subgraph and layout, the lists' per-report counts …). Asking through the real routes fills
the caches they already use (``QueryLayer.cached``, ``viz.netcache.NetworkCache``) under exactly the keys
a visitor's request looks up; a visitor who comes while one is being computed waits for that
computation (both caches compute a key once) rather than starting another. The server answers
``/healthz`` from the start.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Sequence

import httpx
from fastapi import FastAPI
from rolkg.api.memory import release_freed_memory

log = logging.getLogger("uvicorn.error")  # shown with the server's own start-up lines

# What a visitor or client asks first; each costs a whole-store query (or several) the first time.
PATHS = (
    "/healthz",
    "/api/stats",
    "/api/kinds",
    "/api/kinds/rule-of-law-practice-station/adoption",  # every kind's adoption at once (a kind of the ontology)
    "/api/reports",
    "/api/themes",
    "/api/initiatives?limit=1",
    "/api/metrics?limit=1",
    "/api/bodies?limit=1",
    "/api/documents?limit=1",
    "/api/facilities?limit=1",
    "/",
    "/viz/overview",
    "/viz/connect",  # the connect view's search graph (4 s at 1M) and its default paths
    "/list/Initiative",  # the list pages' counts, facets and first page (seconds each at 1M)
    "/list/Body",
    "/list/Document",
    "/list/Facility",
    "/list/Metric",
    "/list/Evidence",  # the longest list (68k at 1M: 7 s to read)
    # Any filter builds the class's index (rolkg.viz.list_index), which every filtered visit then uses; a kind
    # no resource has keeps the filtered page itself empty.
    *(f"/list/{cls}?kind=-" for cls in ("Initiative", "Metric", "Body", "Document", "Facility")),
)


def _accept(path: str) -> str:
    """As a browser asks for pages, as a client asks for the API (a page may answer each differently)."""
    return "application/json" if path.startswith(("/api/", "/healthz")) else "text/html"


class Warmup:
    """One warm-up run over an app; ``done`` is set when every path was answered (or failed) and the
    start-up work it was given to wait for has ended (``/healthz`` says ``"warm": true`` from then on)."""

    def __init__(self, paths: Sequence[str] = PATHS, after: Sequence[threading.Thread] = ()) -> None:
        self.paths = tuple(paths)
        self._after = tuple(after)  # other start-up work ``done`` waits for (the search index's build)
        self.done = threading.Event()
        self.answers: dict[str, int | str] = {}  # path → status code, or the error's name
        self.seconds: float | None = None
        self._stop = threading.Event()

    def start(self, app: FastAPI) -> threading.Thread:
        """Run in a daemon thread (the server does not wait for it, at start or at shutdown)."""
        thread = threading.Thread(target=self.run, args=(app,), name="rolkg-warmup", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Ask no further path (the server is stopping)."""
        self._stop.set()

    def run(self, app: FastAPI) -> None:
        started = time.perf_counter()
        try:
            asyncio.run(self._ask(app))
            for thread in self._after:
                thread.join()
        finally:
            self.seconds = time.perf_counter() - started
            release_freed_memory()  # the whole-store queries' hash tables (~50 MB at 1M quads)
            self.done.set()
        failed = {p: s for p, s in self.answers.items() if s != 200}
        note = f", not 200: {failed}" if failed else ""
        log.info("warm-up: %d paths answered in %.1f s%s", len(self.answers), self.seconds, note)

    async def _ask(self, app: FastAPI) -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", timeout=None
        ) as client:
            for path in self.paths:
                if self._stop.is_set():
                    return
                try:
                    answer = await client.get(path, headers={"Accept": _accept(path)})
                    self.answers[path] = answer.status_code
                except Exception as err:  # a failed warm-up leaves the route to compute on demand
                    self.answers[path] = type(err).__name__
