"""The embedded backend: a pyoxigraph store on disk (or in memory), guarded by :mod:`.lock`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rolkg.graph import formats
from rolkg.graph.results import serialize
from rolkg.graph.store.base import RawAnswer, Row, export_format, is_project_graph, replace_update
from rolkg.graph.store.capped import answer_of, solutions_json
from rolkg.graph.store.lock import StoreLock
from rolkg.graph.terms import check_iri, sparql_term, to_rdflib

from rolkg.errors import (
    QuerySyntaxError,
    StoreError,
    StoreLocked,
    StoreMissing,
    StoreReadOnly,
)


class EmbeddedStore:
    """A pyoxigraph store on disk (or in memory when ``memory=True``).

    Opening for writing takes the store's lock exclusively, opening read-only takes it shared: a build
    or ingest into a store that ``rolkg serve`` is serving is refused with the server's pid.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, memory: bool = False):
        self._lock: StoreLock | None = None
        self.is_read_only = read_only
        if memory:
            self.path: Path | None = None
            self._store = ox.Store()
            return
        if path is None:
            from rolkg.config import default_store_path

            path = default_store_path()
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreMissing(
                f"no store at {self.path}: run `rolkg build` (or `rolkg --store {path} build`)"
            )
        self._lock = StoreLock(self.path, exclusive=not read_only)
        try:
            self._store = self._open(self.path, read_only)
        except BaseException:
            self._lock.release()
            raise

    @staticmethod
    def _open(path: Path, read_only: bool) -> ox.Store:
        try:
            if read_only:
                return ox.Store.read_only(str(path))
            path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(path))
        except OSError as err:
            text = str(err).lower()
            if "lock" in text or "resource temporarily unavailable" in text:
                raise StoreLocked(
                    f"the store at {path} is locked by another process (is `rolkg serve` running?); "
                    "stop it, or use --store with another directory"
                ) from err
            raise StoreError(f"cannot open the store at {path}: {err}") from err

    @classmethod
    def read_only(cls, path: str | Path) -> EmbeddedStore:
        """Open an existing store for reading only (for serving and querying)."""
        return cls(path, read_only=True)

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """A throw-away store in memory (for extracting and validating without touching disk)."""
        return cls(memory=True)

    def _query(self, query: str, **kwargs: Any) -> Any:
        if "default_graph" not in kwargs:
            kwargs["use_default_graph_as_union"] = True
        try:
            return self._store.query(query, **kwargs)
        except SyntaxError as err:
            raise QuerySyntaxError(f"the query is not valid SPARQL: {err}") from err
        except (OSError, RuntimeError) as err:
            raise StoreError(f"the store failed to answer: {err}") from err

    def select(self, query: str) -> list[Row]:
        """Rows of a SELECT query; unbound variables are left out of a row."""
        result = self._query(query)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        rows: list[Row] = []
        for solution in result:
            row: Row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value)
            rows.append(row)
        return rows

    def ask(self, query: str) -> bool:
        """The answer of an ASK query."""
        result = self._query(query)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("ask() needs an ASK query")
        return bool(result)

    def construct(self, query: str) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        result = self._query(query)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("construct() needs a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for triple in result:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return graph

    def raw_query(
        self,
        query: str,
        accept: str | None,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> RawAnswer:
        """Run any query, reading at most ``max_rows`` solutions, in the format ``accept`` negotiates.

        A dataset given (either list) replaces the union default graph: its default graph is the merge
        of ``default_graphs`` (empty when none is given) and only ``named_graphs`` are named. ``timeout``
        cannot be enforced here (pyoxigraph cannot interrupt a query from Python): the SPARQL workers
        run this in a process they kill on the deadline.
        """
        kwargs: dict[str, Any] = {}
        if default_graphs or named_graphs:
            kwargs["default_graph"] = [ox.NamedNode(check_iri(u)) for u in default_graphs]
            kwargs["named_graphs"] = [ox.NamedNode(check_iri(u)) for u in named_graphs]
        result = self._query(query, **kwargs)
        graph_form = isinstance(result, ox.QueryTriples)
        fmt = formats.negotiate_answer(accept, graph_form=graph_form)
        try:
            if fmt is formats.RESULTS_JSON and not graph_form:
                body, size, capped = solutions_json(result, max_rows)
                return RawAnswer(body, fmt.media_type, fmt.content_type, size, capped)
            answer = answer_of(result, max_rows)
        except (OSError, RuntimeError) as err:  # evaluation errors surface while iterating
            raise StoreError(f"the query failed: {err}") from err
        body = serialize(answer, fmt)
        return RawAnswer(body, fmt.media_type, fmt.content_type, answer.size, answer.capped)

    def _update(self, update: str) -> None:
        if self.is_read_only:
            raise StoreReadOnly(f"the store at {self.path} is open read-only (is it being served?)")
        try:
            self._store.update(update)
        except SyntaxError as err:
            raise QuerySyntaxError(f"the update is not valid SPARQL: {err}") from err
        except OSError as err:
            raise StoreError(f"the store failed to write: {err}") from err

    def replace_graph(self, graph_name: URIRef, graph: Graph) -> None:
        """Replace the named graph by ``graph``: one SPARQL Update, which pyoxigraph applies atomically."""
        self._update(replace_update(graph_name, graph))

    def drop_graph(self, graph_name: URIRef) -> None:
        """Remove a named graph (nothing happens when it does not exist)."""
        self._update(f"DROP SILENT GRAPH {sparql_term(graph_name)}")

    def named_graphs(self, *, project_only: bool = True) -> list[URIRef]:
        """The names of the project's named graphs (with ``project_only=False``: every one), sorted."""
        return sorted(
            URIRef(g.value)
            for g in self._store.named_graphs()
            if isinstance(g, ox.NamedNode) and (not project_only or is_project_graph(g.value))
        )

    def triple_count(self) -> int:
        """The number of quads in the project's named graphs."""
        # len() walks every quad (pyoxigraph 0.5: ~0.37 s per million, 1.9 s at 10M; /healthz caches it);
        # what lies outside the project's graphs is small, so count everything and subtract.
        return len(self._store) - sum(1 for _ in self._foreign_quads())

    def _project_quads(self) -> Any:
        for g in self.named_graphs():
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(g)))

    def _foreign_quads(self) -> Any:
        """Quads outside the project's data graphs: the default graph, the build marker, anything else."""
        yield from self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        for g in self._store.named_graphs():
            if not (isinstance(g, ox.NamedNode) and is_project_graph(g.value)):
                yield from self._store.quads_for_pattern(None, None, None, g)

    def holds_only_project_graphs(self) -> bool:
        """Whether the store holds nothing but the project's data graphs (then its dump is the export)."""
        return next(iter(self._foreign_quads()), None) is None

    def export(self, format: str) -> bytes:
        """The project's graphs serialised as ``trig``, ``nquads`` or ``jsonld``."""
        fmt = export_format(format)
        if self.holds_only_project_graphs():
            return self._store.dump(format=fmt.oxigraph)  # type: ignore[arg-type,return-value]
        return ox.serialize(self._project_quads(), format=fmt.oxigraph)  # type: ignore[arg-type,return-value]

    def close(self) -> None:
        """Flush and release the store; the object is unusable afterwards."""
        if self._store is not None and not self.is_read_only and self.path is not None:
            self._store.flush()
        self._store = None  # type: ignore[assignment]
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
