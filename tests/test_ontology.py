"""The ontology, the theme scheme and the JSON-LD context: complete, labelled, aligned and usable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rolkg.graph.namespaces import ELI, OA, ORG, QB, ROL, THEME
from rolkg.graph.validate import validate_graph
from rolkg.ontology import CONTEXT_JSONLD, INDICATORS_TTL, KINDS_TTL, ONTOLOGY_TTL, THEMES_TTL

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_IRI = URIRef("https://w3id.org/rolkg/ontology")
FOAF_DOCUMENT = URIRef("http://xmlns.com/foaf/0.1/Document")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


@pytest.fixture(scope="module")
def themes() -> Graph:
    return Graph().parse(THEMES_TTL, format="turtle")


@pytest.fixture(scope="module")
def both(ontology: Graph, themes: Graph) -> Graph:
    # the ontology graph as loaded into the store: the ontology and its schemes
    return (
        ontology
        + themes
        + Graph().parse(INDICATORS_TTL, format="turtle")
        + Graph().parse(KINDS_TTL, format="turtle")
    )


def design_terms() -> list[str]:
    """Every ``rol:`` term that DESIGN.md mentions."""
    text = (ROOT / "DESIGN.md").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"\brol:(\w+)", text)))


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionInfo, DCTERMS.license, DCTERMS.description):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop
    titles = {t.language for t in ontology.objects(ONTOLOGY_IRI, DCTERMS.title) if isinstance(t, Literal)}
    assert {"en", "zh"} <= titles


def test_design_mentions_the_terms() -> None:
    # Guards the parsing below: an empty list would make the next test pass vacuously.
    terms = design_terms()
    assert {"Report", "Initiative", "Evidence", "continues", "produces", "themes"} <= set(terms)
    assert len(terms) >= 40


@pytest.mark.parametrize("name", design_terms())
def test_design_term_is_defined_and_labelled(both: Graph, name: str) -> None:
    term = ROL[name]
    types = set(both.objects(term, RDF.type))
    assert types, f"rol:{name} is used in DESIGN.md but not defined"
    labels = {lit.language for lit in both.objects(term, RDFS.label) if isinstance(lit, Literal)}
    assert {"en", "zh"} <= labels, f"rol:{name} needs rdfs:label @en and @zh, has {labels}"
    definitions = [d for d in both.objects(term, SKOS.definition) if isinstance(d, Literal)]
    assert any(d.language == "en" and len(d) > 20 for d in definitions), f"rol:{name} needs an @en definition"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in both


def test_every_defined_term_is_labelled(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(ROL))}
    assert len(terms) >= 40
    for term in terms:
        labels = {lit.language for lit in ontology.objects(term, RDFS.label) if isinstance(lit, Literal)}
        assert {"en", "zh"} <= labels, term
        assert ontology.value(term, SKOS.definition) is not None, term
        assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology, term


def test_every_property_is_declared_object_or_datatype(ontology: Graph) -> None:
    for prop in set(ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI)):
        types = set(ontology.objects(prop, RDF.type))
        if OWL.Class in types:
            continue
        if OWL.AnnotationProperty in types:  # display annotations (rol:iriKind …)
            continue
        assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, prop
        assert not {OWL.ObjectProperty, OWL.DatatypeProperty} <= types, f"{prop} is declared as both"


CLASS_ALIGNMENTS = [
    ("Report", PROV.Entity),
    ("Report", FOAF_DOCUMENT),
    ("Initiative", PROV.Activity),
    ("PlannedInitiative", ROL.Initiative),
    ("Pilot", ROL.Initiative),
    ("Body", ORG.Organization),
    ("Document", PROV.Entity),
    ("Document", ELI.Work),
    ("Facility", PROV.Entity),
    ("Metric", QB.Observation),
    ("Recognition", PROV.Entity),
    ("Theme", SKOS.Concept),
    ("Evidence", OA.TextQuoteSelector),
    ("Evidence", OA.TextPositionSelector),
    ("LineageLink", RDF.Statement),
]

PROPERTY_ALIGNMENTS = [
    ("continues", PROV.wasInfluencedBy),
    ("implements", PROV.wasInfluencedBy),
    ("addresses", PROV.wasInfluencedBy),
    ("scaledFrom", PROV.wasInfluencedBy),
    ("produces", PROV.influenced),
    ("leadBody", PROV.wasAssociatedWith),
    ("partnerBody", PROV.wasAssociatedWith),
    ("recognizedBy", PROV.wasAttributedTo),
    ("partOf", DCTERMS.isPartOf),
    ("theme", DCTERMS.subject),
    ("mentionedIn", DCTERMS.isReferencedBy),
]


@pytest.mark.parametrize(("name", "parent"), CLASS_ALIGNMENTS)
def test_class_alignment(ontology: Graph, name: str, parent: URIRef) -> None:
    assert (ROL[name], RDFS.subClassOf, parent) in ontology


@pytest.mark.parametrize(("name", "parent"), PROPERTY_ALIGNMENTS)
def test_property_alignment(ontology: Graph, name: str, parent: URIRef) -> None:
    assert (ROL[name], RDFS.subPropertyOf, parent) in ontology


def test_shared_properties_have_no_single_domain(ontology: Graph) -> None:
    # Used by several classes: an rdfs:domain would make a reasoner retype every user.
    for name in ("report", "partOf", "order", "year", "count", "evidence", "mentionedIn"):
        assert ontology.value(ROL[name], RDFS.domain) is None, (
            f"rol:{name} should not have a single rdfs:domain"
        )


REQUIRED_THEMES = {
    "行政复议", "行政应诉", "行政执法监督", "合法性审查", "重大行政决策", "规范性文件", "普法", "依法治理",
    "社区矫正", "安置帮教", "人民调解", "商事调解", "法律援助", "公证", "公共法律服务", "营商环境与合规",
    "涉外法律服务", "政务公开", "法治建设统筹与督察", "领导干部学法述法", "法治文化", "数字化改革", "政务服务",
}  # fmt: skip


def theme_iris(themes: Graph) -> set[URIRef]:
    return {t for t in themes.subjects(RDF.type, ROL.Theme) if isinstance(t, URIRef)}


def test_theme_scheme_covers_the_required_themes(themes: Graph) -> None:
    assert (ROL.themes, RDF.type, SKOS.ConceptScheme) in themes
    zh = {
        str(lbl)
        for t in theme_iris(themes)
        for lbl in themes.objects(t, SKOS.prefLabel)
        if lbl.language == "zh"
    }
    assert zh >= REQUIRED_THEMES, REQUIRED_THEMES - zh


def test_each_theme_is_complete(themes: Graph) -> None:
    for theme in theme_iris(themes):
        assert theme.startswith(str(THEME)) and re.fullmatch(r"[a-z0-9-]+", theme[len(THEME) :]), theme
        langs = sorted(lbl.language for lbl in themes.objects(theme, SKOS.prefLabel))
        assert langs == ["en", "zh"], theme
        assert (theme, SKOS.inScheme, ROL.themes) in themes
        assert any(d.language == "en" for d in themes.objects(theme, SKOS.definition)), theme
        keywords = [k for k in themes.objects(theme, SKOS.hiddenLabel) if k.language == "zh"]
        assert len(keywords) >= 2, f"{theme} needs several keywords"


def test_no_keyword_is_shared_by_two_themes(themes: Graph) -> None:
    seen: dict[str, URIRef] = {}
    for theme in theme_iris(themes):
        for keyword in themes.objects(theme, SKOS.hiddenLabel):
            assert str(keyword) not in seen, f"{keyword} is a keyword of {seen.get(str(keyword))} and {theme}"
            seen[str(keyword)] = theme


def test_keywords_find_most_themes_in_the_complete_report(themes: Graph) -> None:
    # The complete report touches nearly every field; keywords that miss it are too narrow.
    text = (ROOT / "data" / "reports" / "cixi-sfj-2024.txt").read_text(encoding="utf-8")
    hit = {t for t in theme_iris(themes) if any(str(k) in text for k in themes.objects(t, SKOS.hiddenLabel))}
    assert len(hit) >= 20, sorted(theme_iris(themes) - hit)


def test_themes_conform_to_the_theme_shape() -> None:
    # validate_graph mixes the themes in, so an empty data graph checks exactly the ontology and themes.
    assert validate_graph(Graph()).conforms


def test_a_bad_theme_is_caught() -> None:
    g = Graph()
    bad = THEME["half-done"]
    g.add((bad, RDF.type, ROL.Theme))
    g.add((bad, SKOS.prefLabel, Literal("半成品", lang="zh")))
    outcome = validate_graph(g)
    messages = [v.message for v in outcome.violations if v.focus == bad]
    assert any("@zh and one @en" in m for m in messages), outcome.text()
    assert any("English skos:definition" in m for m in messages), outcome.text()


def load_context() -> dict[str, object]:
    return json.loads(CONTEXT_JSONLD.read_text(encoding="utf-8"))


def test_context_names_every_term(ontology: Graph) -> None:
    context = load_context()["@context"]
    assert isinstance(context, dict)
    assert context["@version"] == 1.1
    ids = {v if isinstance(v, str) else v.get("@id") for v in context.values() if isinstance(v, str | dict)}
    for term in set(ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI)):
        assert f"rol:{term[len(ROL) :]}" in ids, f"{term} has no short name in context.jsonld"
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        entry = context[prop[len(ROL) :]]
        assert isinstance(entry, dict) and entry.get("@type") == "@id", prop


def test_context_round_trips_the_valid_report() -> None:
    graph = Graph().parse(ROOT / "tests" / "fixtures" / "shapes" / "valid-report.ttl", format="turtle")
    expanded = jsonld.from_rdf(graph.serialize(format="nt"), {"format": "application/n-quads"})
    compacted = jsonld.compact(expanded, load_context())
    nodes = {n["id"]: n for n in compacted["@graph"]}
    body = nodes["rolid:body/cixishisifaju"]
    assert body["type"] == "Body"
    assert body["label"] == {"zh": "慈溪市司法局", "en": "Cixi Municipal Bureau of Justice"}
    assert body["mentionedIn"] == "rolid:report/cixishisifaju-2024"
    link = nodes["rolid:link/cixishisifaju-2024-addresses-a1b2c3"]
    assert link["predicate"] == "addresses"
    back = Graph().parse(data=jsonld.to_rdf(compacted, {"format": "application/n-quads"}), format="nt")
    assert isomorphic(graph, back)


def test_registry_subclasses_are_the_ontology_closure(ontology: Graph) -> None:
    # The list pages pass these as VALUES instead of asking the store for rdfs:subClassOf* (Virtuoso)
    from rolkg.graph.classes import registry

    reg = registry()
    for name in reg.names():
        closure = {str(c) for c in ontology.transitive_subjects(RDFS.subClassOf, ROL[name])}
        expected = {
            c[len(str(ROL)) :] for c in closure if c.startswith(str(ROL)) and c[len(str(ROL)) :] in reg
        }
        assert set(reg.subclasses(name)) == expected, name
    assert reg.subclasses("Initiative") == ["Initiative", "Pilot", "PlannedInitiative"]
