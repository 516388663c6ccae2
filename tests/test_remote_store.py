"""RemoteStore against a real Oxigraph server (``--union-default-graph``): same answers as embedded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import Backend, EmbeddedStore, QuerySyntaxError, QueryTimeout, RemoteStore, StoreError

pytestmark = pytest.mark.remote

CIXI = REPORTS_DIR / "cixi-sfj-2024.txt"
G = URIRef("https://w3id.org/rolkg/graph/report/remote-1")
A = URIRef("https://w3id.org/rolkg/id/initiative/r")


def small(label: str) -> Graph:
    g = Graph()
    g.add((A, RDFS.label, Literal(label, lang="zh")))
    g.add((A, RDFS.comment, Literal('plain "quoted" \\ }\nline')))
    return g


def test_is_a_backend(remote: RemoteStore) -> None:
    assert isinstance(remote, Backend)


def test_write_read_replace_drop(remote: RemoteStore) -> None:
    remote.replace_graph(G, small("旧"))
    assert remote.named_graphs() == [G]
    assert remote.triple_count() == 2
    rows = remote.select(f"SELECT ?o WHERE {{ <{A}> <{RDFS.comment}> ?o }}")
    assert rows == [{"o": Literal('plain "quoted" \\ }\nline')}]
    remote.replace_graph(G, small("新"))
    assert [str(r["l"]) for r in remote.select(f"SELECT ?l WHERE {{ <{A}> <{RDFS.label}> ?l }}")] == ["新"]
    assert remote.ask(f"ASK {{ <{A}> ?p ?o }}")
    assert len(remote.construct(f"CONSTRUCT WHERE {{ <{A}> ?p ?o }}")) == 2
    remote.drop_graph(G)
    assert remote.named_graphs() == []
    remote.drop_graph(G)


def test_graph_store_protocol_put(oxigraph_server: Any, remote: RemoteStore) -> None:
    with RemoteStore(oxigraph_server.query_url, oxigraph_server.update_url, oxigraph_server.store_url) as gsp:
        gsp.replace_graph(G, small("甲"))
        gsp.replace_graph(G, small("乙"))
        assert [str(r["l"]) for r in gsp.select(f"SELECT ?l WHERE {{ <{A}> <{RDFS.label}> ?l }}")] == ["乙"]


def test_same_answers_as_embedded(remote: RemoteStore, tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "e") as embedded:
        for backend in (embedded, remote):
            ingest_file(CIXI, None, backend, check=False)
        for name in ("reports", "initiatives", "stats-classes", "graph-sizes"):
            ours = QueryLayer(embedded).select(name)
            theirs = QueryLayer(remote).select(name)
            key = lambda row: sorted((k, str(v)) for k, v in row.items())  # noqa: E731
            assert sorted(map(key, ours)) == sorted(map(key, theirs)), name
        assert remote.triple_count() == embedded.triple_count()
        assert sorted(remote.export("nquads").splitlines()) == sorted(embedded.export("nquads").splitlines())


def test_raw_query_passthrough(remote: RemoteStore) -> None:
    remote.replace_graph(G, small("甲"))
    answer = remote.raw_query(f"SELECT ?l WHERE {{ <{A}> <{RDFS.label}> ?l }}", "text/csv")
    assert answer.media_type == "text/csv"
    assert answer.body.decode().splitlines() == ["l", "甲"]
    answer = remote.raw_query(
        "SELECT ?s { ?s ?p ?o }", "text/csv", default_graphs=["http://example.org/none"]
    )
    assert answer.body.decode().splitlines() == ["s"]


def test_errors(remote: RemoteStore) -> None:
    with pytest.raises(QuerySyntaxError):
        remote.select("SELEC nonsense")
    with pytest.raises(StoreError, match="no update endpoint"):
        RemoteStore(remote.query_url).drop_graph(G)
    with RemoteStore("http://127.0.0.1:9/query") as dead, pytest.raises(StoreError, match="cannot reach"):
        dead.select("SELECT * {}")


def test_server_timeout_is_detected(start_oxigraph_server: Callable[..., Any]) -> None:
    """The server's --timeout-s answers 200 with a cut body; that must surface as QueryTimeout."""
    server = start_oxigraph_server("--timeout-s", "1")
    with RemoteStore(server.query_url, server.update_url) as store:
        g = Graph()
        for i in range(300):
            g.add((URIRef(f"http://e/{i}"), RDFS.label, Literal(str(i))))
        store.replace_graph(G, g)
        slow = "SELECT ?a ?b ?c WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
        with pytest.raises(QueryTimeout):
            store.select(slow)
        assert store.ask("ASK { ?s ?p ?o }")  # the server still answers quick queries
