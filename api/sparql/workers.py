"""A small standing pool of worker processes that run user queries and can be killed on a deadline.

pyoxigraph cannot interrupt a running query and releases nothing when a thread gives up waiting, so the
only way to really stop a runaway query is to kill its process. Forking per query costs ~28 ms; a
standing pool costs nothing per query. A killed worker is replaced in the background (a fresh process
takes about a second to import and open the store), and the pool keeps serving with the others.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection

from rolkg.api.sparql.execute import ExecutorSpec, Outcome, QueryRequest, answer

from rolkg.errors import PoolBusy, PoolUnavailable, QueryTimeout, WorkerDied

log = logging.getLogger(__name__)

_START_TIMEOUT = 60.0
_MEMORY_LIMIT = 6 * 1024**3  # address space per worker: a runaway answer dies instead of swapping the host


# rdflib's parser recurses once per nesting level: a big stack and recursion limit let valid deeply nested
# queries (40 nested groups, 1,000 UNIONs) be checked, inside the worker where the deadline bounds them.
_STACK_BYTES = 512 * 1024**2
_RECURSION_LIMIT = 200_000


def _worker_main(conn: Connection, spec: ExecutorSpec, memory_limit: int | None) -> None:
    """The worker's loop: open the store once, then answer requests until told to stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the web process's to handle; it kills us
    with contextlib.suppress(OSError):
        os.nice(2)  # queries yield the CPU to the web process: /healthz and REST stay responsive under load
    if memory_limit:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):
            pass
    sys.setrecursionlimit(_RECURSION_LIMIT)
    threading.stack_size(_STACK_BYTES)
    loop = threading.Thread(target=_serve, args=(conn, spec), name="rolkg-sparql-worker")
    loop.start()
    loop.join()


def _serve(conn: Connection, spec: ExecutorSpec) -> None:
    try:
        executor = spec.build()
    except Exception as err:  # report why, then exit: the parent logs it and retries later
        with contextlib.suppress(OSError):
            conn.send(("failed", f"{type(err).__name__}: {err}"))
        return
    try:
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
            conn.send(outcome)
    except (EOFError, OSError):  # the web process closed the pipe (shutdown, or it gave up on us)
        return


@dataclass(slots=True, eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection

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


class WorkerPool:
    """``size`` worker processes running :class:`Task` s with a hard per-query deadline."""

    def __init__(
        self,
        spec: ExecutorSpec,
        size: int = 2,
        *,
        memory_limit: int | None = _MEMORY_LIMIT,
        max_waiting: int | None = None,
    ) -> None:
        self.spec = spec
        self.size = size
        self.memory_limit = memory_limit
        # Requests allowed to wait for a worker; beyond that the pool answers "busy" at once.
        self.max_waiting = 4 * size if max_waiting is None else max_waiting
        self._waiting = 0
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self.kills = 0
        self.last_error: str | None = None

    def start(self, wait: bool = True) -> None:
        """Start the workers; with ``wait``, return once each has opened the store (or raise)."""
        if wait:
            for _ in range(self.size):
                worker = self._spawn()
                if worker is None:
                    raise RuntimeError(f"a SPARQL worker could not start: {self.last_error}")
                self._idle.put(worker)
        else:
            for _ in range(self.size):
                self._replace()

    def _spawn(self) -> _Worker | None:
        # A fresh interpreter rather than fork (the web process holds threads and an open store) or
        # multiprocessing's spawn (which re-imports the parent's __main__: uvicorn, pytest, a REPL …).
        ours, theirs = socket.socketpair()
        config = json.dumps({"spec": asdict(self.spec), "memory_limit": self.memory_limit})
        process = subprocess.Popen(
            [sys.executable, "-m", "rolkg.api.sparql.workers", str(theirs.fileno()), config],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        parent = Connection(os.dup(ours.fileno()))
        ours.close()
        worker = _Worker(process, parent)
        if not parent.poll(_START_TIMEOUT):
            self.last_error = "worker did not open the store in time"
            worker.kill()
            return None
        try:
            status, detail = parent.recv()
        except EOFError:
            status, detail = "failed", f"worker exited with code {process.poll()}"
        if status != "ready":
            self.last_error = detail
            log.error("SPARQL worker failed to start: %s", detail)
            worker.kill()
            return None
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self) -> None:
        """Start a new worker in the background and add it to the idle set once ready."""

        def start() -> None:
            delay = 0.5
            while not self._closed.is_set():
                worker = self._spawn()
                if worker is not None:
                    if self._closed.is_set():
                        worker.kill()
                    else:
                        self._idle.put(worker)
                    return
                time.sleep(delay)
                delay = min(delay * 2, 30.0)

        threading.Thread(target=start, name="rolkg-sparql-respawn", daemon=True).start()

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed.is_set():
            self._replace()

    def admits(self) -> bool:
        """False when a new request would only wait past the line: answer 503 without queueing it."""
        with self._lock:
            return self._waiting < self.size + self.max_waiting

    def run(self, request: QueryRequest, timeout: float) -> Outcome:
        """Answer ``request`` within ``timeout`` seconds (waiting for a free worker included)."""
        if self._closed.is_set():
            raise PoolUnavailable("the query service is shutting down")
        with self._lock:
            if self._waiting >= self.size + self.max_waiting:
                raise PoolBusy(
                    f"all {self.size} query workers are busy and {self.max_waiting} queries are waiting; "
                    "try again in a few seconds"
                )
            self._waiting += 1
        try:
            return self._run(request, timeout)
        finally:
            with self._lock:
                self._waiting -= 1

    def _take(self, deadline: float) -> _Worker:
        """An idle worker that is still alive (one that died while idle is replaced, not blamed)."""
        while True:
            if self._closed.is_set():
                raise PoolUnavailable("the query service is shutting down")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PoolUnavailable(
                    f"all {self.size} query workers stayed busy until the deadline; try again later"
                )
            try:  # in short slices, so a shutdown never waits for a queued request's whole deadline
                worker = self._idle.get(timeout=min(remaining, 0.2))
            except queue.Empty:
                continue
            if worker.process.poll() is None:
                return worker
            log.warning("SPARQL worker %s exited while idle; replacing it", worker.process.pid)
            self._discard(worker)

    def _run(self, request: QueryRequest, timeout: float) -> Outcome:
        deadline = time.monotonic() + timeout
        worker = self._take(deadline)
        try:
            worker.conn.send(request)
        except OSError:  # gone between the liveness check and the send: not the query's fault
            self._discard(worker)
            return self._run(request, max(0.1, deadline - time.monotonic()))
        try:
            remaining = max(0.0, deadline - time.monotonic())
            if not worker.conn.poll(remaining):
                self.kills += 1
                self._discard(worker)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            outcome: Outcome = worker.conn.recv()
        except (EOFError, OSError) as err:
            self._discard(worker)
            if self._closed.is_set():
                raise PoolUnavailable("the query service is shutting down") from err
            raise WorkerDied(
                "the query worker exited while running this query (it may have needed more memory than a "
                "worker may use); try a smaller query"
            ) from err
        self._idle.put(worker)
        return outcome

    def idle_count(self) -> int:
        """Workers waiting for a query right now."""
        return self._idle.qsize()

    def close(self) -> None:
        """Stop every worker (running queries are killed)."""
        self._closed.set()
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()  # busy ones' threads get EOF, answer "shutting down" and close their pipes


if __name__ == "__main__":  # the worker process: python -m rolkg.api.sparql.workers FD CONFIG
    _config = json.loads(sys.argv[2])
    _worker_main(Connection(int(sys.argv[1])), ExecutorSpec(**_config["spec"]), _config["memory_limit"])
