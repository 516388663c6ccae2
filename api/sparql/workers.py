"""A small standing pool of worker processes that run user queries and can be killed on a deadline.

pyoxigraph cannot interrupt a running query and releases nothing when a thread gives up waiting, so the
only way to really stop a runaway query is to kill its process. Forking per query costs ~28 ms; a
standing pool costs nothing per query. A killed worker is replaced in the background (a fresh process
takes about a second to import and open the store), and the pool keeps serving with the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, replace

from rolkg.api.sparql.channel import Channel, WorkerEnd, pair
from rolkg.api.sparql.execute import ExecutorSpec, Outcome, QueryRequest, answer
from rolkg.api.sparql.shapes import ShapeVerdicts, query_shape

from rolkg.errors import PoolBusy, PoolUnavailable, QueryTimeout, WorkerDied

log = logging.getLogger(__name__)

_START_TIMEOUT = 60.0
_MEMORY_LIMIT = 6 * 1024**3  # address space per worker: a runaway answer dies instead of swapping the host
# A worker whose resident memory has grown by this much since it opened the store leaves once its answer is
# sent, and a fresh one takes its place: what a big query allocated is not all given back to the system (a
# worker stayed at 109 MB after the benchmark's aggregate and lineage queries at 1M, against 49 MB when it
# starts, and malloc_trim gave back nothing), and one such worker kept the server over 500 MB. Measured
# from the worker's own start, so a bigger store that takes more memory to open does not recycle always.
RECYCLE_GROWTH = 32 * 1024**2


# rdflib's parser recurses once per nesting level: a big stack and recursion limit let valid deeply nested
# queries (40 nested groups, 1,000 UNIONs) be checked, inside the worker where the deadline bounds them.
_STACK_BYTES = 512 * 1024**2
_RECURSION_LIMIT = 200_000


def _worker_main(
    conn: WorkerEnd,
    spec: ExecutorSpec,
    memory_limit: int | None,
    nice: int = 2,
    recycle_growth: int | None = None,
) -> None:
    """The worker's loop: open the store once, then answer requests until told to stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the web process's to handle; it kills us
    with contextlib.suppress(OSError):
        # General-lane queries yield the CPU to the web process (/healthz and REST stay responsive under
        # load); fast-lane ones, cut off after a second anyway, compete on equal terms.
        os.nice(nice)
    if memory_limit:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):
            pass
    sys.setrecursionlimit(_RECURSION_LIMIT)
    threading.stack_size(_STACK_BYTES)
    loop = threading.Thread(target=_serve, args=(conn, spec, recycle_growth), name="rolkg-sparql-worker")
    loop.start()
    loop.join()


def _rss() -> int:
    """This process's resident memory in bytes (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _serve(conn: WorkerEnd, spec: ExecutorSpec, recycle_growth: int | None = None) -> None:
    try:
        executor = spec.build()
    except Exception as err:  # report why, then exit: the parent logs it and retries later
        with contextlib.suppress(OSError):
            conn.send(("failed", f"{type(err).__name__}: {err}"))
        return
    try:
        opened = _rss()
        conn.send(("ready", ""))
        while True:
            request = conn.recv()
            if request is None:
                return
            try:
                outcome = answer(executor, request)
            except MemoryError:
                outcome = Outcome(status=503, message="the query needed more memory than a worker may use")
            except RecursionError:
                outcome = Outcome(status=400, message="the query is nested too deeply to be checked")
            except Exception as err:  # never let one query take the worker down silently
                outcome = Outcome(status=500, message=f"{type(err).__name__}: {err}")
            retire = recycle_growth is not None and _rss() - opened >= recycle_growth
            conn.send(replace(outcome, retire=True) if retire else outcome)
            if retire:
                return
    except (EOFError, OSError):  # the web process closed the pipe (shutdown, or it gave up on us)
        return


@dataclass(slots=True, eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Channel
    lane: _Lane

    def stop(self) -> None:
        """End the process. A thread waiting on ``conn`` then sees EOF (closing the fd would not wake it)."""
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)

    def kill(self) -> None:
        """End the process and close the pipe (only from the thread that owns the worker)."""
        self.stop()
        self.conn.close()


class _Lane:
    """Idle workers of one lane, handed out newest first, and how many requests wait for one."""

    def __init__(self, name: str, size: int, max_waiting: int) -> None:
        self.name = name
        self.size = size
        self.max_waiting = max_waiting
        self.waiting = 0  # requests admitted to this lane (running or waiting); under the pool's lock
        self._idle: list[_Worker] = []
        self._ready = threading.Condition()

    def put(self, worker: _Worker) -> None:
        with self._ready:
            self._idle.append(worker)
            self._ready.notify()

    def take(self, deadline: float, closed: threading.Event, keep: int = 0) -> _Worker | None:
        """An idle worker, leaving at least ``keep`` idle; None when none came before ``deadline``."""
        with self._ready:
            while True:
                if closed.is_set():
                    raise PoolUnavailable("the query service is shutting down")
                if len(self._idle) > keep:
                    return self._idle.pop()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                # In short slices, so a shutdown never waits for a queued request's whole deadline.
                self._ready.wait(min(remaining, 0.2))

    def idle_count(self) -> int:
        with self._ready:
            return len(self._idle)

    def wake(self) -> None:
        """Wake every waiting request (to see that the pool closed)."""
        with self._ready:
            self._ready.notify_all()


def _died() -> WorkerDied:
    return WorkerDied(
        "the query worker exited while running this query (it may have needed more memory than a worker "
        "may use); try a smaller query"
    )


class _Overran(Exception):
    """A query ran past the time it was given (its worker is gone)."""


class _Resend(Exception):
    """The worker was gone before it got the request: send it to another."""


class WorkerPool:
    """Worker processes running queries with a hard per-query deadline, in two lanes.

    The general lane (``size`` workers, ``max_waiting`` waiting) runs anything until the query timeout.
    The fast lane (``fast`` workers) runs queries whose shape (:mod:`.shapes`) has proven cheap, with a
    short deadline (``fast_deadline``): a query that overruns it is killed with its worker, its shape is
    remembered as slow and it is run again on the general lane with the time it has left (or refused
    there as busy). A shape never seen may try the fast lane only while another fast worker stays idle
    and no query of that shape is already trying, so unknown heavy queries cannot take the lane from
    lookups. So lookups are answered while slow queries fill the general lane.
    """

    def __init__(
        self,
        spec: ExecutorSpec,
        size: int = 2,
        *,
        fast: int = 2,
        fast_deadline: float = 1.0,
        memory_limit: int | None = _MEMORY_LIMIT,
        recycle_growth: int | None = RECYCLE_GROWTH,
        max_waiting: int | None = None,
    ) -> None:
        self.spec = spec
        self.size = size
        self.memory_limit = memory_limit
        self.recycle_growth = recycle_growth
        self.retired = 0  # workers replaced for their memory (see RECYCLE_GROWTH)
        # Requests allowed to wait for a worker; beyond that the pool answers "busy" at once.
        self.max_waiting = 4 * size if max_waiting is None else max_waiting
        self.fast_deadline = fast_deadline
        self._general = _Lane("general", size, self.max_waiting)
        self._fast = _Lane("fast", fast, 4 * fast)
        self.shapes = ShapeVerdicts()
        self._trying: set[str] = set()  # unproven shapes on the fast lane right now
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self.kills = 0
        self.demotions = 0
        self.last_error: str | None = None

    @property
    def capacity(self) -> int:
        """Requests the pool holds at once (running or waiting, both lanes)."""
        return sum(lane.size + lane.max_waiting for lane in self._lanes())

    def _lanes(self) -> tuple[_Lane, ...]:
        return (self._general, self._fast) if self._fast.size else (self._general,)

    def start(self, wait: bool = True) -> None:
        """Start the workers; with ``wait``, return once each has opened the store (or raise)."""
        for lane in self._lanes():
            for _ in range(lane.size):
                if not wait:
                    self._replace(lane)
                    continue
                worker = self._spawn(lane)
                if worker is None:
                    raise RuntimeError(f"a SPARQL worker could not start: {self.last_error}")
                lane.put(worker)

    def _spawn(self, lane: _Lane) -> _Worker | None:
        # A fresh interpreter rather than fork (the web process holds threads and an open store) or
        # multiprocessing's spawn (which re-imports the parent's __main__: uvicorn, pytest, a REPL …).
        parent, theirs = pair()
        nice = 0 if lane is self._fast else 2
        config = json.dumps(
            {
                "spec": asdict(self.spec),
                "memory_limit": self.memory_limit,
                "nice": nice,
                "recycle": self.recycle_growth,
            }
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "rolkg.api.sparql.workers", str(theirs.fileno()), config],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        worker = _Worker(process, parent, lane)
        try:
            status, detail = parent.recv(_START_TIMEOUT)
        except TimeoutError:
            self.last_error = "worker did not open the store in time"
            worker.kill()
            return None
        except (EOFError, OSError):
            status, detail = "failed", f"worker exited with code {process.poll()}"
        if status != "ready":
            self.last_error = detail
            log.error("SPARQL worker failed to start: %s", detail)
            worker.kill()
            return None
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, lane: _Lane) -> None:
        """Start a new worker for ``lane`` in the background and make it idle there once ready."""

        def start() -> None:
            delay = 0.5
            while not self._closed.is_set():
                worker = self._spawn(lane)
                if worker is not None:
                    if self._closed.is_set():
                        worker.kill()
                    else:
                        lane.put(worker)
                    return
                time.sleep(delay)
                delay = min(delay * 2, 30.0)

        threading.Thread(target=start, name="rolkg-sparql-respawn", daemon=True).start()

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed.is_set():
            self._replace(worker.lane)

    def admits(self) -> bool:
        """False when a new request would only wait past every line: answer 503 without queueing it."""
        with self._lock:
            return any(lane.waiting < lane.size + lane.max_waiting for lane in self._lanes())

    def run(self, request: QueryRequest, timeout: float) -> Outcome:
        """Answer ``request`` within ``timeout`` seconds (waiting for a free worker included)."""
        if self._closed.is_set():
            raise PoolUnavailable("the query service is shutting down")
        deadline = time.monotonic() + timeout
        if self._fast.size:
            outcome = self._run_fast(request, deadline, timeout)
            if outcome is not None:
                return outcome
        general = self._general
        with self._lock:
            if general.waiting >= general.size + general.max_waiting:
                raise PoolBusy(
                    f"all {self.size} query workers are busy and {self.max_waiting} queries are waiting; "
                    "try again in a few seconds"
                )
            general.waiting += 1
        try:
            return self._run(general, request, deadline, timeout)
        finally:
            with self._lock:
                general.waiting -= 1

    def _run_fast(self, request: QueryRequest, deadline: float, timeout: float) -> Outcome | None:
        """The answer from the fast lane, or None: the query belongs on the general lane."""
        shape = query_shape(request.query)
        verdict = self.shapes.get(shape)
        if verdict == "slow":
            return None
        proven = verdict == "fast"
        lane = self._fast
        with self._lock:
            if lane.waiting >= lane.size + lane.max_waiting or (not proven and shape in self._trying):
                return None
            lane.waiting += 1
            if not proven:
                self._trying.add(shape)
        try:
            # A proven shape waits for a fast worker as long as a fast query may run; an unknown one
            # takes a worker only if another stays idle for proven shapes, and never waits.
            now = time.monotonic()
            wait_until = min(deadline, now + self.fast_deadline) if proven else now
            worker = self._take(lane, wait_until, keep=0 if proven else 1)
            if worker is None:
                return None
            limit = min(self.fast_deadline, deadline - time.monotonic())
            try:
                outcome = self._ask(worker, request, limit)
            except _Resend:
                return None
            except _Overran:
                self._demote(shape, deadline, timeout)
                return None
            self.shapes.mark(shape, "fast")
            return outcome
        finally:
            with self._lock:
                lane.waiting -= 1
                if not proven:
                    self._trying.discard(shape)

    def _demote(self, shape: str, deadline: float, timeout: float) -> None:
        """A fast-lane query overran: its shape is slow from now on; past its own deadline it timed out."""
        self.shapes.mark(shape, "slow")
        self.demotions += 1
        if time.monotonic() >= deadline:
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None

    async def run_on_loop(self, request: QueryRequest, timeout: float) -> Outcome | None:
        """The answer, got on the event loop, when ``request`` may run on an idle fast worker; else None.

        A point lookup then costs no thread hand-off at all. None means: call :meth:`run` from a thread
        with the time left (the query's shape is slow or unknown to the loop, or no fast worker is idle
        right now; waiting for one is the thread's job). Refusals raise as :meth:`run`'s do.
        """
        if self._closed.is_set():
            raise PoolUnavailable("the query service is shutting down")
        if not self._fast.size:
            return None
        deadline = time.monotonic() + timeout
        shape = query_shape(request.query)
        if self.shapes.get(shape) != "fast":
            return None  # unproven shapes are tried (and judged) by run(), which keeps a fast worker free
        lane = self._fast
        with self._lock:
            if lane.waiting >= lane.size + lane.max_waiting:
                return None
            lane.waiting += 1
        try:
            worker = self._take(lane, time.monotonic())
            if worker is None:
                return None
            try:
                outcome = await self._ask_on_loop(worker, request, min(self.fast_deadline, timeout))
            except _Resend:
                return None
            except _Overran:
                self._demote(shape, deadline, timeout)
                return None
            return outcome
        finally:
            with self._lock:
                lane.waiting -= 1

    async def _ask_on_loop(self, worker: _Worker, request: QueryRequest, limit: float) -> Outcome:
        """:meth:`_ask` on the event loop; killing a worker (which may wait for it) is left to a thread."""
        try:
            await worker.conn.asend(request)
        except OSError:
            await asyncio.to_thread(self._discard, worker)
            raise _Resend from None
        try:
            outcome: Outcome = await worker.conn.arecv(limit)
        except TimeoutError:
            self.kills += 1
            await asyncio.to_thread(self._discard, worker)
            raise _Overran from None
        except (EOFError, OSError) as err:
            await asyncio.to_thread(self._discard, worker)
            if self._closed.is_set():
                raise PoolUnavailable("the query service is shutting down") from err
            raise _died() from err
        except BaseException:
            # Cancelled mid-answer (the server is stopping): the worker's answer would reach the next
            # request, so the worker goes, in a thread, since this task may not await any more.
            threading.Thread(target=self._discard, args=(worker,), daemon=True).start()
            raise
        if outcome.retire:
            await asyncio.to_thread(self._retire, worker)
        else:
            worker.lane.put(worker)
        return outcome

    def _take(self, lane: _Lane, deadline: float, keep: int = 0) -> _Worker | None:
        """An idle worker of ``lane`` that is still alive (one that died idle is replaced, not blamed)."""
        while True:
            worker = lane.take(deadline, self._closed, keep)
            if worker is None or worker.process.poll() is None:
                return worker
            log.warning("SPARQL worker %s exited while idle; replacing it", worker.process.pid)
            self._discard(worker)

    def _run(self, lane: _Lane, request: QueryRequest, deadline: float, timeout: float) -> Outcome:
        worker = self._take(lane, deadline)
        if worker is None:
            raise PoolUnavailable(
                f"all {lane.size} query workers stayed busy until the deadline; try again later"
            )
        try:
            return self._ask(worker, request, deadline - time.monotonic())
        except _Overran:
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
        except _Resend:
            return self._run(lane, request, max(deadline, time.monotonic() + 0.1), timeout)

    def _ask(self, worker: _Worker, request: QueryRequest, limit: float) -> Outcome:
        """Send ``request`` to ``worker`` and wait up to ``limit`` s; the worker is killed past it."""
        try:
            worker.conn.send(request)
        except OSError:  # gone between the liveness check and the send: not the query's fault
            self._discard(worker)
            raise _Resend from None
        try:
            outcome: Outcome = worker.conn.recv(max(0.0, limit))
        except TimeoutError:
            self.kills += 1
            self._discard(worker)
            raise _Overran from None
        except (EOFError, OSError) as err:
            self._discard(worker)
            if self._closed.is_set():
                raise PoolUnavailable("the query service is shutting down") from err
            raise _died() from err
        if outcome.retire:
            self._retire(worker)
        else:
            worker.lane.put(worker)
        return outcome

    def _retire(self, worker: _Worker) -> None:
        """Replace a worker that left for its memory (its answer was whole)."""
        self.retired += 1
        self._discard(worker)

    def idle_count(self) -> int:
        """Workers waiting for a query right now (both lanes)."""
        return sum(lane.idle_count() for lane in self._lanes())

    def close(self) -> None:
        """Stop every worker (running queries are killed)."""
        self._closed.set()
        for lane in self._lanes():
            lane.wake()
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()  # busy ones' threads get EOF, answer "shutting down" and close their pipes


if __name__ == "__main__":  # the worker process: python -m rolkg.api.sparql.workers FD CONFIG
    _config = json.loads(sys.argv[2])
    _worker_main(
        WorkerEnd(socket.socket(fileno=int(sys.argv[1]))),
        ExecutorSpec(**_config["spec"]),
        _config["memory_limit"],
        _config["nice"],
        _config.get("recycle"),
    )
