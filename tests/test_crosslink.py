"""Lineage across years: a report's measure continues the same publisher's measure of an earlier year."""

from rdflib.namespace import RDF
from rolkg.data import REPORTS_DIR
from rolkg.graph.ingest import ingest_file
from rolkg.graph.namespaces import ROL
from rolkg.graph.store import EmbeddedStore

QUERY = """PREFIX rol: <https://w3id.org/rolkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?later ?earlier ?laterYear ?earlierYear WHERE {
  ?l rol:continues ?e ; rol:report ?lr ; rdfs:label ?later .
  ?e rol:report ?er ; rdfs:label ?earlier .
  ?lr rol:year ?laterYear . ?er rol:year ?earlierYear .
  FILTER (?lr != ?er)
}"""


def test_later_report_continues_earlier_measure() -> None:
    store = EmbeddedStore.in_memory()
    ingest_file(REPORTS_DIR / "cixi-sfj-2023.txt", None, store)
    ingest_file(REPORTS_DIR / "cixi-sfj-2024.txt", None, store)
    rows = store.select(QUERY)
    assert any(str(r["later"]) == "做好政务信息公开" and int(r["earlierYear"]) == 2023 for r in rows), rows
    assert all(int(r["laterYear"]) > int(r["earlierYear"]) for r in rows)


def test_links_reach_only_the_same_publisher_and_are_reified() -> None:
    store = EmbeddedStore.in_memory()
    ingest_file(REPORTS_DIR / "cixi-gov-2023.txt", None, store)  # another publisher in the same city
    result = ingest_file(REPORTS_DIR / "cixi-sfj-2024.txt", None, store)
    assert store.select(QUERY) == []
    assert result.validated


def test_reingest_is_idempotent() -> None:
    store = EmbeddedStore.in_memory()
    ingest_file(REPORTS_DIR / "cixi-sfj-2023.txt", None, store)
    ingest_file(REPORTS_DIR / "cixi-sfj-2024.txt", None, store)
    before = store.triple_count()
    ingest_file(REPORTS_DIR / "cixi-sfj-2024.txt", None, store)
    assert store.triple_count() == before
    links = store.select(
        "PREFIX rol: <https://w3id.org/rolkg/ontology#> PREFIX rdf: <" + str(RDF) + "> "
        "SELECT ?n WHERE { ?n a rol:LineageLink ; rdf:predicate rol:continues ; rol:evidence ?e }"
    )
    assert links
    assert ROL.continues  # the term the links use
