"""Relinking one place costs what that place's reports cost, not what the store holds.

Stores of 6×, 20× and 100× the bundled reports' quads (synthetic reports of many places, six years each,
from tests/bench/synth.py; 6× is about one place's six reports), loaded with pyoxigraph's bulk loader;
then the time to relink one place of six reports, and to relink every place. Run by hand:

    python -m pytest tests/bench/test_relink_bench.py -s -q
"""

from __future__ import annotations

import statistics
import time

import pytest
from rolkg.data import REPORTS_DIR
from rolkg.graph.bulkload import load_file
from rolkg.graph.crosslink import relink_all, relink_place
from rolkg.graph.ingest import ingest_file
from rolkg.graph.query import QueryLayer
from rolkg.graph.reports_index import bundled_reports
from rolkg.graph.store import EmbeddedStore

from tests.bench import synth

FACTORS = (6, 20, 100)


def bundled_quads() -> int:
    store = EmbeddedStore.in_memory()
    for path in bundled_reports(REPORTS_DIR):
        ingest_file(path, None, store, check=False)
    return store.triple_count()


def timed(fn, repeat: int = 3) -> float:
    """Median CPU seconds of ``fn`` in this process (pyoxigraph runs in-process, so its queries count):
    unlike wall time, it does not swell when other jobs share the machine."""
    runs = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        runs.append(time.process_time() - started)
    return statistics.median(runs)


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, float]]:
    base = bundled_quads()
    out: dict[int, dict[str, float]] = {}
    for factor in FACTORS:
        folder = tmp_path_factory.mktemp(f"relink-{factor}")
        data = synth.dataset(base * factor, folder)
        store = EmbeddedStore(folder / "store")
        load_file(data, store)
        places = [r["place"] for r in QueryLayer(store).select("lineage/places")]
        one = next(p for p in places if relink_place(store, p).reports == len(synth.YEARS))
        place_time = timed(lambda: relink_place(store, one))  # noqa: B023
        all_time = timed(lambda: relink_all(store), repeat=1) if factor <= 20 else float("nan")  # noqa: B023
        out[factor] = {
            "quads": store.triple_count(),
            "places": len(places),
            "one place (s)": round(place_time, 3),  # CPU seconds
            "all places (s)": round(all_time, 3),
        }
        print(f"{factor:>4}×: {out[factor]}")
        store.close()
    return out


def test_relinking_one_place_does_not_grow_with_the_store(figures: dict[int, dict[str, float]]) -> None:
    small, large = figures[6]["one place (s)"], figures[100]["one place (s)"]
    assert figures[100]["quads"] > 10 * figures[6]["quads"]
    assert large < 2.5 * small + 0.1, figures  # 15× the data, about the same cost


def test_relinking_everything_grows_with_the_places(figures: dict[int, dict[str, float]]) -> None:
    assert figures[20]["all places (s)"] > 2 * figures[6]["all places (s)"], figures
