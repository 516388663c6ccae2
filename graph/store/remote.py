"""The remote backend: any SPARQL 1.1 Protocol store, over one reused HTTP connection pool.

Answers are read as a stream and parsed by pyoxigraph as they arrive, so a row cap stops the download
(and, on the Oxigraph server, the query) instead of buffering the whole answer. A body that ends where
no complete document can end is a store's timeout (the Oxigraph server's ``--timeout-s`` answers 200 and
stops writing), not an answer.

Writes go by SPARQL Update — ``DROP SILENT GRAPH`` + ``INSERT DATA`` in chunks every store accepts (the
first chunk in the same request as the drop, so a small graph is replaced atomically on stores that apply
a request atomically) — or, when ``store_url`` is given, by one Graph Store Protocol ``PUT``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import httpx
import pyoxigraph as ox
from rdflib import Graph, URIRef
from rolkg.graph import formats
from rolkg.graph.results import GRAPH_FORMS, Answer, serialize
from rolkg.graph.store.base import (
    INSERT_CHUNK,
    RawAnswer,
    Row,
    export_format,
    is_project_graph,
    ntriples_lines,
    query_form,
    replace_updates,
    store_query,
)
from rolkg.graph.store.capped import solutions_answer, triples_answer
from rolkg.graph.store.dialects import SparqlDialect, detect
from rolkg.graph.terms import check_iri, sparql_term, to_oxigraph

from rolkg.errors import (
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreReadOnly,
    StoreUnreachable,
)

T = TypeVar("T")
# What the store is asked to answer in, by query form: both parse as a stream. (Asking for either and
# letting the store choose fails on Virtuoso, which writes an empty CONSTRUCT as JSON results.)
_RESULTS = formats.RESULTS_JSON
_TRIPLES = formats.NTRIPLES
# Named in a dataset to make its other half empty: the protocol gives no other way to say "none".
EMPTY_GRAPH = "urn:x-rolkg:empty"


class _Body(io.RawIOBase):
    """The body of a streamed ``httpx`` response as a file, for pyoxigraph's incremental parsers."""

    def __init__(self, response: httpx.Response) -> None:
        self._chunks: Iterator[bytes] = response.iter_bytes()
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._rest = chunk
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


class RemoteStore:
    """A SPARQL 1.1 Protocol store (Oxigraph server, Virtuoso, Fuseki …) at ``query_url``.

    ``dialect`` is detected from the first answer's ``Server`` header unless given.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        *,
        timeout: float = 60.0,
        client: httpx.Client | None = None,
        dialect: SparqlDialect | None = None,
        chunk: int = INSERT_CHUNK,
    ):
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.timeout = timeout
        self.chunk = chunk
        self._dialect = dialect
        self._client = client or httpx.Client(timeout=timeout)

    # ---- reading ------------------------------------------------------------------------------------

    @property
    def dialect(self) -> SparqlDialect:
        """How this store takes timeouts and caps (asked once: ``ASK {}`` and its ``Server`` header)."""
        if self._dialect is None:
            try:
                response = self._client.post(self.query_url, data={"query": "ASK {}"})
            except httpx.HTTPError as err:
                raise StoreUnreachable(f"cannot reach the store at {self.query_url}: {err}") from err
            self._dialect = detect(response)
        return self._dialect

    def _stream(
        self,
        query: str,
        read: Callable[[httpx.Response, formats.Format], T],
        *,
        accept: formats.Format = _RESULTS,
        timeout: float | None = None,
        max_rows: int | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> T:
        """POST ``query`` and hand the streamed answer and its format to ``read``, mapping every failure."""
        data: dict[str, Any] = {"query": query}
        if default_graphs or named_graphs:
            data["default-graph-uri"] = [check_iri(u) for u in default_graphs] or [EMPTY_GRAPH]
            data["named-graph-uri"] = [check_iri(u) for u in named_graphs] or [EMPTY_GRAPH]
        data.update(self.dialect.query_params(timeout, max_rows))
        wait = self.timeout if timeout is None else timeout + 5.0  # the store should give up first
        try:
            with self._client.stream(
                "POST", self.query_url, data=data, headers={"Accept": accept.media_type}, timeout=wait
            ) as response:
                if response.status_code >= 400:
                    response.read()
                    self._raise_for_status(response, "query")
                self.dialect.check(response, self.query_url)
                media = response.headers.get("content-type", "")
                fmt = formats.by_media_type(media)
                if fmt is None or (fmt.kind == "results") != (accept.kind == "results"):
                    raise StoreError(
                        f"the store at {self.query_url} answered in {media or 'no media type'} "
                        f"when asked for {accept.media_type}"
                    )
                try:
                    return read(response, fmt)
                except SyntaxError as err:
                    raise QueryTimeout(
                        f"the answer from {self.query_url} is cut short (probably the store's query "
                        f"timeout): {err}"
                    ) from err
        except httpx.TimeoutException as err:
            raise QueryTimeout(f"the store at {self.query_url} did not answer in time") from err
        except (httpx.RemoteProtocolError, httpx.ReadError) as err:
            raise QueryTimeout(f"the store at {self.query_url} cut its answer short ({err})") from err
        except httpx.HTTPError as err:
            raise StoreUnreachable(f"cannot reach the store at {self.query_url}: {err}") from err

    def _raise_for_status(self, response: httpx.Response, what: str) -> None:
        if response.status_code < 400:
            return
        detail = " ".join(response.text[:500].split())
        if response.status_code == 400:
            raise QuerySyntaxError(f"the store rejected the {what}: {detail}")
        refusal = self.dialect.refusal(response.status_code, detail, what)
        if refusal is not None:
            raise refusal
        raise StoreUnreachable(f"the store answered HTTP {response.status_code} to the {what}: {detail}")

    def _answer(self, response: httpx.Response, fmt: formats.Format, max_rows: int | None) -> Answer:
        body = io.BufferedReader(_Body(response))
        if fmt.kind == "results":
            answer = solutions_answer(ox.parse_query_results(body, format=fmt.oxigraph), max_rows)
        else:
            answer = triples_answer(ox.parse(body, format=fmt.oxigraph), max_rows)
        if self.dialect.store_capped(response, max_rows):
            answer.capped = True
        return answer

    def _read(self, query: str, **kwargs: Any) -> Answer:
        max_rows = kwargs.get("max_rows")
        form = query_form(query)
        accept = _TRIPLES if form in GRAPH_FORMS else _RESULTS
        answer = self._stream(query, lambda r, f: self._answer(r, f, max_rows), accept=accept, **kwargs)
        if answer.form == "CONSTRUCT":
            answer.form = form  # CONSTRUCT or DESCRIBE, as asked
        return answer

    def select(self, query: str) -> list[Row]:
        """Rows of a SELECT query; unbound variables are left out of a row."""
        answer = self._read(query)
        if answer.form != "SELECT":
            raise StoreError("select() needs a SELECT query")
        return [
            {name: term for name, term in zip(answer.variables, row, strict=True) if term is not None}
            for row in answer.rows
        ]

    def ask(self, query: str) -> bool:
        """The answer of an ASK query."""
        answer = self._read(query)
        if answer.boolean is None:
            raise StoreError("ask() needs an ASK query")
        return answer.boolean

    def construct(self, query: str) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE query (an empty answer is an empty graph)."""
        answer = self._read(query)
        if not answer.is_graph:
            raise StoreError("construct() needs a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for triple in answer.triples:
            graph.add(triple)
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
        """Run any query with the timeout and row cap passed down; serialise it as ``accept`` asks."""
        answer = self._read(
            query,
            timeout=timeout,
            max_rows=max_rows,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
        fmt = formats.negotiate_answer(accept, graph_form=answer.is_graph)
        body = serialize(answer, fmt)
        return RawAnswer(body, fmt.media_type, fmt.content_type, answer.size, answer.capped)

    # ---- writing ------------------------------------------------------------------------------------

    def _update(self, update: str) -> None:
        if not self.update_url:
            raise StoreReadOnly(
                "this remote store has no update endpoint (--update-endpoint / ROLKG_UPDATE_ENDPOINT)"
            )
        try:
            response = self._client.post(self.update_url, data={"update": update})
        except httpx.HTTPError as err:
            raise StoreUnreachable(f"cannot reach the store at {self.update_url}: {err}") from err
        self._raise_for_status(response, "update")

    def replace_graph(self, graph_name: URIRef, graph: Graph) -> None:
        """Replace the named graph: GSP ``PUT`` when ``store_url`` is set, else SPARQL Update in chunks."""
        if self.store_url:
            body = "\n".join(ntriples_lines(graph))
            try:
                response = self._client.put(
                    self.store_url,
                    params={"graph": check_iri(str(graph_name))},
                    content=(body + "\n").encode("utf-8"),
                    headers={"Content-Type": "application/n-triples"},
                )
            except httpx.HTTPError as err:
                raise StoreUnreachable(f"cannot reach the store at {self.store_url}: {err}") from err
            self._raise_for_status(response, "graph store PUT")
            return
        for update in replace_updates(graph_name, graph, self.chunk):
            self._update(update)

    def drop_graph(self, graph_name: URIRef) -> None:
        """Remove a named graph (nothing happens when it does not exist)."""
        self._update(f"DROP SILENT GRAPH {sparql_term(graph_name)}")

    def named_graphs(self, *, project_only: bool = True) -> list[URIRef]:
        """The project's non-empty named graphs, sorted (the store's system graphs are left out unless
        ``project_only=False``)."""
        if not project_only:
            return sorted(
                URIRef(str(r["g"])) for r in self.select(store_query("store-all-graphs")) if "g" in r
            )
        rows = self.select(store_query("store-graphs"))
        return sorted(URIRef(str(r["g"])) for r in rows if is_project_graph(str(r.get("g", ""))))

    def triple_count(self) -> int:
        """The number of quads in the project's named graphs."""
        rows = self.select(store_query("store-quads"))
        return int(rows[0]["n"].toPython()) if rows else 0  # type: ignore[union-attr]

    def export(self, format: str) -> bytes:
        """The project's graphs, fetched graph by graph and serialised locally."""
        fmt = export_format(format)
        quads: list[ox.Quad] = []
        for name in self.named_graphs():
            gname = ox.NamedNode(str(name))
            triples = self._read(store_query("store-graph", graph=name)).triples
            quads.extend(
                ox.Quad(*(to_oxigraph(t) for t in triple), gname)  # type: ignore[arg-type]
                for triple in triples
            )
        return ox.serialize(quads, format=fmt.oxigraph)  # type: ignore[arg-type,return-value]

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
