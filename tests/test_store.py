"""The embedded store: round trips, term conversion, atomic replacement, locking, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD
from rolkg.graph.namespaces import CURATION_GRAPH, ONTOLOGY_GRAPH
from rolkg.graph.store import (
    Backend,
    EmbeddedStore,
    QuerySyntaxError,
    StoreError,
    StoreLocked,
    load_ontology,
)

G1 = URIRef("https://w3id.org/rolkg/graph/report/test-1")
G2 = URIRef("https://w3id.org/rolkg/graph/report/test-2")
A = URIRef("https://w3id.org/rolkg/id/initiative/a")
B = URIRef("https://w3id.org/rolkg/id/initiative/b")


def sample(label: str = "全面压实法治责任") -> Graph:
    g = Graph()
    g.add((A, RDFS.label, Literal(label, lang="zh")))
    g.add((A, RDFS.comment, Literal("plain")))
    g.add((A, URIRef("https://w3id.org/rolkg/ontology#order"), Literal(3, datatype=XSD.integer)))
    g.add((A, RDFS.seeAlso, BNode()))
    return g


def test_is_a_backend(embedded: EmbeddedStore) -> None:
    assert isinstance(embedded, Backend)


def test_replace_and_read_back_terms(embedded: EmbeddedStore) -> None:
    embedded.replace_graph(G1, sample())
    rows = embedded.select(f"SELECT ?p ?o WHERE {{ <{A}> ?p ?o }}")
    values = {row["p"]: row["o"] for row in rows}
    assert values[RDFS.label] == Literal("全面压实法治责任", lang="zh")
    # plain literals come back without xsd:string, so they compare equal to Literal("plain")
    assert values[RDFS.comment] == Literal("plain")
    assert values[RDFS.comment].datatype is None
    assert values[URIRef("https://w3id.org/rolkg/ontology#order")] == Literal(3, datatype=XSD.integer)
    assert isinstance(values[RDFS.seeAlso], BNode)
    assert embedded.named_graphs() == [G1]
    assert embedded.triple_count() == 4


def test_union_default_graph(embedded: EmbeddedStore) -> None:
    g2 = Graph()
    g2.add((B, RDFS.label, Literal("乙", lang="zh")))
    embedded.replace_graph(G1, sample())
    embedded.replace_graph(G2, g2)
    labels = {
        r["s"]
        for r in embedded.select("SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    }
    assert labels == {A, B}


def test_replace_replaces_only_that_graph(embedded: EmbeddedStore) -> None:
    embedded.replace_graph(G1, sample("旧"))
    g2 = Graph()
    g2.add((B, RDFS.label, Literal("乙", lang="zh")))
    embedded.replace_graph(G2, g2)
    embedded.replace_graph(G1, sample("新"))
    labels = {
        str(r["l"])
        for r in embedded.select("SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    }
    assert labels == {"新", "乙"}
    embedded.drop_graph(G1)
    assert embedded.named_graphs() == [G2]
    embedded.drop_graph(G1)  # dropping a missing graph is not an error


def test_failed_replace_changes_nothing(embedded: EmbeddedStore) -> None:
    embedded.replace_graph(G1, sample())
    before = embedded.export("nquads")
    bad = sample()
    bad.add((URIRef("http://x/a b"), RDFS.label, Literal("x")))
    with pytest.raises(ValueError):
        embedded.replace_graph(G1, bad)
    assert embedded.export("nquads") == before


def test_ask_construct(embedded: EmbeddedStore) -> None:
    embedded.replace_graph(G1, sample())
    assert embedded.ask(f"ASK {{ <{A}> ?p ?o }}")
    assert not embedded.ask(f"ASK {{ <{B}> ?p ?o }}")
    g = embedded.construct(f"CONSTRUCT {{ <{A}> ?p ?o }} WHERE {{ <{A}> ?p ?o }}")
    assert len(g) == 4
    assert (A, RDFS.comment, Literal("plain")) in g


def test_wrong_query_form_and_syntax(embedded: EmbeddedStore) -> None:
    with pytest.raises(QuerySyntaxError):
        embedded.select("SELEC ?x {")
    with pytest.raises(StoreError, match="SELECT"):
        embedded.select("ASK {}")


def test_raw_query_formats(embedded: EmbeddedStore) -> None:
    embedded.replace_graph(G1, sample())
    answer = embedded.raw_query(f"SELECT ?o WHERE {{ <{A}> <{RDFS.comment}> ?o }}", "text/csv")
    assert answer.media_type == "text/csv" and answer.size == 1 and not answer.capped
    assert answer.body.decode().splitlines() == ["o", "plain"]
    answer = embedded.raw_query("ASK {}", "application/sparql-results+json, */*")
    assert answer.media_type == "application/sparql-results+json"
    assert b'"boolean":true' in answer.body.replace(b" ", b"")
    answer = embedded.raw_query(f"CONSTRUCT WHERE {{ <{A}> ?p ?o }}", "application/n-triples")
    assert answer.media_type == "application/n-triples"
    assert len(Graph().parse(data=answer.body.decode(), format="nt")) == 4
    # an explicit default graph replaces the union: G2 is empty
    answer = embedded.raw_query("SELECT ?s ?p ?o { ?s ?p ?o }", "text/csv", default_graphs=[str(G2)])
    assert answer.body.decode().splitlines() == ["s,p,o"]


def test_raw_query_caps_rows(embedded: EmbeddedStore) -> None:
    embedded.replace_graph(G1, sample())
    capped = embedded.raw_query("SELECT * { ?s ?p ?o }", None, max_rows=3)
    assert capped.size == 3 and capped.capped
    assert len(json.loads(capped.body)["results"]["bindings"]) == 3
    whole = embedded.raw_query("SELECT * { ?s ?p ?o }", None, max_rows=4)
    assert whole.size == 4 and not whole.capped
    triples = embedded.raw_query("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle", max_rows=2)
    assert triples.capped and len(Graph().parse(data=triples.body, format="turtle")) == 2


def test_export_round_trips(embedded: EmbeddedStore) -> None:
    embedded.replace_graph(G1, sample())
    for fmt, rdflib_fmt in (("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")):
        ds = Dataset()
        ds.parse(data=embedded.export(fmt), format=rdflib_fmt)
        assert len(ds.graph(G1)) == 4, fmt
    with pytest.raises(StoreError, match="unknown export format"):
        embedded.export("rdfxml")


def test_persists_and_locks(store_path: Path) -> None:
    store = EmbeddedStore(store_path)
    store.replace_graph(G1, sample())
    with pytest.raises(StoreLocked, match="rolkg serve"):
        EmbeddedStore(store_path)
    store.close()
    reopened = EmbeddedStore.read_only(store_path)
    assert reopened.triple_count() == 4
    with pytest.raises(StoreError, match="read-only"):
        reopened.drop_graph(G1)
    reopened.close()


def test_read_only_needs_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="rolkg build"):
        EmbeddedStore.read_only(tmp_path / "nothing")


def test_load_ontology_is_idempotent(embedded: EmbeddedStore) -> None:
    first = load_ontology(embedded)
    dump = embedded.export("nquads")
    second = load_ontology(embedded)
    assert first == second
    assert embedded.export("nquads") == dump
    assert set(first) == {ONTOLOGY_GRAPH, CURATION_GRAPH}
    if first[ONTOLOGY_GRAPH]:
        assert ONTOLOGY_GRAPH in embedded.named_graphs()


def test_derived_integer_types_come_back_as_xsd_integer(embedded: EmbeddedStore) -> None:
    """A measured pyoxigraph 0.5 fact the shapes must live with: derived integer types are not kept."""
    g = Graph()
    g.add((A, RDFS.comment, Literal("5", datatype=XSD.nonNegativeInteger)))
    embedded.replace_graph(G1, g)
    (row,) = embedded.select(f"SELECT ?o WHERE {{ <{A}> ?p ?o }}")
    assert row["o"].datatype == XSD.integer
