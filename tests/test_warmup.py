"""The server's start-up warm-up: whole-store answers computed once in the background, then served from the
caches the routes use; /healthz answers meanwhile, and a request for a value being computed waits for it.

The store is real (an embedded store opened read-only, as ``rolkg serve`` opens it); the wrapper around it
only counts (and, for one test, holds back) the queries that reach it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rolkg.api.app import create_app
from rolkg.api.warmup import PATHS
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import EmbeddedStore

from rolkg.config import Settings


class Counting:
    """A real backend whose queries are counted; ``hold`` makes the queries it matches wait for ``release``."""

    def __init__(self, backend: EmbeddedStore) -> None:
        self._backend = backend
        self.queries: list[str] = []
        self.hold: Callable[[str], bool] = lambda q: False
        self.release = threading.Event()
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)  # is_read_only, named_graphs, triple_count, close …

    def _run(self, query: str, answer: Callable[[str], Any]) -> Any:
        with self._lock:
            self.queries.append(query)
        if self.hold(query):
            assert self.release.wait(30), "the test never released the held query"
        return answer(query)

    def select(self, query: str) -> Any:
        return self._run(query, self._backend.select)

    def ask(self, query: str) -> bool:
        return self._run(query, self._backend.ask)  # type: ignore[no-any-return]

    def construct(self, query: str) -> Any:
        return self._run(query, self._backend.construct)

    def count(self, text: str) -> int:
        with self._lock:
            return sum(text in q for q in self.queries)


@pytest.fixture
def served(api_stores: Any) -> Iterator[tuple[Settings, Counting]]:
    settings = api_stores["embedded-extracted"]
    store = EmbeddedStore.read_only(settings.store_path)
    try:
        yield settings, Counting(store)
    finally:
        store.close()


def test_after_the_warm_up_the_cached_answers_exist_and_requests_ask_the_store_nothing(
    served: tuple[Settings, Counting],
) -> None:
    settings, backend = served
    app = create_app(settings, backend=backend, workers=1, fast_workers=0, warm=True)  # type: ignore[arg-type]
    with TestClient(app) as client:
        context = app.state.rolkg
        assert context.warmup is not None and context.warmup.done.wait(120)
        assert context.warmup.answers == {path: 200 for path in PATHS}
        layer: QueryLayer = context.layer
        for name in ("read/stats", "read/kinds", "read/reports", "read/themes", "read/home/reports"):
            assert layer.is_cached(name), name
        assert layer.is_cached("read/home/report-counts") and layer.is_cached("read/home/class-counts")
        assert layer.holds("stats:triples") and layer.holds("stats:graphs")
        assert app.state.viz_layer is layer  # the pages share the API's cache
        assert app.state.viz_network.reports()  # the overview's lists are built

        backend.queries.clear()
        for path in ("/api/stats", "/api/kinds", "/api/reports", "/api/themes"):
            assert client.get(path).status_code == 200, path
        for path in ("/", "/viz/overview"):
            assert client.get(path, headers={"Accept": "text/html"}).status_code == 200, path
        assert backend.queries == [], [q[:120] for q in backend.queries]
        # A list page's order, count, facets and first page were kept; another page or sort reads only its
        # rows' details, once.
        assert client.get("/list/Body", headers={"Accept": "text/html"}).status_code == 200
        assert backend.queries == [], [q[:120] for q in backend.queries]
        for _ in range(2):
            assert (
                client.get("/list/Body?sort=year&desc=1", headers={"Accept": "text/html"}).status_code == 200
            )
        assert backend.count("# Facet values") == 0 and backend.count("# The resources of the classes") == 0
        assert backend.count("# What the list pages show") == 1


def test_healthz_answers_while_the_warm_up_computes_and_a_request_waits_for_its_value(
    served: tuple[Settings, Counting],
) -> None:
    settings, backend = served
    app = create_app(settings, backend=backend, workers=1, fast_workers=0, warm=True)  # type: ignore[arg-type]
    kinds = QueryLayer(backend).render("read/kinds")  # type: ignore[arg-type]
    backend.hold = lambda q: q == kinds
    with TestClient(app) as client:
        context = app.state.rolkg
        deadline = time.monotonic() + 60
        while backend.count(kinds) == 0:  # the warm-up reached the kinds and is held there
            assert time.monotonic() < deadline, "the warm-up never asked for the kinds"
            time.sleep(0.02)
        health = client.get("/healthz").json()
        assert health["status"] == "ok" and health["warm"] is False
        assert not context.warmup.done.is_set()

        answers: list[int] = []
        asking = threading.Thread(target=lambda: answers.append(client.get("/api/kinds").status_code))
        asking.start()
        # Had the request started its own computation, its query would show up here (and be held too).
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and backend.count(kinds) == 1:
            time.sleep(0.02)
        assert backend.count(kinds) == 1
        backend.release.set()
        asking.join(30)
        assert answers == [200]
        assert context.warmup.done.wait(120)
        assert backend.count(kinds) == 1  # computed once, for the warm-up and the request together
        assert client.get("/healthz").json()["warm"] is True


def test_no_warm_up_where_answers_are_not_kept(api_stores: Any) -> None:
    """A writable store's answers are not cached, so warming it would only cost."""
    settings = api_stores["embedded-fixture"]
    store = EmbeddedStore.read_only(settings.store_path)
    store.is_read_only = False  # as a writable store reports itself; the layer then keeps nothing
    try:
        app = create_app(settings, backend=store, workers=1, fast_workers=0, warm=True)
        with TestClient(app):
            assert app.state.rolkg.warmup is None
    finally:
        store.is_read_only = True  # as opened: closing then flushes nothing
        store.close()


def test_concurrent_callers_of_one_key_compute_it_once(served: tuple[Settings, Counting]) -> None:
    _, backend = served
    layer = QueryLayer(backend)  # type: ignore[arg-type]
    kinds = layer.render("read/kinds")
    backend.hold = lambda q: q == kinds
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(len(layer.select_cached("read/kinds"))))]
    threads.append(threading.Thread(target=lambda: results.append(len(layer.select_cached("read/kinds")))))
    for t in threads:
        t.start()
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline and backend.count(kinds) < 2:
        time.sleep(0.02)
    backend.release.set()
    for t in threads:
        t.join(30)
    assert backend.count(kinds) == 1
    assert len(results) == 2 and results[0] == results[1] > 0


def test_kept_answers_are_capped_by_their_rows_and_the_latest_stays(
    served: tuple[Settings, Counting], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rolkg.graph import query

    _, backend = served
    layer = QueryLayer(backend)  # type: ignore[arg-type]
    monkeypatch.setattr(query, "CACHE_ROWS", 100)
    layer.cached("small", lambda: [1] * 10)
    layer.cached("big", lambda: list(range(40)))
    assert layer.holds("small") and layer.holds("big")
    layer.cached("bigger", lambda: list(range(55)))  # 105 rows: the least recently used goes first
    assert not layer.holds("small") and layer.holds("big") and layer.holds("bigger")
    layer.cached("huge", lambda: list(range(500)))  # more than the cap alone: kept, everything else dropped
    assert layer.holds("huge") and not layer.holds("big") and not layer.holds("bigger")
