"""``rolkg export``: write the whole dataset to a stream without holding the dump in memory.

The embedded store streams its own dump into the file (pyoxigraph writes as it reads). A remote store is
read graph by graph — one ``CONSTRUCT`` each, as N-Triples — and each graph's quads are written before the
next is fetched, so memory holds one graph at a time. N-Quads and TriG concatenate graph by graph; JSON-LD
is one document, so a remote JSON-LD export is assembled in memory.
"""

from __future__ import annotations

from typing import IO, Any

import pyoxigraph as ox
from rdflib import URIRef
from rolkg.graph.store import Backend, EmbeddedStore
from rolkg.graph.store.base import export_format, store_query

from rolkg.errors import QueryTimeout, StoreError


class _Counted:
    """A binary writer that counts the bytes written through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream, self.written = stream, 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return self._stream.write(data)

    def flush(self) -> None:
        self._stream.flush()


def export_to(backend: Backend, format: str, stream: IO[bytes]) -> int:
    """Write the dataset as ``format`` (``trig``, ``nquads``, ``jsonld``) to ``stream``; returns the bytes."""
    rdf_format = export_format(format).oxigraph
    out = _Counted(stream)
    if isinstance(backend, EmbeddedStore) and backend.holds_only_project_graphs():
        store: Any = backend._store  # pyoxigraph's own streaming dump; the Backend interface returns bytes
        try:
            store.dump(output=out, format=rdf_format)
        except BrokenPipeError:
            raise  # the reader went away (``| head``): not a store failure
        except OSError as err:
            raise StoreError(f"the store failed while exporting: {err}") from err
    elif rdf_format == ox.RdfFormat.JSON_LD or isinstance(backend, EmbeddedStore):
        out.write(backend.export(format))
    else:
        for name in backend.named_graphs():
            out.write(_remote_graph(backend, str(name), rdf_format))
    out.flush()
    return out.written


def _remote_graph(backend: Backend, name: str, rdf_format: ox.RdfFormat) -> bytes:
    answer = backend.raw_query(store_query("store-graph", graph=URIRef(name)), "application/n-triples")
    body, media = answer.body, answer.media_type
    if media != "application/n-triples":
        raise StoreError(f"the store answered {media} to a CONSTRUCT asking for N-Triples")
    graph = ox.NamedNode(name)
    try:
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(input=body, format=ox.RdfFormat.N_TRIPLES)
        ]
    except SyntaxError as err:
        raise QueryTimeout(f"the store's answer for graph <{name}> is not complete N-Triples: {err}") from err
    return ox.serialize(quads, format=rdf_format)  # type: ignore[return-value]
