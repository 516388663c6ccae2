"""SHACL validation of one report graph against ``ontology/shapes.ttl``.

The shapes are checked against a copy of the data with the ontology and the theme scheme mixed in:
that makes ``rdfs:subClassOf`` visible (a ``rol:PlannedInitiative`` is checked by
the Initiative shape) and lets ``sh:class rol:Theme`` see the themes. Validate each report's own
graph before writing it; validating the whole store is far slower (see STACK-NOTES.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node
from rolkg.graph.namespaces import PREFIXES
from rolkg.ontology import ONTOLOGY_TTL, SHAPES_TTL, THEMES_TTL

_SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result, with its nodes kept as rdflib terms."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str
    shape: Node | None


@dataclass(slots=True)
class ValidationOutcome:
    """Whether a graph conforms, and every result that says why not."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def messages(self) -> list[str]:
        """The result messages, in order (handy for tests and logs)."""
        return [v.message for v in self.violations]

    def text(self) -> str:
        """A readable report: results grouped by focus node, one line each."""
        if self.conforms:
            return "The graph conforms to the rolkg shapes."
        by_focus: dict[Node, list[Violation]] = defaultdict(list)
        for v in self.violations:
            by_focus[v.focus].append(v)
        lines = [f"{len(self.violations)} problem(s) in {len(by_focus)} resource(s):"]
        for focus in sorted(by_focus, key=str):
            lines.append(f"\n{_short(focus)}")
            for v in by_focus[focus]:
                where = f" {_path_text(v.path, _prefixed_graph())}" if v.path is not None else ""
                value = f" = {_short(v.value)}" if v.value is not None else ""
                lines.append(f"  [{v.severity}]{where}{value}: {v.message}")
        return "\n".join(lines)


def validate_graph(data: Graph) -> ValidationOutcome:
    """Validate ``data`` (one report's triples) against the rolkg shapes, ontology and themes."""
    # pyshacl's ont_graph "inoculation" copies only class and property axioms, not the theme
    # individuals that sh:class rol:Theme needs, so the ontology is mixed in here, into a copy.
    combined = Graph()
    for triple in data:
        combined.add(triple)
    for triple in ontology_graph():
        combined.add(triple)
    conforms, results, _ = validate(
        combined,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=False,
        advanced=True,
    )
    assert isinstance(results, Graph)
    violations = [_violation(results, r) for r in results.subjects(SH.resultSeverity, None)]
    violations.sort(key=lambda v: (str(v.focus), str(v.path), v.message))
    return ValidationOutcome(conforms=bool(conforms), violations=violations)


@cache
def shapes_graph() -> Graph:
    """The parsed SHACL shapes (parsed once per process)."""
    return Graph().parse(SHAPES_TTL, format="turtle")


@cache
def ontology_graph() -> Graph:
    """The parsed ontology and theme scheme together (parsed once per process)."""
    g = Graph()
    g.parse(ONTOLOGY_TTL, format="turtle")
    g.parse(THEMES_TTL, format="turtle")
    return g


def _violation(results: Graph, result: Node) -> Violation:
    message = results.value(result, SH.resultMessage)
    severity = results.value(result, SH.resultSeverity)
    focus = results.value(result, SH.focusNode)
    assert focus is not None, "pyshacl results always name a focus node"
    return Violation(
        focus=focus,
        path=_copy_path(results, results.value(result, SH.resultPath)),
        value=results.value(result, SH.value),
        message=str(message) if message is not None else "(no message)",
        severity=_SEVERITY_NAMES.get(severity, str(severity)) if severity is not None else "Violation",
        shape=_owning_shape(results.value(result, SH.sourceShape)),
    )


def _copy_path(results: Graph, path: Node | None) -> Node | None:
    # Complex paths are blank nodes of the results graph; render them now, while the graph is at hand.
    if isinstance(path, BNode):
        return Literal(_path_text(path, results))
    return path


def _owning_shape(shape: Node | None) -> Node | None:
    """A named shape for the result: inline property shapes are reported as the node shape holding them."""
    if not isinstance(shape, BNode):
        return shape
    owner = shapes_graph().value(None, SH.property, shape)
    return owner if owner is not None else shape


def _path_text(path: Node, graph: Graph) -> str:
    """A SPARQL-like rendering of a property path held in ``graph``."""
    if isinstance(path, Literal):
        return str(path)
    if isinstance(path, BNode):
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _path_text(inverse, graph)
        alternatives = graph.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(_path_text(step, graph) for step in Collection(graph, alternatives)) + ")"
        if graph.value(path, RDF.first) is not None:
            return "/".join(_path_text(step, graph) for step in Collection(graph, path))
        return "(complex path)"
    return _short(path)


def _short(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = str(term)
        shown = repr(text if len(text) <= 40 else text[:40] + "…")
        if term.language:
            return f"{shown}@{term.language}"
        return f"{shown}^^{_short(term.datatype)}" if term.datatype else shown
    if isinstance(term, URIRef):
        try:
            return _prefixed_graph().namespace_manager.normalizeUri(term)
        except ValueError:
            return f"<{term}>"
    return str(term.n3())


@cache
def _prefixed_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g
