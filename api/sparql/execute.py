"""What a worker process does with one guarded query: run it, cap it, serialise it.

One executor for every store: it calls the backend's ``raw_query``, which reads the answer as a stream,
stops at the row cap and serialises it (remote stores get the timeout and cap in their own terms). It
runs inside a worker process that the web process kills when the deadline passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rolkg.graph.store import Backend

from rolkg.config import Settings
from rolkg.errors import QueryTimeout, RolkgError


@dataclass(frozen=True, slots=True)
class Task:
    """One query to run: text, form, the negotiated media type, the dataset and the row cap."""

    query: str
    form: str
    media: str
    max_rows: int
    default_graphs: tuple[str, ...] = field(default=())
    named_graphs: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Outcome:
    """A serialised answer, or an error with the HTTP status it deserves."""

    body: bytes = b""
    size: int = 0
    capped: bool = False
    status: int = 200
    message: str = ""


class Executor(Protocol):
    def run(self, task: Task) -> Outcome: ...


@dataclass(frozen=True, slots=True)
class ExecutorSpec:
    """Picklable recipe for the executor a worker process builds: where the store is, the time limit."""

    store_path: str
    endpoint: str | None = None
    timeout: float = 30.0

    @classmethod
    def of(cls, settings: Settings) -> ExecutorSpec:
        """The recipe for the store ``settings`` describe."""
        return cls(str(settings.store_path), settings.endpoint, settings.query_timeout)

    def build(self) -> Executor:
        from rolkg.graph.store import open_store

        settings = Settings(store_path=Path(self.store_path), endpoint=self.endpoint, query_timeout=self.timeout)
        return StoreExecutor(open_store(settings, read_only=True), self.timeout)


class StoreExecutor:
    """Runs queries through the store's streaming, row-capped ``raw_query`` (any backend).

    The timeout goes down to a remote store in its own terms; the pool's deadline (killing this
    process) is what stops a query on the embedded store.
    """

    def __init__(self, backend: Backend, timeout: float) -> None:
        self._backend = backend
        self._timeout = timeout

    def run(self, task: Task) -> Outcome:
        try:
            answer = self._backend.raw_query(
                task.query,
                task.media,
                timeout=self._timeout,
                max_rows=task.max_rows,
                default_graphs=task.default_graphs,
                named_graphs=task.named_graphs,
            )
        except QueryTimeout as err:
            return Outcome(status=503, message=f"the query did not finish in time: {err}")
        except RolkgError as err:
            return Outcome(status=err.http_status, message=str(err))
        return Outcome(body=answer.body, size=answer.size, capped=answer.capped)
