"""Where the graph lives: one small :class:`Backend` interface (``base``), one module per backend
(``embedded``: pyoxigraph; ``remote``: any SPARQL 1.1 Protocol store, with Virtuoso's quirks in
``dialects``), and one factory, :func:`open_store`.

Every query runs against the *union default graph* (all named graphs together). The embedded store asks
pyoxigraph for it per query; a remote store must be configured so (Oxigraph server
``--union-default-graph``, Fuseki ``unionDefaultGraph``; Virtuoso does it by default).

``RemoteStore`` is imported on first use: it needs httpx, which imports its command line's rich and
pygments (18 MB in every SPARQL worker of an embedded store, which never speaks HTTP).
"""

from typing import TYPE_CHECKING, Any

from rolkg.graph.store.base import (
    BUILD_GRAPH,
    PROJECT_GRAPHS,
    Backend,
    RawAnswer,
    Row,
    is_project_graph,
    replace_update,
    replace_updates,
)
from rolkg.graph.store.build_state import BuildState, build_finished, build_started, build_state
from rolkg.graph.store.embedded import EmbeddedStore
from rolkg.graph.store.factory import open_store
from rolkg.graph.store.fixed_graphs import curation_files, load_ontology, ontology_files

from rolkg.errors import (
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreIncomplete,
    StoreLocked,
    StoreMissing,
    StoreReadOnly,
    StoreUnreachable,
)

if TYPE_CHECKING:
    from rolkg.graph.store.remote import RemoteStore


def __getattr__(name: str) -> Any:
    if name == "RemoteStore":
        from rolkg.graph.store.remote import RemoteStore

        return RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BUILD_GRAPH",
    "PROJECT_GRAPHS",
    "Backend",
    "BuildState",
    "EmbeddedStore",
    "QuerySyntaxError",
    "QueryTimeout",
    "RawAnswer",
    "RemoteStore",
    "Row",
    "StoreError",
    "StoreIncomplete",
    "StoreLocked",
    "StoreMissing",
    "StoreReadOnly",
    "StoreUnreachable",
    "build_finished",
    "build_started",
    "build_state",
    "curation_files",
    "is_project_graph",
    "load_ontology",
    "ontology_files",
    "open_store",
    "replace_update",
    "replace_updates",
]
