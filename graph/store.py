"""Where the graph lives: one :class:`Backend` interface, an embedded pyoxigraph store and any remote
SPARQL 1.1 Protocol store.

Every query runs against the *union default graph* (all named graphs together). The embedded store asks
pyoxigraph for it per query; a remote store must be configured so (Oxigraph server
``--union-default-graph``, Fuseki ``unionDefaultGraph``; Virtuoso and GraphDB do it by default).

Serving and ingesting: pyoxigraph documents that opening a store read-only while another process writes
to it is undefined behaviour. ``rolkg serve`` therefore builds first and then opens read-only; to ingest
while serving, stop the server, or use a remote store that takes writes while it answers queries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import httpx
import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node
from rolkg.graph.namespaces import CURATION_GRAPH, ONTOLOGY_GRAPH
from rolkg.graph.terms import check_iri, from_sparql_json, sparql_term, to_oxigraph, to_rdflib

Row = dict[str, Node]

EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}

_RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


class StoreError(RuntimeError):
    """The store cannot do what was asked; the message says why and, when it can, what to do."""


class QuerySyntaxError(StoreError):
    """The store rejected the query or update text."""


class QueryTimeout(StoreError):
    """The query ran out of time (or the store cut its answer short, which is how Oxigraph times out)."""


class StoreLocked(StoreError):
    """Another process holds the embedded store."""


@runtime_checkable
class Backend(Protocol):
    """What the rest of rolkg needs from a quad store. Queries see the union of all named graphs."""

    def select(self, query: str) -> list[Row]:
        """Rows of a SELECT query; unbound variables are left out of a row."""
        ...

    def ask(self, query: str) -> bool:
        """The answer of an ASK query."""
        ...

    def construct(self, query: str) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        ...

    def raw_query(
        self,
        query: str,
        accept: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> tuple[bytes, str]:
        """Run any query and return the serialised answer and its media type (for ``/sparql``)."""
        ...

    def replace_graph(self, graph_name: URIRef, graph: Graph) -> None:
        """Replace the named graph by ``graph`` in one transaction."""
        ...

    def drop_graph(self, graph_name: URIRef) -> None:
        """Remove a named graph (nothing happens when it does not exist)."""
        ...

    def named_graphs(self) -> list[URIRef]:
        """The names of all non-empty named graphs, sorted."""
        ...

    def triple_count(self) -> int:
        """The number of quads in all named graphs."""
        ...

    def export(self, format: str) -> bytes:
        """The whole dataset serialised as ``trig``, ``nquads`` or ``jsonld``."""
        ...

    def close(self) -> None:
        """Release the store (files, connections)."""
        ...


def replace_update(graph_name: URIRef, graph: Graph) -> str:
    """One SPARQL Update request that drops ``graph_name`` and inserts ``graph`` into it."""
    name = sparql_term(graph_name)
    lines = [f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ." for s, p, o in graph]
    body = "\n".join(lines)
    return f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}"


def _pick(accept: str, table: dict[str, object], default: str) -> str:
    """The first media type of ``accept`` found in ``table`` (q-values ignored), else ``default``."""
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in table:
            return media
    return default


class EmbeddedStore:
    """A pyoxigraph store on disk (or in memory when ``path`` is None and ``memory=True``)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, memory: bool = False):
        if memory:
            self.path: Path | None = None
            self._store = ox.Store()
        else:
            if path is None:
                from rolkg.config import default_store_path

                path = default_store_path()
            self.path = Path(path)
            self._store = self._open(self.path, read_only)
        self.is_read_only = read_only

    @staticmethod
    def _open(path: Path, read_only: bool) -> ox.Store:
        try:
            if read_only:
                if not path.exists():
                    raise StoreError(
                        f"no store at {path}: run `rolkg build` (or `rolkg --store {path} build`)"
                    )
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
        """Open an existing store for reading only (for serving; see the module notes on writers)."""
        return cls(path, read_only=True)

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """A throw-away store in memory (for extracting and validating without touching disk)."""
        return cls(memory=True)

    def _query(self, query: str, **kwargs: object) -> object:
        try:
            return self._store.query(query, use_default_graph_as_union=True, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as err:
            raise QuerySyntaxError(f"the query is not valid SPARQL: {err}") from err
        except OSError as err:
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
        accept: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> tuple[bytes, str]:
        """Run any query and return the serialised answer and its media type.

        ``timeout`` is not enforced here: pyoxigraph cannot interrupt a running query from Python, so
        callers that need a hard limit run this in a worker process they can kill.
        """
        kwargs: dict[str, object] = {}
        if default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(check_iri(u)) for u in default_graph_uris]
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(check_iri(u)) for u in named_graph_uris]
        try:
            if default_graph_uris:  # an explicit dataset replaces the union default graph
                result = self._store.query(query, **kwargs)  # type: ignore[arg-type]
            else:
                result = self._store.query(query, use_default_graph_as_union=True, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as err:
            raise QuerySyntaxError(f"the query is not valid SPARQL: {err}") from err
        except OSError as err:
            raise StoreError(f"the store failed to answer: {err}") from err
        if isinstance(result, ox.QueryTriples):
            media = _pick(accept, _GRAPH_FORMATS, "text/turtle")
            return result.serialize(format=_GRAPH_FORMATS[media]), media
        media = _pick(accept, _RESULT_FORMATS, "application/sparql-results+json")
        body = result.serialize(format=_RESULT_FORMATS[media])  # type: ignore[union-attr]
        if media == "application/json":
            media = "application/sparql-results+json"
        return body, media

    def _update(self, update: str) -> None:
        if self.is_read_only:
            raise StoreError(f"the store at {self.path} is open read-only (is it being served?)")
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

    def named_graphs(self) -> list[URIRef]:
        """The names of all named graphs, sorted."""
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def triple_count(self) -> int:
        """The number of quads in the store."""
        return len(self._store)

    def export(self, format: str) -> bytes:
        """The whole dataset serialised as ``trig``, ``nquads`` or ``jsonld``."""
        if format not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        return self._store.dump(format=EXPORT_FORMATS[format])  # type: ignore[return-value]

    def close(self) -> None:
        """Flush and release the store; the object is unusable afterwards."""
        if self._store is not None and not self.is_read_only and self.path is not None:
            self._store.flush()
        self._store = None  # type: ignore[assignment]

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RemoteStore:
    """Any SPARQL 1.1 Protocol store over one reused HTTP connection pool.

    Writes go by SPARQL Update (``DROP SILENT GRAPH`` + ``INSERT DATA`` in one request: atomic on stores
    that apply an update request atomically, as Oxigraph and Fuseki do) or, when ``store_url`` is given,
    by a Graph Store Protocol ``PUT``.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        *,
        timeout: float = 60.0,
        client: httpx.Client | None = None,
    ):
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self._client = client or httpx.Client(timeout=timeout)

    def _post_query(
        self,
        query: str,
        accept: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> httpx.Response:
        data: dict[str, object] = {"query": query}
        if default_graph_uris:
            data["default-graph-uri"] = [check_iri(u) for u in default_graph_uris]
        if named_graph_uris:
            data["named-graph-uri"] = [check_iri(u) for u in named_graph_uris]
        extra = {} if timeout is None else {"timeout": timeout}
        try:
            response = self._client.post(self.query_url, data=data, headers={"Accept": accept}, **extra)  # type: ignore[arg-type]
        except httpx.TimeoutException as err:
            raise QueryTimeout(f"the store at {self.query_url} did not answer in time") from err
        except httpx.RemoteProtocolError as err:
            raise QueryTimeout(f"the store at {self.query_url} cut its answer short ({err})") from err
        except httpx.HTTPError as err:
            raise StoreError(f"cannot reach the store at {self.query_url}: {err}") from err
        self._raise_for_status(response, "query")
        return response

    def _raise_for_status(self, response: httpx.Response, what: str) -> None:
        if response.status_code < 400:
            return
        detail = response.text[:500].strip()
        if response.status_code == 400:
            raise QuerySyntaxError(f"the store rejected the {what}: {detail}")
        raise StoreError(f"the store answered HTTP {response.status_code} to the {what}: {detail}")

    def _json(self, query: str) -> dict[str, object]:
        response = self._post_query(query, "application/sparql-results+json")
        try:
            return json.loads(response.content)
        except ValueError as err:
            # The Oxigraph server's --timeout-s answers 200 and stops writing mid-body.
            raise QueryTimeout(
                f"the store's answer from {self.query_url} is cut short (probably its query timeout)"
            ) from err

    def select(self, query: str) -> list[Row]:
        """Rows of a SELECT query; unbound variables are left out of a row."""
        doc = self._json(query)
        results = doc.get("results")
        if not isinstance(results, dict):
            raise StoreError("select() needs a SELECT query")
        return [
            {name: from_sparql_json(value) for name, value in binding.items()}
            for binding in results.get("bindings", [])
        ]

    def ask(self, query: str) -> bool:
        """The answer of an ASK query."""
        doc = self._json(query)
        if "boolean" not in doc:
            raise StoreError("ask() needs an ASK query")
        return bool(doc["boolean"])

    def construct(self, query: str) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE query (fetched as N-Triples)."""
        response = self._post_query(query, "application/n-triples")
        text = response.text
        if text.strip() and not text.rstrip().endswith("."):
            raise QueryTimeout(f"the store's answer from {self.query_url} is cut short")
        graph = Graph()
        try:
            graph.parse(data=text, format="nt")
        except Exception as err:
            raise QueryTimeout(f"the store's answer from {self.query_url} is not complete N-Triples") from err
        return graph

    def raw_query(
        self,
        query: str,
        accept: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> tuple[bytes, str]:
        """Pass a query through; detects the truncated bodies a store's own timeout produces."""
        response = self._post_query(query, accept, default_graph_uris, named_graph_uris, timeout)
        media = response.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
        body = response.content
        if _looks_truncated(body, media):
            raise QueryTimeout(f"the store's answer from {self.query_url} is cut short (query timeout?)")
        return body, media

    def _update(self, update: str) -> None:
        if not self.update_url:
            raise StoreError(
                "this remote store has no update endpoint (--update-endpoint / ROLKG_UPDATE_ENDPOINT)"
            )
        try:
            response = self._client.post(self.update_url, data={"update": update})
        except httpx.HTTPError as err:
            raise StoreError(f"cannot reach the store at {self.update_url}: {err}") from err
        self._raise_for_status(response, "update")

    def replace_graph(self, graph_name: URIRef, graph: Graph) -> None:
        """Replace the named graph: GSP ``PUT`` when ``store_url`` is set, else one SPARQL Update."""
        if self.store_url:
            body = "\n".join(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ." for s, p, o in graph)
            try:
                response = self._client.put(
                    self.store_url,
                    params={"graph": check_iri(str(graph_name))},
                    content=(body + "\n").encode("utf-8"),
                    headers={"Content-Type": "application/n-triples"},
                )
            except httpx.HTTPError as err:
                raise StoreError(f"cannot reach the store at {self.store_url}: {err}") from err
            self._raise_for_status(response, "graph store PUT")
            return
        self._update(replace_update(graph_name, graph))

    def drop_graph(self, graph_name: URIRef) -> None:
        """Remove a named graph (nothing happens when it does not exist)."""
        self._update(f"DROP SILENT GRAPH {sparql_term(graph_name)}")

    def named_graphs(self) -> list[URIRef]:
        """The names of all non-empty named graphs, sorted."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(URIRef(str(r["g"])) for r in rows if isinstance(r.get("g"), URIRef))

    def triple_count(self) -> int:
        """The number of quads in all named graphs."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"].toPython()) if rows else 0  # type: ignore[union-attr]

    def export(self, format: str) -> bytes:
        """The whole dataset, fetched graph by graph and serialised locally."""
        if format not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        local = ox.Store()
        for name in self.named_graphs():
            triples = self.construct(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {sparql_term(name)} {{ ?s ?p ?o }} }}"
            )
            gname = ox.NamedNode(str(name))
            local.extend(
                ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), gname)  # type: ignore[arg-type]
                for s, p, o in triples
            )
        return local.dump(format=EXPORT_FORMATS[format])  # type: ignore[return-value]

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _looks_truncated(body: bytes, media: str) -> bool:
    """Whether a 200 answer ends where no complete document of its media type can end."""
    if "json" in media:
        try:
            json.loads(body)
        except ValueError:
            return True
        return False
    text = body.rstrip()
    if "xml" in media and "rdf" not in media:
        return not text.endswith(b"</sparql>")
    if media in ("application/n-triples", "application/n-quads", "text/turtle", "application/trig"):
        return bool(text) and not text.endswith(b".") and not text.endswith(b"}")
    return False


def open_backend(settings: object, *, read_only: bool = False) -> Backend:
    """The backend ``settings`` (a ``rolkg.config.Settings``) describes: remote when an endpoint is set."""
    endpoint = getattr(settings, "endpoint", None)
    if endpoint:
        return RemoteStore(
            endpoint,
            getattr(settings, "update_endpoint", None),
            getattr(settings, "store_endpoint", None),
            timeout=float(getattr(settings, "query_timeout", 60.0)) + 5.0,
        )
    path = getattr(settings, "store_path", None)
    return EmbeddedStore.read_only(path) if read_only else EmbeddedStore(path)  # type: ignore[arg-type]


def _package_dir(module: str) -> Path:
    import importlib

    return Path(importlib.import_module(module).__file__).parent  # type: ignore[arg-type]


def ontology_files() -> list[Path]:
    """The ontology files that exist (``rolkg.ttl``, ``themes.ttl``, ``indicators.ttl``, ``kinds.ttl``), in
    load order."""
    folder = _package_dir("rolkg.ontology")
    names = ("rolkg.ttl", "themes.ttl", "indicators.ttl", "kinds.ttl")
    return [p for p in (folder / name for name in names) if p.is_file()]


def curation_files() -> list[Path]:
    """The hand-curation Turtle files, sorted by name."""
    from rolkg.data import CURATION_DIR

    return sorted(CURATION_DIR.glob("*.ttl"))


def _parse_all(files: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as err:
            raise StoreError(f"{path} is not valid Turtle: {err}") from err
    return graph


def load_ontology(backend: Backend) -> dict[URIRef, int]:
    """Write the ontology + themes and the curation files into their named graphs; missing files are skipped.

    Returns the number of triples written per graph. Each graph is replaced in one transaction, so
    running it twice leaves the same store.
    """
    written: dict[URIRef, int] = {}
    for name, files in ((ONTOLOGY_GRAPH, ontology_files()), (CURATION_GRAPH, curation_files())):
        graph = _parse_all(files)  # parse everything first: a bad file changes nothing
        if len(graph):
            backend.replace_graph(name, graph)
        else:
            backend.drop_graph(name)
        written[name] = len(graph)
    return written
