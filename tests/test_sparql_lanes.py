"""The SPARQL pool's two lanes on a real store and real worker processes: the fast lane answers lookups
while slow queries fill the general lane, and a query that overruns the fast lane's deadline is demoted
(its worker killed, its shape remembered) and answered on the general lane, or refused there as busy.
Events are asserted in order and by status, never by how long they took."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest
from rolkg.api.sparql.execute import ExecutorSpec, Outcome, QueryRequest
from rolkg.api.sparql.shapes import ShapeVerdicts, query_shape
from rolkg.api.sparql.workers import WorkerPool

from rolkg.errors import PoolBusy, PoolUnavailable, QueryTimeout
from tests import own_loop

JSON = "application/sparql-results+json"
LOOKUP = "ASK { <https://w3id.org/rolkg/id/initiative/SLUG> ?p ?o }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# Seconds on the fixture store (millions of pairs), far more than the tiny fast deadline below.
PAIRS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def _request(query: str) -> QueryRequest:
    return QueryRequest(query=query, accept=JSON, max_rows=50, max_bytes=1 << 20)


def _poll(condition: object, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.02)


@pytest.fixture
def pool(api_stores: dict[str, object], request: pytest.FixtureRequest) -> Iterator[WorkerPool]:
    """One general worker with no waiting line, two fast workers with the deadline the test asks for."""
    spec = ExecutorSpec.of(api_stores["embedded-fixture"])  # type: ignore[arg-type]
    pool = WorkerPool(spec, size=1, fast=2, fast_deadline=request.param, max_waiting=0)
    pool.start()
    yield pool
    pool.close()


def test_shapes_abstract_constants_and_verdicts_stay_slow() -> None:
    one = query_shape(LOOKUP.replace("SLUG", "a-2024-1"))
    assert one == query_shape("ask  {  <https://x/other> ?p ?o } # a comment")
    assert one != query_shape(HEAVY)
    assert query_shape('SELECT * { ?s rdfs:label "a" } LIMIT 5') == query_shape(
        "SELECT * { ?s rdfs:label 'b' } LIMIT 50"
    )
    verdicts = ShapeVerdicts(limit=2)
    verdicts.mark("a", "slow")
    verdicts.mark("a", "fast")  # a fast run still in flight does not clear what was learnt
    assert verdicts.get("a") == "slow"
    verdicts.mark("b", "fast")
    verdicts.mark("c", "fast")
    assert verdicts.get("a") is None and verdicts.get("c") == "fast"  # least recently used dropped


# A deadline no lookup overruns even on loaded cores, which the heavy query overruns many times over.
@pytest.mark.parametrize("pool", [5.0], indirect=True)
def test_the_fast_lane_answers_a_lookup_while_the_general_lane_is_full(pool: WorkerPool) -> None:
    events: list[str] = []
    warm = pool.run(_request(LOOKUP.replace("SLUG", "cixishisifaju-2024-1-2-3")), 30)
    assert warm.status == 200
    assert pool.shapes.get(query_shape(LOOKUP)) == "fast"

    def heavy() -> None:
        try:
            pool.run(_request(HEAVY), 120)
            events.append("heavy answered")
        except (PoolUnavailable, QueryTimeout) as err:
            events.append(f"heavy stopped: {type(err).__name__}")

    runner = threading.Thread(target=heavy)
    runner.start()
    # An unknown shape may try the fast lane; it overruns, is demoted and then holds the general lane.
    _poll(lambda: pool.demotions == 1 and pool.shapes.get(query_shape(HEAVY)) == "slow", "heavy demoted")
    _poll(lambda: pool._general.idle_count() == 0 and pool._general.waiting == 1, "general lane taken")
    events.append("heavy demoted")
    with pytest.raises(PoolBusy):  # the same shape again: straight to the full general lane, refused
        pool.run(_request(HEAVY), 120)
    events.append("second heavy refused")
    answers: list[Outcome] = [pool.run(_request(LOOKUP.replace("SLUG", f"x-{i}")), 30) for i in range(3)]
    events.append("lookups answered")
    assert [a.status for a in answers] == [200, 200, 200]
    assert all(b'"boolean"' in a.body for a in answers)
    assert runner.is_alive()  # the heavy query has two minutes: it is still running on the general lane
    pool.close()
    runner.join(timeout=15)
    assert events == [
        "heavy demoted",
        "second heavy refused",
        "lookups answered",
        "heavy stopped: PoolUnavailable",
    ]


@pytest.mark.parametrize("pool", [0.05], indirect=True)
def test_an_overrunning_fast_lane_query_is_demoted_and_still_answered(pool: WorkerPool) -> None:
    outcome = pool.run(_request(PAIRS), 120)
    assert outcome.status == 200 and b'"n"' in outcome.body  # answered on the general lane
    assert (pool.demotions, pool.kills) == (1, 1)
    assert pool.shapes.get(query_shape(PAIRS)) == "slow"
    again = pool.run(_request(PAIRS), 120)  # known slow: straight to the general lane, nothing killed
    assert again.body == outcome.body
    assert (pool.demotions, pool.kills) == (1, 1)
    # The killed fast worker is replaced: both lanes are whole again.
    _poll(lambda: pool.idle_count() == 3, "the fast lane's worker replaced")


# ---- answered on the event loop (run_on_loop): what /sparql does first ----------------------------


@pytest.mark.parametrize("pool", [5.0], indirect=True)
def test_a_proven_lookup_is_answered_on_the_loop_and_an_unknown_shape_is_left_to_a_thread(
    pool: WorkerPool,
) -> None:
    lookup = _request(LOOKUP.replace("SLUG", "cixishisifaju-2024-1-2-3"))
    assert own_loop.run(lambda: pool.run_on_loop(lookup, 30)) is None  # never seen: run() tries and judges it
    by_thread = pool.run(lookup, 30)
    on_loop = own_loop.run(lambda: pool.run_on_loop(lookup, 30))
    assert on_loop is not None and on_loop.status == 200 and on_loop.body == by_thread.body
    other = own_loop.run(lambda: pool.run_on_loop(_request(LOOKUP.replace("SLUG", "nothing-here")), 30))
    assert other is not None and b"false" in other.body and b"true" in on_loop.body
    assert pool.idle_count() == 3 and pool.kills == 0


@pytest.mark.parametrize("pool", [0.05], indirect=True)
def test_a_proven_shape_that_overruns_on_the_loop_is_killed_demoted_and_left_to_the_general_lane(
    pool: WorkerPool,
) -> None:
    pool.shapes.mark(query_shape(PAIRS), "fast")  # proven cheap with other constants, say
    assert own_loop.run(lambda: pool.run_on_loop(_request(PAIRS), 120)) is None
    assert (pool.kills, pool.demotions) == (1, 1)
    assert pool.shapes.get(query_shape(PAIRS)) == "slow"
    outcome = pool.run(_request(PAIRS), 120)  # what /sparql does next, in a thread
    assert outcome.status == 200 and b'"n"' in outcome.body
    assert (pool.kills, pool.demotions) == (1, 1)
    _poll(lambda: pool.idle_count() == 3, "the killed fast worker replaced")


@pytest.mark.parametrize("pool", [30.0], indirect=True)
def test_a_query_cancelled_on_the_loop_takes_its_worker_with_it(pool: WorkerPool) -> None:
    """The cancelled query's answer must never reach the next request: its worker is replaced."""
    pool.shapes.mark(query_shape(PAIRS), "fast")
    lookup = _request(LOOKUP.replace("SLUG", "cixishisifaju-2024-1-2-3"))
    pool.run(lookup, 30)

    async def cancel_then_lookup() -> Outcome | None:
        task = asyncio.ensure_future(pool.run_on_loop(_request(PAIRS), 120))
        while pool._fast.idle_count() == 2:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return await pool.run_on_loop(lookup, 30)

    answer = own_loop.run(cancel_then_lookup)
    assert answer is not None and b'"boolean"' in answer.body and b'"n"' not in answer.body
    _poll(lambda: pool.idle_count() == 3, "the cancelled query's worker replaced")
    assert len({w.process.pid for w in pool._all}) == 3


@pytest.mark.parametrize("pool", [30.0], indirect=True)
def test_closing_the_pool_ends_a_query_awaited_on_the_loop(pool: WorkerPool) -> None:
    pool.shapes.mark(query_shape(PAIRS), "fast")
    threading.Timer(0.5, pool.close).start()
    with pytest.raises(PoolUnavailable):
        own_loop.run(lambda: pool.run_on_loop(_request(PAIRS), 120))


def _recycled(spec: ExecutorSpec, mark: int | None) -> tuple[int, int]:
    """Workers retired and processes seen over six lookups (three on a thread, three on the loop)."""
    pool = WorkerPool(spec, size=1, fast=1, recycle_growth=mark)
    pool.start()
    try:
        lookup = _request(LOOKUP.replace("SLUG", "cixishisifaju-2024-1-2-3"))
        pids: set[int] = set()
        for _ in range(3):
            _poll(lambda: pool.idle_count() == 2, "both workers idle")
            pids |= {w.process.pid for w in pool._all}
            assert pool.run(lookup, 30).status == 200
            _poll(lambda: pool.idle_count() == 2, "both workers idle")
            outcome = own_loop.run(lambda: pool.run_on_loop(lookup, 30))
            assert outcome is None or (outcome.status == 200 and b"true" in outcome.body)
        pids |= {w.process.pid for w in pool._all}
        assert pool.kills == 0
        return pool.retired, len(pids)
    finally:
        pool.close()


def test_a_worker_past_its_memory_mark_leaves_after_its_answer_and_is_replaced(
    api_stores: dict[str, object],
) -> None:
    """With no growth allowed, each answer is whole, its worker leaves and a fresh one answers the
    next query, on a thread and on the loop; with no mark nobody leaves."""
    spec = ExecutorSpec.of(api_stores["embedded-fixture"])  # type: ignore[arg-type]
    retired, processes = _recycled(spec, 0)
    assert retired >= 3 and processes > 2, (retired, processes)
    assert _recycled(spec, None) == (0, 2)
