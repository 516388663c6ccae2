"""The SHACL shapes: they parse, the valid fixture conforms, and each broken fixture fails as described.

Broken fixtures are TriG patches over ``valid-report.ttl``: the triples of graph ``fx:remove`` are taken
out, those of ``fx:add`` put in, and the default graph names the expected message and focus node.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rolkg.graph.namespaces import ID, ROL
from rolkg.graph.validate import ValidationOutcome, ontology_graph, shapes_graph, validate_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
VALID = FIXTURES / "valid-report.ttl"
FX = Namespace("urn:rolkg:fixture#")
PATCHES = sorted(FIXTURES.glob("*.trig"))


def valid_graph() -> Graph:
    return Graph().parse(VALID, format="turtle")


def apply_patch(base: Graph, patch_file: Path) -> tuple[Graph, Dataset]:
    """``base`` with the patch applied; fails if a triple to remove is not in the base (a stale fixture)."""
    patch = Dataset().parse(patch_file, format="trig")
    remove = patch.graph(FX.remove)
    missing = [t for t in remove if t not in base]
    assert not missing, f"{patch_file.name} removes triples the valid fixture does not have: {missing}"
    for triple in remove:
        base.remove(triple)
    for triple in patch.graph(FX.add):
        base.add(triple)
    return base, patch


def test_shapes_parse_and_every_shape_says_what_is_wrong() -> None:
    shapes = shapes_graph()
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) >= 15
    property_shapes = set(shapes.objects(None, SH.property)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    sparql = set(shapes.objects(None, SH.sparql))
    for shape in node_shapes | property_shapes | sparql:
        assert shapes.value(shape, SH.message) is not None, f"shape {shape} has no sh:message"


def test_every_class_has_a_shape() -> None:
    # A class counts as covered when a shape targets it or one of its superclasses (SHACL follows subClassOf).
    targeted = set(shapes_graph().objects(None, SH.targetClass))
    ontology = ontology_graph()
    for name in [
        "Report", "Section", "FocusArea", "Initiative", "PlannedInitiative", "Pilot", "Body", "Document",
        "Facility", "Metric", "Recognition", "Shortcoming", "Theme", "Evidence", "LineageLink",
    ]:  # fmt: skip
        supers = set(ontology.transitive_objects(ROL[name], RDFS.subClassOf))
        assert supers & targeted, f"no shape targets rol:{name}"


def test_valid_fixture_conforms() -> None:
    outcome = validate_graph(valid_graph())
    assert outcome.conforms, outcome.text()
    assert outcome.violations == []


def test_valid_fixture_exercises_every_class() -> None:
    classes = set(valid_graph().objects(None, RDF.type))
    for name in ["Report", "Section", "FocusArea", "Initiative", "PlannedInitiative", "Pilot", "Body"]:
        assert ROL[name] in classes
    for name in ["Document", "Facility", "Metric", "Recognition", "Shortcoming", "Evidence", "LineageLink"]:
        assert ROL[name] in classes


@pytest.mark.parametrize("patch_file", PATCHES, ids=[p.stem for p in PATCHES])
def test_patched_fixture(patch_file: Path) -> None:
    graph, patch = apply_patch(valid_graph(), patch_file)
    outcome = validate_graph(graph)
    expected = [str(m) for m in patch.default_graph.objects(FX.case, FX.expectMessage)]
    if patch_file.stem.startswith("valid"):
        assert not expected
        assert outcome.conforms, outcome.text()
        return
    assert expected, f"{patch_file.name} states no fx:expectMessage"
    assert not outcome.conforms
    focus = patch.default_graph.value(FX.case, FX.expectFocus)
    for message in expected:
        hits = [v for v in outcome.violations if message in v.message]
        assert hits, f"expected {message!r}; got:\n{outcome.text()}"
        if focus is not None:
            assert focus in {v.focus for v in hits}, f"{message!r} not reported on {focus}:\n{outcome.text()}"


def test_planned_initiative_is_checked_by_the_initiative_shape() -> None:
    # Only typed rol:PlannedInitiative: the Initiative shape must reach it through rdfs:subClassOf.
    g = Graph()
    planned = ID["initiative/x-2024-3-1-1"]
    g.add((planned, RDF.type, ROL.PlannedInitiative))
    g.add((planned, RDFS.label, Literal("深化改革", lang="zh")))
    outcome = validate_graph(g)
    shapes = {v.shape for v in outcome.violations if v.focus == planned}
    assert URIRef("https://w3id.org/rolkg/shapes#InitiativeShape") in shapes
    assert any("exactly one rol:report" in v.message for v in outcome.violations if v.focus == planned)


def test_sparql_offset_message_names_the_text_found() -> None:
    graph, _ = apply_patch(valid_graph(), FIXTURES / "broken-offsets-mismatch.trig")
    outcome = validate_graph(graph)
    # text[73:90] is the title without its opening bracket plus the closing one and the full stop.
    assert any('reads "2024年法治慈溪建设工作要点》。"' in m for m in outcome.messages()), outcome.text()


def test_text_groups_results_by_focus_node() -> None:
    graph, _ = apply_patch(valid_graph(), FIXTURES / "broken-planned-missing-label.trig")
    outcome = validate_graph(graph)
    text = outcome.text()
    focus = "https://w3id.org/rolkg/id/initiative/cixishisifaju-2024-3-1-1"
    assert text.count(focus) == 1, text
    assert text.startswith(f"{len(outcome.violations)} problem(s) in 1 resource(s)")
    assert "rdfs:label" in text
    assert ValidationOutcome(conforms=True).text() == "The graph conforms to the rolkg shapes."


def test_validation_does_not_change_the_data() -> None:
    g = valid_graph()
    before = len(g)
    validate_graph(g)
    assert len(g) == before


REPORTS = sorted((Path(__file__).parents[1] / "data" / "reports").glob("*.txt"))


@pytest.mark.parametrize("report_file", REPORTS, ids=[p.stem for p in REPORTS])
def test_extracted_bundled_reports_conform(report_file: Path) -> None:
    # The contract seen from the other side: what the extractor builds must pass the shapes.
    from rolkg.graph.ingest import resolve_meta
    from rolkg.graph.pipeline import extract_report

    extracted = extract_report(report_file.read_text(encoding="utf-8"), resolve_meta(report_file))
    outcome = validate_graph(extracted.graph)
    assert outcome.conforms, outcome.text()


def synthetic_report(copies: int) -> Graph:
    """The valid fixture's report-bound resources copied ``copies`` times under fresh IRIs (same report)."""
    base = valid_graph()
    keep = tuple(str(ID[f"{kind}/"]) for kind in ("report", "body", "document", "facility", "theme", "place"))
    out = Graph()
    for s, p, o in base:
        out.add((s, p, o))
    for i in range(1, copies):

        def rename(term: object, i: int = i) -> object:
            text = str(term)
            if isinstance(term, URIRef) and text.startswith(str(ID)) and not text.startswith(keep):
                # Evidence IRIs must keep their offsets, and other slugs only need to stay unique.
                return URIRef(f"{text}-c{i}") if "/evidence/" not in text else URIRef(text)
            return term

        for s, p, o in base:
            out.add((rename(s), p, rename(o)))  # type: ignore[arg-type]
    return out


@pytest.mark.slow
def test_a_5000_triple_report_graph_validates() -> None:
    g = synthetic_report(45)
    assert 4500 <= len(g) <= 6500
    outcome = validate_graph(g)  # how long it takes is measured in tests/bench/, not asserted here
    assert outcome.conforms, outcome.text()[:2000]
