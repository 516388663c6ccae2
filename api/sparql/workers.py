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

from rolkg.api.sparql.execute import ExecutorSpec, Outcome, Task

from rolkg.errors import PoolUnavailable, QueryTimeout, WorkerDied

log = logging.getLogger(__name__)

_START_TIMEOUT = 60.0
_MEMORY_LIMIT = 6 * 1024**3  # address space per worker: a runaway answer dies instead of swapping the host


def _worker_main(conn: Connection, spec: ExecutorSpec, memory_limit: int | None) -> None:
    """The worker's loop: open the store once, then answer tasks until told to stop."""
    if memory_limit:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):
            pass
    try:
        executor = spec.build()
    except Exception as err:  # report why, then exit: the parent logs it and retries later
        conn.send(("failed", f"{type(err).__name__}: {err}"))
        return
    conn.send(("ready", ""))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            outcome = executor.run(task)
        except MemoryError:
            outcome = Outcome(status=503, message="the query needed more memory than a worker may use")
        except Exception as err:  # never let one query take the worker down silently
            outcome = Outcome(status=500, message=f"{type(err).__name__}: {err}")
        conn.send(outcome)


@dataclass(slots=True, eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes running :class:`Task` s with a hard per-query deadline."""

    def __init__(
        self, spec: ExecutorSpec, size: int = 2, *, memory_limit: int | None = _MEMORY_LIMIT
    ) -> None:
        self.spec = spec
        self.size = size
        self.memory_limit = memory_limit
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

    def run(self, task: Task, timeout: float) -> Outcome:
        """Run ``task`` within ``timeout`` seconds (waiting for a free worker included)."""
        if self._closed.is_set():
            raise PoolUnavailable("the query service is shutting down")
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolUnavailable(
                f"all {self.size} query workers stayed busy for {timeout:g} s; try again later"
            ) from None
        try:
            worker.conn.send(task)
            remaining = max(0.0, deadline - time.monotonic())
            if not worker.conn.poll(remaining):
                self.kills += 1
                self._discard(worker)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            outcome: Outcome = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as err:
            self._discard(worker)
            raise WorkerDied(
                "the query worker died while running the query (probably out of memory)"
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
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.kill()


if __name__ == "__main__":  # the worker process: python -m rolkg.api.sparql.workers FD CONFIG
    _config = json.loads(sys.argv[2])
    _worker_main(Connection(int(sys.argv[1])), ExecutorSpec(**_config["spec"]), _config["memory_limit"])
