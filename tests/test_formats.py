"""The one format registry, the one negotiation, the one set of answer writers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rolkg.api.app import create_app
from rolkg.graph import formats
from rolkg.graph.store import EmbeddedStore
from typer.testing import CliRunner

from rolkg.cli import app as cli
from rolkg.errors import NotAcceptable, NotWritable

G = URIRef("https://w3id.org/rolkg/graph/report/formats-1")
A = URIRef("https://w3id.org/rolkg/id/initiative/f")


def test_registry_is_consistent() -> None:
    names = [f.name for f in formats.ALL]
    assert len(names) == len(set(names))
    assert len({f.media_type for f in formats.ALL}) == len(formats.ALL)
    for fmt in formats.ALL:
        assert formats.by_media_type(fmt.media_type + "; charset=utf-8") is fmt
        assert formats.by_extension(f"x.{fmt.extension}") is fmt
        assert fmt.iri.startswith("http://www.w3.org/ns/formats/")
    assert formats.by_media_type("text/plain", formats.GRAPH_OFFERS) is formats.NTRIPLES
    assert formats.by_media_type("application/xml", formats.RESULT_OFFERS) is formats.RESULTS_XML
    assert formats.by_media_type("application/xml", formats.GRAPH_OFFERS) is formats.RDFXML
    assert formats.by_media_type("image/png") is None


@pytest.mark.parametrize("fmt", formats.GRAPH_OFFERS + formats.DATASET_OFFERS, ids=lambda f: f.name)
def test_each_rdf_format_round_trips_through_rdflib_and_oxigraph(fmt: formats.Format) -> None:
    import pyoxigraph as ox

    g = Graph()
    g.add((A, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("甲", lang="zh")))
    if fmt.kind == "dataset":
        ds = Dataset()
        ds.graph(G).add(next(iter(g)))
        data = ds.serialize(format=fmt.rdflib, encoding="utf-8")
        quads = list(ox.parse(data, format=fmt.oxigraph))
    else:
        data = g.serialize(format=fmt.rdflib, encoding="utf-8")
        quads = list(ox.parse(data, format=fmt.oxigraph))
    assert len(quads) == 1 and quads[0].object.value == "甲"


def test_negotiation() -> None:
    assert formats.negotiate(None, formats.RESULT_OFFERS) is formats.RESULTS_JSON
    assert formats.negotiate("application/json", formats.RESULT_OFFERS) is formats.RESULTS_JSON
    assert formats.negotiate("text/csv;q=0.5, text/tab-separated-values", formats.RESULT_OFFERS).name == "tsv"
    assert formats.negotiate("text/*", formats.GRAPH_OFFERS) is formats.TURTLE
    assert formats.negotiate("text/plain", formats.GRAPH_OFFERS) is formats.NTRIPLES
    with pytest.raises(NotAcceptable):
        formats.negotiate("image/png", formats.RESULT_OFFERS)
    with pytest.raises(NotAcceptable):
        formats.negotiate("text/turtle;q=0", formats.GRAPH_OFFERS[:1])
    # CONSTRUCT asked for a results format only falls back to RDF; SELECT never gets RDF
    assert formats.negotiate_answer("application/sparql-results+json", graph_form=True) is formats.TURTLE
    assert formats.negotiate_answer("application/ld+json", graph_form=True) is formats.JSONLD
    with pytest.raises(NotAcceptable):
        formats.negotiate_answer("text/turtle", graph_form=False)
    with pytest.raises(NotAcceptable):
        formats.negotiate_answer("image/png", graph_form=True)


@pytest.fixture
def odd(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A store with what XML cannot easily carry: a predicate without a QName, a U+0007 in a literal."""
    store = EmbeddedStore(tmp_path / "store")
    g = Graph()
    g.add((A, URIRef("http://ex.org/123"), Literal("bell\x07here")))
    g.add((A, URIRef("http://ex.org/p"), Literal("plain")))
    store.replace_graph(G, g)
    yield store
    store.close()


def test_rdfxml_without_a_qname_is_not_writable(odd: EmbeddedStore) -> None:
    with pytest.raises(NotWritable, match="text/turtle"):
        odd.raw_query("CONSTRUCT WHERE { ?s ?p ?o }", "application/rdf+xml")
    assert NotWritable("x").http_status == 406
    ok = odd.raw_query("CONSTRUCT WHERE { ?s <http://ex.org/p> ?o }", "application/rdf+xml")
    assert len(Graph().parse(data=ok.body, format="xml")) == 1


def test_xml_answers_are_well_formed_with_control_characters(odd: EmbeddedStore) -> None:
    answer = odd.raw_query("SELECT ?o WHERE { ?s <http://ex.org/123> ?o }", "application/sparql-results+xml")
    root = ET.fromstring(answer.body)  # raises on a document that is not well-formed
    ns = "{http://www.w3.org/2005/sparql-results#}"
    literal = root.find(f"{ns}results/{ns}result/{ns}binding/{ns}literal")
    assert literal is not None and literal.text == "bell\ufffdhere"
    as_json = json.loads(odd.raw_query("SELECT ?o WHERE { ?s <http://ex.org/123> ?o }", None).body)
    assert as_json["results"]["bindings"][0]["o"]["value"] == "bell\x07here"  # JSON carries it as is


def test_cli_and_endpoint_write_the_same_sparql_json(odd: EmbeddedStore, tmp_path: Path) -> None:
    query = "SELECT ?s ?o WHERE { ?s <http://ex.org/p> ?o }"
    endpoint = json.loads(odd.raw_query(query, "application/sparql-results+json").body)
    odd.close()
    result = CliRunner().invoke(
        cli, ["--store", str(tmp_path / "store"), "query", query, "-f", "json"], obj={}
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == endpoint
    assert endpoint["results"]["bindings"][0]["o"] == {"type": "literal", "value": "plain"}  # no xsd:string


def test_rdflib_sparqlstore_json_reads_construct(api_stores: object, serve_app: object) -> None:
    settings = api_stores["embedded-fixture"]  # type: ignore[index]
    with serve_app(create_app(settings, workers=1)) as base:  # type: ignore[operator]
        store = SPARQLStore(f"{base}/sparql", returnFormat="json")
        graph = store.query("CONSTRUCT WHERE { ?s a ?o } LIMIT 5").graph
        assert graph is not None and len(graph) == 5
        rows = list(store.query("SELECT ?s WHERE { ?s a ?o } LIMIT 3"))
        assert len(rows) == 3
        store.close()
