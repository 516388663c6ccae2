"""`/healthz` stays cheap (the quad count is taken once on a read-only store) and `/dumps` streams."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from rolkg.api.app import create_app
from rolkg.graph.store import EmbeddedStore, load_ontology

from rolkg.config import Settings


def _built(path: Path) -> int:
    store = EmbeddedStore(path)
    try:
        load_ontology(store)
        return store.triple_count()
    finally:
        store.close()


def test_healthz_counts_a_read_only_store_once(tmp_path: Path) -> None:
    quads = _built(tmp_path / "store")
    assert quads > 100
    with TestClient(create_app(Settings(store_path=tmp_path / "store"), workers=1)) as client:
        backend = client.app.state.rolkg.backend  # type: ignore[attr-defined]
        assert backend.is_read_only
        counted: list[int] = []
        count = backend.triple_count

        def counting() -> int:
            counted.append(1)
            return count()

        backend.triple_count = counting
        answers = [client.get("/healthz").json() for _ in range(5)]
    assert all(a["status"] == "ok" and a["triples"] == quads for a in answers)
    assert all(a["warm"] is None for a in answers)  # an app made without a warm-up says so
    assert len(counted) == 1


def test_healthz_recounts_a_writable_store(tmp_path: Path) -> None:
    # The workers read the store on disk; the app's own backend is a writable in-memory store (an embedded
    # store on disk cannot be written while served: its lock refuses the writer).
    _built(tmp_path / "store")
    store = EmbeddedStore.in_memory()
    load_ontology(store)
    quads = store.triple_count()
    try:
        with TestClient(
            create_app(Settings(store_path=tmp_path / "store"), workers=1, backend=store)
        ) as client:
            assert client.get("/healthz").json()["triples"] == quads
            store.drop_graph(store.named_graphs()[0])
            assert client.get("/healthz").json()["triples"] < quads
    finally:
        store.close()


def test_dumps_stream_and_survive_a_client_that_stops_reading(tmp_path: Path) -> None:
    quads = _built(tmp_path / "store")
    with TestClient(create_app(Settings(store_path=tmp_path / "store"), workers=1)) as client:
        with client.stream("GET", "/dumps/rolkg.nq") as partial:
            assert partial.status_code == 200
            next(partial.iter_bytes())  # one chunk, then hang up
        whole = client.get("/dumps/rolkg.nq")
        assert whole.headers["content-type"].startswith("application/n-quads")
        assert len(whole.content.splitlines()) == quads
        assert client.get("/healthz").json()["status"] == "ok"
