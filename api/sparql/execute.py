"""What a worker process does with one guarded query: run it, cap it, serialise it.

Two executors, one per kind of store. The embedded one streams solutions straight from pyoxigraph so a
huge answer stops at the row cap instead of filling memory; the remote one goes through the store
backend's ``raw_query`` (which spots the truncated bodies the Oxigraph server sends on its own timeout).
Both run inside a worker process that the web process kills when the deadline passes.

The guard runs here too (:func:`answer`): parsing a large query with rdflib costs seconds of pure-Python
CPU, which in the web process would hold the GIL and stall ``/healthz`` and every cheap route. In a worker
it is bounded by the same deadline as the query, and the text it checked is the text the executor runs.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import Graph
from rdflib.term import Node
from rolkg.api.sparql.results import Answer, serialize


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


class Executor(Protocol):
    def run(self, task: Task) -> Outcome: ...

    def graphs(self) -> list[str]: ...


def answer(executor: Executor, request: QueryRequest) -> Outcome:
    """Guard, negotiate and run one protocol request; refusals come back as outcomes with their status."""
    from rolkg.api.sparql.guard import QueryRefused, check_query
    from rolkg.api.sparql.negotiation import (
        CANONICAL,
        GRAPH_CANONICAL,
        GRAPH_TYPES,
        RESULT_TYPES,
        NotAcceptable,
        negotiate,
    )

    try:
        guarded = check_query(
            request.query,
            executor.graphs,
            default_graph_uris=request.default_graph_uris,
            named_graph_uris=request.named_graph_uris,
            max_bytes=len(request.query.encode("utf-8", "surrogatepass")) + 1,  # size is the web side's job
        )
    except QueryRefused as err:
        return Outcome(status=err.status, message=err.message)
    try:
        asked = negotiate(request.accept, GRAPH_TYPES if guarded.is_graph else RESULT_TYPES)
    except NotAcceptable as err:
        return Outcome(status=406, message=str(err))
    media = (GRAPH_CANONICAL if guarded.is_graph else CANONICAL).get(asked, asked)
    task = Task(
        query=guarded.text,
        form=guarded.form,
        media=media,
        max_rows=request.max_rows,
        default_graphs=guarded.default_graphs,
        named_graphs=guarded.named_graphs,
    )
    outcome = executor.run(task)
    if outcome.status == 200 and len(outcome.body) > request.max_bytes:
        outcome = _within_bytes(executor, task, outcome, request.max_bytes)
    return dataclasses.replace(outcome, media=media)


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
    """Picklable recipe for an executor, built in the worker process (``kind``: embedded | remote)."""

    kind: str
    location: str
    timeout: float = 30.0

    def build(self) -> Executor:
        if self.kind == "embedded":
            return EmbeddedExecutor(Path(self.location))
        return RemoteExecutor(self.location, self.timeout)


class EmbeddedExecutor:
    """Runs queries on a read-only pyoxigraph store opened in this (worker) process."""

    def __init__(self, path: Path) -> None:
        import pyoxigraph as ox  # only the worker touches pyoxigraph; it streams what the backend would buffer

        self._ox = ox
        self._store = ox.Store.read_only(str(path))

    def graphs(self) -> list[str]:
        """IRIs of the named graphs the store holds (for the guard's dataset check)."""
        return [g.value for g in self._store.named_graphs() if isinstance(g, self._ox.NamedNode)]

    def run(self, task: Task) -> Outcome:
        from rolkg.graph.terms import to_rdflib

        ox = self._ox
        kwargs: dict[str, object] = {}
        if task.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in task.default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if task.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in task.named_graphs]
        try:
            result = self._store.query(task.query, **kwargs)  # type: ignore[arg-type]
            if isinstance(result, ox.QueryBoolean):
                answer = Answer(form=task.form, boolean=bool(result))
            elif isinstance(result, ox.QueryTriples):
                triples = list(itertools.islice(result, task.max_rows + 1))
                answer = Answer(
                    form=task.form,
                    triples=[
                        (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                        for t in triples[: task.max_rows]
                    ],
                    capped=len(triples) > task.max_rows,
                )
            else:
                names = [v.value for v in result.variables]
                solutions = list(itertools.islice(result, task.max_rows + 1))
                rows: list[list[Node | None]] = [
                    [None if s[n] is None else to_rdflib(s[n]) for n in names]
                    for s in solutions[: task.max_rows]
                ]
                answer = Answer(
                    form=task.form, variables=names, rows=rows, capped=len(solutions) > task.max_rows
                )
        except SyntaxError as err:
            return Outcome(status=400, message=f"the store cannot parse the query: {err}")
        except (OSError, RuntimeError, ValueError, TypeError) as err:
            return Outcome(status=400, message=f"the query failed: {err}")
        return Outcome(body=serialize(answer, task.media), size=answer.size, capped=answer.capped)


class RemoteExecutor:
    """Runs queries on a remote SPARQL store through the store backend; the deadline is the pool's."""

    def __init__(self, query_url: str, timeout: float) -> None:
        from rolkg.graph.store import RemoteStore

        self._timeout = timeout
        self._backend = RemoteStore(query_url, timeout=timeout + 5.0)

    def graphs(self) -> list[str]:
        """IRIs of the named graphs the store holds (for the guard's dataset check)."""
        return [str(g) for g in self._backend.named_graphs()]

    def run(self, task: Task) -> Outcome:
        from rolkg.graph.store import QuerySyntaxError, QueryTimeout, StoreError
        from rolkg.graph.terms import from_sparql_json

        graph_form = task.form in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples" if graph_form else "application/sparql-results+json"
        try:
            body, _media = self._backend.raw_query(
                task.query, accept, task.default_graphs, task.named_graphs, timeout=self._timeout + 5.0
            )
        except QuerySyntaxError as err:
            return Outcome(status=400, message=str(err))
        except QueryTimeout as err:
            return Outcome(status=503, message=f"the query did not finish in time: {err}")
        except StoreError as err:
            return Outcome(status=502, message=str(err))
        try:
            if graph_form:
                graph = Graph().parse(data=body.decode("utf-8"), format="nt")
                triples = list(itertools.islice(graph, task.max_rows + 1))
                answer = Answer(
                    form=task.form, triples=triples[: task.max_rows], capped=len(triples) > task.max_rows
                )
            else:
                doc = json.loads(body)
                if "boolean" in doc:
                    answer = Answer(form=task.form, boolean=bool(doc["boolean"]))
                else:
                    names = list(doc["head"].get("vars", []))
                    bindings = doc["results"]["bindings"]
                    rows = [
                        [from_sparql_json(b[n]) if n in b else None for n in names]
                        for b in bindings[: task.max_rows]
                    ]
                    answer = Answer(
                        form=task.form, variables=names, rows=rows, capped=len(bindings) > task.max_rows
                    )
        except (ValueError, KeyError, TypeError) as err:
            return Outcome(status=503, message=f"the store's answer is incomplete (cut short?): {err}")
        return Outcome(body=serialize(answer, task.media), size=answer.size, capped=answer.capped)
