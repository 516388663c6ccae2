"""What a worker process does with one guarded query: run it, cap it, serialise it.

One executor for every store: it calls the backend's ``raw_query``, which reads the answer as a stream,
stops at the row cap and serialises it (remote stores get the timeout and cap in their own terms). It
runs inside a worker process that the web process kills when the deadline passes.

The guard runs here too (:func:`answer`): parsing a large query with rdflib costs seconds of pure-Python
CPU, which in the web process would hold the GIL and stall ``/healthz`` and every cheap route. In a worker
it is bounded by the same deadline as the query, and the text it checked is the text the executor runs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rolkg.api.sparql.guard import GuardedQuery, check_query
from rolkg.graph.formats import negotiate_answer
from rolkg.graph.store import Backend

from rolkg.config import Settings
from rolkg.errors import NotAcceptable, QueryRefused, QueryTimeout, RolkgError


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """A query as the protocol received it: unchecked text, the client's Accept and dataset parameters."""

    query: str
    accept: str | None
    max_rows: int
    max_bytes: int
    default_graph_uris: tuple[str, ...] = field(default=())
    named_graph_uris: tuple[str, ...] = field(default=())


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
    media: str = ""
    capped_bytes: bool = False
    retire: bool = False  # the worker that wrote it has grown past its memory mark and is leaving


class Executor(Protocol):
    # True when the engine reads plain SPARQL only (Oxigraph), so the guard's lexical proof may admit.
    lexical: bool

    def run(self, task: Task) -> Outcome: ...

    def graphs(self) -> list[str]: ...


def answer(executor: Executor, request: QueryRequest) -> Outcome:
    """Guard, negotiate and run one protocol request; refusals come back as outcomes with their status."""
    try:
        guarded = _guard(executor, request, lexical=executor.lexical)
    except QueryRefused as err:
        return Outcome(status=err.status, message=err.message)
    try:
        media = negotiate_answer(request.accept, graph_form=guarded.is_graph).media_type
    except NotAcceptable as err:
        return Outcome(status=406, message=str(err))
    task = Task(
        query=guarded.text,
        form=guarded.form,
        media=media,
        max_rows=request.max_rows,
        default_graphs=guarded.default_graphs,
        named_graphs=guarded.named_graphs,
    )
    outcome = executor.run(task)
    if outcome.status == 400 and guarded.lexical:
        # The engine refused a query no parser had read yet: rdflib's message says where and why, the
        # same words a parsed query gets (and an update is named as one).
        try:
            _guard(executor, request, lexical=False)
        except QueryRefused as err:
            return Outcome(status=err.status, message=err.message)
    if outcome.status == 200 and len(outcome.body) > request.max_bytes:
        outcome = _within_bytes(executor, task, outcome, request.max_bytes)
    return dataclasses.replace(outcome, media=media)


def _guard(executor: Executor, request: QueryRequest, *, lexical: bool) -> GuardedQuery:
    return check_query(
        request.query,
        executor.graphs,
        default_graph_uris=request.default_graph_uris,
        named_graph_uris=request.named_graph_uris,
        max_bytes=len(request.query.encode("utf-8", "surrogatepass")) + 1,  # size is the web side's job
        lexical=lexical,
    )


def _within_bytes(executor: Executor, task: Task, outcome: Outcome, max_bytes: int) -> Outcome:
    """Re-run with fewer rows until the answer fits ``max_bytes`` (a complete document, marked capped)."""
    rows = outcome.size
    while rows > 0:
        rows = int(rows * max_bytes / max(len(outcome.body), 1) * 0.9)
        outcome = executor.run(dataclasses.replace(task, max_rows=rows))
        if outcome.status != 200 or len(outcome.body) <= max_bytes:
            break
    if outcome.status == 200 and (rows <= 0 or len(outcome.body) > max_bytes):
        return Outcome(
            status=413,
            message=f"not even one result fits in the {max_bytes} bytes an answer may have; select less",
        )
    return dataclasses.replace(outcome, capped=True, capped_bytes=True)


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

        settings = Settings(
            store_path=Path(self.store_path), endpoint=self.endpoint, query_timeout=self.timeout
        )
        return StoreExecutor(open_store(settings, read_only=True), self.timeout)


class StoreExecutor:
    """Runs queries through the store's streaming, row-capped ``raw_query`` (any backend).

    The timeout goes down to a remote store in its own terms; the pool's deadline (killing this
    process) is what stops a query on the embedded store.
    """

    def __init__(self, backend: Backend, timeout: float) -> None:
        from rolkg.graph.store.embedded import EmbeddedStore

        self._backend = backend
        self._timeout = timeout
        # pyoxigraph has no extension that reaches outside the store; remote stores may (Virtuoso's DEFINE,
        # bif: functions), so their queries always get the full parse.
        self.lexical = isinstance(backend, EmbeddedStore)

    def graphs(self) -> list[str]:
        """IRIs of every named graph the store holds (a query's dataset may name any of them)."""
        return [str(g) for g in self._backend.named_graphs(project_only=False)]

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
