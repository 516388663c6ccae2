"""The query layer: name lookup, parameter binding and escaping against a real store; every .rq parses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD
from rdflib.plugins.sparql.parser import parseQuery
from rolkg.graph.query import QUERIES_DIR, QueryLayer, bind, parameters
from rolkg.graph.store import EmbeddedStore

from rolkg.errors import QueryNotFound, QueryParameterError, TermError

ROOT = Path(__file__).resolve().parents[1]
G = URIRef("https://w3id.org/rolkg/graph/report/q")
A = URIRef("https://w3id.org/rolkg/id/initiative/a")
B = URIRef("https://w3id.org/rolkg/id/initiative/b")

TRICKY = [
    'he said "hi"',
    "back\\slash \\n not a newline",
    "two\nlines\r\n",
    "brace } and { and ; DROP ALL",
    '" } ; DROP ALL ; INSERT DATA { <x:a> <x:b> "c',
    '\\u0022 \\" $label ?label',
    "tab\tand triple \"\"\" quotes '''",
]


def all_query_files() -> list[Path]:
    return sorted(p for d in ("graph", "api", "viz") for p in (ROOT / d / "queries").rglob("*.rq"))


@pytest.mark.parametrize("path", all_query_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_query_file_parses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("#"), "each .rq starts with a comment saying what it asks"
    # A list parameter (VALUES ?x { $xs }) is a syntax error until bound: bind one IRI to parse it.
    parseQuery(re.sub(r"(VALUES\s+\?\w+\s*\{\s*)\$\w+(\s*\})", r"\1<urn:x:any>\2", text))


@pytest.mark.parametrize("label", TRICKY)
def test_literal_escaping_round_trips(embedded: EmbeddedStore, label: str) -> None:
    g = Graph()
    g.add((A, RDFS.label, Literal(label, lang="zh")))
    g.add((B, RDFS.label, Literal("other", lang="zh")))
    embedded.replace_graph(G, g)
    layer = QueryLayer(embedded)
    assert layer.select("label", label=Literal(label, lang="zh")) == [{"s": A}]
    assert layer.select("label", label=Literal(label)) == []  # language matters
    assert embedded.triple_count() == 2  # the injection attempt wrote nothing
    assert layer.ask("exists", iri=A)


def test_typed_literal_and_iri(embedded: EmbeddedStore) -> None:
    g = Graph()
    g.add((A, RDFS.label, Literal("x", lang="zh")))
    g.add((A, RDFS.comment, Literal("5", datatype=XSD.integer)))
    embedded.replace_graph(G, g)
    rendered = bind("SELECT * { $s ?p $o }", {"s": A, "o": Literal(5)})
    assert rendered == f'SELECT * {{ <{A}> ?p "5"^^<{XSD.integer}> }}'
    assert embedded.select(rendered) == [{"p": RDFS.comment}]


@pytest.mark.parametrize(
    "iri", ["http://x/a> } ; DROP ALL ; <y", "http://x/a b", 'http://x/"', "http://x/{}"]
)
def test_bad_iri_refused(iri: str) -> None:
    with pytest.raises(TermError, match="IRI"):
        bind("ASK { $iri ?p ?o }", {"iri": URIRef(iri)})


def test_unbound_parameters_stay_variables(embedded: EmbeddedStore) -> None:
    g = Graph()
    g.add((A, RDFS.label, Literal("甲", lang="zh")))
    g.add((B, RDFS.label, Literal("乙", lang="zh")))
    embedded.replace_graph(G, g)
    layer = QueryLayer(embedded)
    assert {r["s"] for r in layer.select("label")} == {A, B}
    assert {r["s"] for r in layer.select("label", label=None)} == {A, B}


def test_dollar_inside_strings_iris_and_comments_is_left_alone() -> None:
    text = 'SELECT * { ?s ?p "$x" . ?s ?q <http://e/$x> } # $x\nFILTER($x)'
    assert bind(text, {"x": Literal(1)}) == text.replace("FILTER($x)", f'FILTER("1"^^<{XSD.integer}>)')
    assert parameters(text) == ["x"]
    assert bind("SELECT ?x { ?x ?p $x }", {"x": A}) == f"SELECT ?x {{ ?x ?p <{A}> }}"


def test_errors_are_clear(embedded: EmbeddedStore, tmp_path: Path) -> None:
    layer = QueryLayer(embedded)
    with pytest.raises(QueryNotFound, match="no query named 'nope'"):
        layer.select("nope")
    with pytest.raises(QueryNotFound, match="not a query name"):
        layer.select("../etc/passwd")
    with pytest.raises(QueryParameterError, match="has no parameter"):
        layer.select("label", lable=Literal("x"))
    with pytest.raises(QueryParameterError, match="rdflib term"):
        layer.select("label", label="a plain str")  # type: ignore[arg-type]


def test_extra_dirs_and_names(embedded: EmbeddedStore, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "mine.rq").write_text("# mine\nASK { }", encoding="utf-8")
    (tmp_path / "exists.rq").write_text("# shadowed\nASK { FILTER(false) }", encoding="utf-8")
    layer = QueryLayer(embedded, extra_dirs=[tmp_path])
    assert layer.ask("sub/mine")
    assert "sub/mine" in layer.names() and "exists" in layer.names()
    assert layer.path("exists").parent == QUERIES_DIR  # graph/queries comes first


def test_a_list_parameter_binds_as_values(embedded: EmbeddedStore) -> None:
    g = Graph()
    g.add((A, RDFS.label, Literal("a")))
    g.add((B, RDFS.label, Literal("b")))
    embedded.replace_graph(G, g)
    text = "# test\nSELECT ?s WHERE { VALUES ?s { $nodes } ?s ?p ?o } ORDER BY ?s"
    assert bind(text, {"nodes": [A, B]}).count("<") == 2
    assert [r["s"] for r in embedded.select(bind(text, {"nodes": [B]}))] == [B]
    assert embedded.select(bind(text, {"nodes": []})) == []  # an empty list: no solutions, not an error
    with pytest.raises(QueryParameterError):
        bind(text, {"nodes": ["not a term"]})  # type: ignore[list-item]


def test_select_page_cuts_at_the_page_line(embedded: EmbeddedStore, tmp_path: Path) -> None:
    g = Graph()
    for n in range(5):
        g.add((URIRef(f"urn:x:{n}"), RDFS.label, Literal(str(n))))
    embedded.replace_graph(G, g)
    (tmp_path / "paged.rq").write_text(
        "# test\nSELECT ?s WHERE {\n  { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n    LIMIT 50 OFFSET 0\n  }\n}\n"
    )
    layer = QueryLayer(embedded, extra_dirs=[tmp_path])
    assert [str(r["s"]) for r in layer.select_page("paged", limit=2, offset=3)] == ["urn:x:3", "urn:x:4"]


def test_reports_gives_one_row_per_report_described_in_two_graphs(embedded: EmbeddedStore) -> None:
    from rdflib.namespace import DCTERMS, RDF, SKOS
    from rolkg.graph.namespaces import ROL

    report = URIRef("https://w3id.org/rolkg/id/report/x-2024")
    place = URIRef("https://w3id.org/rolkg/id/place/330282")
    for graph, title, path in (
        ("x-2024", "甲报告", "浙江省宁波市慈溪市"),
        ("y-2025", "甲的报告", "浙江省慈溪市"),
    ):
        g = Graph()
        g.add((report, RDF.type, ROL.Report))
        g.add((report, ROL.year, Literal(2024)))
        g.add((report, DCTERMS.title, Literal(title, lang="zh")))
        g.add((report, ROL.jurisdiction, place))
        g.add((place, SKOS.altLabel, Literal(path, lang="zh")))
        g.add((report, DCTERMS.publisher, URIRef("https://w3id.org/rolkg/id/body/x")))
        embedded.replace_graph(URIRef(f"https://w3id.org/rolkg/graph/report/{graph}"), g)
    other = URIRef("https://w3id.org/rolkg/id/report/z-2023")  # described once, without a title
    embedded.replace_graph(
        URIRef("https://w3id.org/rolkg/graph/report/z-2023"),
        Graph().add((other, RDF.type, ROL.Report)).add((other, ROL.year, Literal(2023))),
    )
    rows = QueryLayer(embedded).select("reports")
    assert [r["report"] for r in rows] == [report, other]  # newest first, each once
    assert (
        str(rows[0]["title"]) == "甲报告" and str(rows[0]["jurisdiction"]) == "浙江省宁波市慈溪市"
    )  # the least
    assert rows[0]["publisher"] == URIRef("https://w3id.org/rolkg/id/body/x") and "title" not in rows[1]


def test_select_chunked_sends_a_long_list_in_chunks_and_every_as_undef(
    embedded: EmbeddedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rolkg.graph.query as query

    g = Graph()
    nodes = [URIRef(f"urn:x:{n:02}") for n in range(7)]
    for n in nodes:
        g.add((n, RDFS.label, Literal(str(n)[-2:])))
    embedded.replace_graph(G, g)
    (tmp_path / "labels.rq").write_text(
        "# test\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?s ?l WHERE { VALUES ?s { $nodes } ?s rdfs:label ?l FILTER (?l != $skip) } ORDER BY ?s\n"
    )
    layer = QueryLayer(embedded, extra_dirs=[tmp_path])
    sent: list[str] = []
    monkeypatch.setattr(query, "VALUES_CHUNK", 3)
    monkeypatch.setattr(embedded, "select", lambda text, _s=embedded.select: sent.append(text) or _s(text))
    rows = layer.select_chunked("labels", "nodes", [*nodes, nodes[0]], skip=Literal("03"))
    assert [r["s"] for r in rows] == [n for n in nodes if not str(n).endswith("03")]  # in order, once each
    assert len(sent) == 3  # 7 distinct terms, 3 a query
    assert layer.select_chunked("labels", "nodes", [], skip=Literal("")) == [] and len(sent) == 3
    every = layer.select_chunked("labels", "nodes", query.EVERY, limit=2, skip=Literal(""))
    assert [r["s"] for r in every] == nodes[:2] and "VALUES ?s { UNDEF }" in sent[-1]
