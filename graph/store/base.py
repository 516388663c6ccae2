"""The one small interface every store backend implements, and what the backends share.

Every query sees the *union default graph* (all named graphs together). Only the project's own graphs
(``https://w3id.org/rolkg/graph/…``) count: a store's system graphs (Virtuoso has ~2,500 quads of them)
are left out of graph lists, counts and exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rdflib import Graph, URIRef
from rdflib.term import Node
from rolkg.graph import formats
from rolkg.graph.namespaces import GRAPH
from rolkg.graph.terms import sparql_term

from rolkg.errors import NotAcceptable, StoreError

Row = dict[str, Node]

PROJECT_GRAPHS = str(GRAPH)  # every graph rolkg writes is named under this
BUILD_GRAPH = GRAPH["build"]  # the build marker (see rolkg.graph.store.build_state)
# Triples per INSERT DATA request: Virtuoso 7.2 refuses a request whose generated SQL exceeds 10,000
# lines (SP031), which a few thousand triples reach; Oxigraph takes any size.
INSERT_CHUNK = 500


# What may hide a keyword: IRIs, strings (long ones first), comments (ended by \n or \r, as SPARQL says).
_NOT_KEYWORDS = re.compile(
    r"""<[^<>"{}|^`\\\s]*>"""
    r'''|"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r"""|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*'"""
    r"""|\#[^\n\r]*""",
    re.DOTALL,
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(query: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first form keyword outside IRIs, strings
    and comments (what a remote store must be asked to answer in; the store still parses the query)."""
    match = _FORM.search(_NOT_KEYWORDS.sub(" ", query))
    return match.group(1).upper() if match else "SELECT"


@dataclass(frozen=True, slots=True)
class RawAnswer:
    """A serialised answer of :meth:`Backend.raw_query`: bytes, their media type, size and whether cut."""

    body: bytes
    media_type: str
    content_type: str
    size: int
    capped: bool


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
        accept: str | None,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> RawAnswer:
        """Run any query, stop reading after ``max_rows`` rows/triples, serialise it as ``accept`` asks.

        ``timeout`` is passed to a remote store in the form it understands; the embedded store cannot
        interrupt a query, so the SPARQL workers enforce it by killing their process.
        """
        ...

    def replace_graph(self, graph_name: URIRef, graph: Graph) -> None:
        """Replace the named graph by ``graph`` (one transaction where the store allows it)."""
        ...

    def drop_graph(self, graph_name: URIRef) -> None:
        """Remove a named graph (nothing happens when it does not exist)."""
        ...

    def named_graphs(self, *, project_only: bool = True) -> list[URIRef]:
        """The names of the project's non-empty named graphs, sorted (``project_only=False``: every named
        graph the store holds, its own system graphs included, e.g. for checking a query's dataset)."""
        ...

    def triple_count(self) -> int:
        """The number of quads in the project's named graphs."""
        ...

    def export(self, format: str) -> bytes:
        """The project's graphs serialised as ``trig``, ``nquads`` or ``jsonld``."""
        ...

    def close(self) -> None:
        """Release the store (files, connections)."""
        ...


def is_project_graph(name: object) -> bool:
    """Whether a graph name is one of rolkg's data graphs (counted, listed, exported); the build marker
    is the store's state, not data, and is left out like a store's system graphs."""
    return isinstance(name, str) and name.startswith(PROJECT_GRAPHS) and name != str(BUILD_GRAPH)


def ntriples_lines(graph: Iterable[tuple[Node, Node, Node]]) -> Iterator[str]:
    """Each triple as one line of N-Triples/SPARQL (terms escaped by :func:`sparql_term`)."""
    for s, p, o in graph:
        yield f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ."


def replace_updates(graph_name: URIRef, graph: Graph, chunk: int = INSERT_CHUNK) -> list[str]:
    """SPARQL Update requests that replace ``graph_name`` by ``graph``: a DROP, then INSERT DATA chunks.

    The first request drops and inserts the first chunk, so a graph that fits in one chunk is replaced
    atomically on stores that apply one request atomically (Oxigraph, Fuseki).
    """
    name = sparql_term(graph_name)
    lines = list(ntriples_lines(graph))
    chunks = [lines[i : i + chunk] for i in range(0, len(lines), chunk)] or [[]]
    requests = []
    for i, part in enumerate(chunks):
        insert = f"INSERT DATA {{ GRAPH {name} {{\n" + "\n".join(part) + "\n} }" if part else ""
        if i == 0:
            requests.append(f"DROP SILENT GRAPH {name}" + (f" ;\n{insert}" if insert else ""))
        else:
            requests.append(insert)
    return requests


def replace_update(graph_name: URIRef, graph: Graph) -> str:
    """One SPARQL Update request that drops ``graph_name`` and inserts all of ``graph`` into it."""
    return replace_updates(graph_name, graph, chunk=max(1, len(graph)))[0]


def store_query(name: str, **params: Node) -> str:
    """The text of ``graph/queries/{name}.rq`` with ``$params`` bound (the queries the stores run)."""
    from rolkg.graph.query import QUERIES_DIR, bind

    return bind((QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8"), dict(params))


def export_format(name: str) -> formats.Format:
    """The dataset format an export is asked in by name (``trig``, ``nquads``, ``jsonld``)."""
    try:
        return formats.by_name(name, formats.DATASET_OFFERS)
    except NotAcceptable:
        choices = ", ".join(f.name for f in formats.DATASET_OFFERS)
        raise StoreError(f"unknown export format {name!r}; choose one of {choices}") from None
