"""The one class registry, read from ``ontology/rolkg.ttl``: labels (zh/en), IRI kind, colour, network node.

Views, the API's ``type`` field, lineage kinds and list pages all ask this registry, so adding a class is
an edit to the ontology (a class with ``rol:iriKind``, ``rol:displayColour``, ``rol:networkNode``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rdflib import Graph, Literal, URIRef
from rolkg.graph.namespaces import OWL, RDF, RDFS, ROL

_ROL = str(ROL)


@dataclass(frozen=True)
class ClassInfo:
    """What the pages and the API need to know about one ``rol:`` class."""

    name: str  # local name, e.g. "PlannedInitiative"
    zh: str
    en: str
    kind: str  # IRI kind segment, e.g. "initiative"
    colour: str
    node: bool  # drawn as a node in the network views
    depth: int  # 0 for a root class, 1 for a subclass of a rol: class …
    parent: str | None

    @property
    def iri(self) -> URIRef:
        return ROL[self.name]

    def label(self, lang: str = "zh") -> str:
        """The label in ``lang`` ("zh" or "en")."""
        return self.en if lang == "en" else self.zh


class Registry:
    """Every annotated ``rol:`` class, in display order (roots by name, each followed by its subclasses)."""

    def __init__(self, classes: Iterable[ClassInfo]) -> None:
        self.by_name = {c.name: c for c in classes}
        roots = sorted((c for c in self.by_name.values() if c.parent is None), key=lambda c: c.name)
        ordered: list[ClassInfo] = []
        for root in roots:
            ordered.append(root)
            ordered += sorted(
                (c for c in self.by_name.values() if c.parent == root.name), key=lambda c: c.name
            )
        self.ordered = ordered

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def get(self, name: str) -> ClassInfo | None:
        return self.by_name.get(name)

    def names(self) -> list[str]:
        return [c.name for c in self.ordered]

    def nodes(self) -> list[str]:
        """Classes the network views draw."""
        return [c.name for c in self.ordered if c.node]

    def kinds(self) -> list[str]:
        """Every IRI kind, once, in display order."""
        return list(dict.fromkeys(c.kind for c in self.ordered))

    def subclasses(self, name: str) -> list[str]:
        """``name`` and every registered class below it, in display order (a list page's classes: the
        queries take them as a ``VALUES`` list, not ``rdfs:subClassOf*``, which Virtuoso 7.2 mis-joins)."""

        def below(c: ClassInfo) -> bool:
            seen: set[str] = set()
            while c.parent is not None and c.parent not in seen:
                if c.parent == name:
                    return True
                seen.add(c.parent)
                c = self.by_name[c.parent]
            return False

        return [c.name for c in self.ordered if c.name == name or below(c)]

    def of_kind(self, kind: str) -> list[str]:
        return [c.name for c in self.ordered if c.kind == kind]

    def label(self, name: str, lang: str = "zh") -> str:
        info = self.by_name.get(name)
        return info.label(lang) if info else name

    def colour(self, name: str) -> str:
        info = self.by_name.get(name)
        return info.colour if info else "#777777"

    def colours(self) -> dict[str, str]:
        return {c.name: c.colour for c in self.ordered}

    def short(self, iri: object) -> str | None:
        """``rol:Initiative`` → ``"Initiative"`` when it is a registered class, else None."""
        text = str(iri) if iri is not None else ""
        if not text.startswith(_ROL):
            return None
        name = text[len(_ROL) :]
        return name if name in self.by_name else None

    def most_specific(self, names: Iterable[object]) -> str | None:
        """The class to show for a resource with these classes (names or IRIs): the deepest, then by name."""
        found = {n for n in (self.short(x) if str(x).startswith(_ROL) else str(x) for x in names) if n}
        known = [self.by_name[n] for n in found if n in self.by_name]
        if not known:
            return None
        return min(known, key=lambda c: (-c.depth, c.name)).name


def _literal(g: Graph, s: URIRef, p: URIRef, lang: str | None = None) -> str:
    for o in g.objects(s, p):
        if isinstance(o, Literal) and (lang is None or o.language == lang):
            return str(o)
    return ""


def read_registry(g: Graph) -> Registry:
    """The registry of the annotated classes in ontology graph ``g``."""
    parents: dict[str, str | None] = {}
    raw = []
    for cls in g.subjects(RDF.type, OWL.Class):
        if not isinstance(cls, URIRef) or not str(cls).startswith(_ROL):
            continue
        kind = _literal(g, cls, ROL.iriKind)
        if not kind:
            continue
        name = str(cls)[len(_ROL) :]
        sup = [str(p)[len(_ROL) :] for p in g.objects(cls, RDFS.subClassOf) if str(p).startswith(_ROL)]
        parents[name] = sup[0] if sup else None
        node = g.value(cls, ROL.networkNode)
        raw.append((name, cls, kind, bool(node.toPython()) if isinstance(node, Literal) else False))

    def depth(name: str) -> int:
        d, seen = 0, {name}
        while (p := parents.get(name)) is not None and p not in seen:
            d, name = d + 1, p
            seen.add(p)
        return d

    return Registry(
        ClassInfo(
            name=name,
            zh=_literal(g, cls, RDFS.label, "zh") or name,
            en=_literal(g, cls, RDFS.label, "en") or name,
            kind=kind,
            colour=_literal(g, cls, ROL.displayColour) or "#777777",
            node=node,
            depth=depth(name),
            parent=parents[name] if parents[name] in parents else None,
        )
        for name, cls, kind, node in raw
    )


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The registry of the installed ontology (read once)."""
    text = resources.files("rolkg.ontology").joinpath("rolkg.ttl").read_text(encoding="utf-8")
    return read_registry(Graph().parse(data=text, format="turtle"))


@lru_cache(maxsize=1)
def term_labels() -> dict[str, tuple[str, str]]:
    """``{term IRI: (zh label, en label)}`` for every ontology term labelled in both languages."""
    text = resources.files("rolkg.ontology").joinpath("rolkg.ttl").read_text(encoding="utf-8")
    g = Graph().parse(data=text, format="turtle")
    out = {}
    for term in set(g.subjects(RDFS.label, None)):
        zh, en = _literal(g, term, RDFS.label, "zh"), _literal(g, term, RDFS.label, "en")  # type: ignore[arg-type]
        if zh and en:
            out[str(term)] = (zh, en)
    return out
