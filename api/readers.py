"""Turning query rows into API models: labels (zh first), refs, evidence spans, id ↔ IRI, neighbours."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from fastapi import HTTPException
from rdflib import Literal, URIRef
from rdflib.term import Node
from rolkg.api.models import Capped, Ref, Span
from rolkg.graph.classes import registry
from rolkg.graph.iris import slug_of
from rolkg.graph.namespaces import ID, ROL
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import Row

ANY = URIRef("urn:rolkg:any")  # "no filter" for IRI parameters of the read/… queries
INCOMING_CAP = 200  # links into a resource listed per property; the rest are paged at /api/incoming/…
_SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
_ROL = str(ROL)


def iri_of(kind: str, slug: str) -> URIRef:
    """The data IRI of ``/api/{kind}s/{slug}``; 404 for a slug that cannot be one of ours."""
    if not slug or len(slug) > 200 or not set(slug) <= _SLUG_CHARS:
        raise HTTPException(404, f"no {kind} with id {slug!r}: ids are lowercase letters, digits and '-'")
    return ID[f"{kind}/{slug}"]


def ref(iri: Node, label: Node | str | None = None, type_: Node | None = None) -> Ref:
    """A :class:`Ref` for ``iri``, with kind and id when it is a rolkg data IRI."""
    parts = slug_of(str(iri))
    return Ref(
        iri=str(iri),
        kind=parts[0] if parts else None,
        id=parts[1] if parts else None,
        label=None if label is None else str(label),
        type=short_type(type_),
    )


def short_type(type_: Node | None) -> str | None:
    """``rol:Initiative`` → ``Initiative`` (classes of the registry); other vocabularies' classes → None."""
    return registry().short(type_)


def best_label(labels: Iterable[Node]) -> str | None:
    """The zh label, else a language-less one, else any."""
    ranked = sorted(
        (lab for lab in labels if isinstance(lab, Literal)),
        key=lambda lab: (lab.language != "zh", lab.language is not None, str(lab)),
    )
    return str(ranked[0]) if ranked else None


def most_specific(types: Iterable[Node]) -> Node | None:
    """The rol: class to show (a PlannedInitiative or Pilot rather than Initiative)."""
    name = registry().most_specific(t for t in types if str(t).startswith(_ROL))
    return ROL[name] if name else None


def collect(rows: list[Row], key: str) -> dict[Node, tuple[list[Node], list[Node], list[Row]]]:
    """Rows grouped by ``rows[key]``: (labels, types, rows) per distinct value, in first-seen order."""
    grouped: dict[Node, tuple[list[Node], list[Node], list[Row]]] = {}
    for row in rows:
        if key not in row:
            continue
        labels, types, members = grouped.setdefault(row[key], ([], [], []))
        if "label" in row and row["label"] not in labels:
            labels.append(row["label"])
        if "type" in row and row["type"] not in types:
            types.append(row["type"])
        members.append(row)
    return grouped


def spans_of(layer: QueryLayer, iris: Sequence[Node]) -> dict[Node, list[Span]]:
    """The evidence spans of each resource in ``iris``, in text order: one query for a whole page."""
    found: dict[Node, list[Span]] = {iri: [] for iri in iris}
    if not iris:
        return found
    for r in layer.select("read/evidence", about=list(dict.fromkeys(iris))):
        found.setdefault(r["about"], []).append(
            Span(
                iri=str(r["evidence"]),
                start=int(r["start"].toPython()),  # type: ignore[union-attr]
                end=int(r["end"].toPython()),  # type: ignore[union-attr]
                exact=str(r["exact"]),
                about=[str(r["about"])],
            )
        )
    for listed in found.values():
        listed.sort(key=lambda s: (s.start, s.end, s.iri))
    return found


def spans(layer: QueryLayer, iri: Node) -> list[Span]:
    """The evidence spans of ``iri``."""
    return spans_of(layer, [iri])[iri]


Table = dict[URIRef, dict[Node, tuple[list[Node], list[Node]]]]


class Neighbours:
    """Everything one step away from a resource, by property: all outgoing statements, and incoming ones
    up to :data:`INCOMING_CAP` per property (with each property's total), so a hub costs what a page costs."""

    def __init__(self, layer: QueryLayer, iri: URIRef, cap: int | None = None) -> None:
        cap = INCOMING_CAP if cap is None else cap
        self.iri = iri
        self.out: Table = defaultdict(dict)
        self.inc: Table = defaultdict(dict)
        self.inc_total: dict[URIRef, int] = {}
        for row in layer.select("read/out", iri=iri):
            self._add(self.out, row["p"], row["o"], row)  # type: ignore[arg-type]
        if not self.out:
            return  # nothing is said about it: no resource, nothing to look up
        for count in layer.select("read/in-counts", iri=iri):
            prop = count["p"]
            self.inc_total[prop] = int(count["n"].toPython())  # type: ignore[union-attr,index]
            for row in layer.select_page("read/in", limit=cap, iri=iri, p=prop):
                self._add(self.inc, prop, row["s"], row)  # type: ignore[arg-type]

    @staticmethod
    def _add(table: Table, p: URIRef, node: Node, row: Row) -> None:
        labels, types = table[p].setdefault(node, ([], []))
        if "label" in row and row["label"] not in labels:
            labels.append(row["label"])
        if "type" in row and row["type"] not in types:
            types.append(row["type"])

    @property
    def exists(self) -> bool:
        return bool(self.out)

    def types(self) -> list[Node]:
        from rolkg.graph.namespaces import RDF

        return list(self.out.get(RDF.type, {}))

    def values(self, prop: URIRef) -> list[Node]:
        """Objects of ``prop`` (literals and resources)."""
        return list(self.out.get(prop, {}))

    def value(self, prop: URIRef) -> Node | None:
        """One object of ``prop``: for literals the zh one, else the first."""
        values = self.values(prop)
        literals = [v for v in values if isinstance(v, Literal)]
        if literals:
            chosen = best_label(literals)
            return next(v for v in literals if str(v) == chosen)
        return values[0] if values else None

    def subjects(self, prop: URIRef) -> list[Node]:
        """Resources linking here by ``prop`` (the first :data:`INCOMING_CAP`)."""
        return list(self.inc.get(prop, {}))

    def refs(
        self, prop: URIRef, *, incoming: bool = False, of_type: Iterable[URIRef] | None = None
    ) -> list[Ref]:
        """Resources linked by ``prop`` (subjects when ``incoming``), optionally only of some classes."""
        table = (self.inc if incoming else self.out).get(prop, {})
        wanted = set(of_type) if of_type is not None else None
        found = []
        for node, (labels, types) in table.items():
            if isinstance(node, Literal):
                continue
            if wanted is not None and not wanted & set(types):
                continue
            found.append(ref(node, best_label(labels), most_specific(types)))
        return sorted(found, key=lambda r: r.iri)

    def capped(self, fields: dict[str, URIRef]) -> list[Capped]:
        """For each answer field listing incoming ``prop`` links, a note when not all of them are listed."""
        parts = slug_of(str(self.iri))
        notes = []
        for name, prop in fields.items():
            total, shown = self.inc_total.get(prop, 0), len(self.inc.get(prop, {}))
            if parts and total > shown:
                more = f"/api/incoming/{parts[0]}/{parts[1]}?property={quote(str(prop), safe='')}"
                notes.append(Capped(field=name, property=str(prop), total=total, shown=shown, more=more))
        return notes


def require(neighbours: Neighbours, cls: Iterable[URIRef], kind: str, slug: str) -> None:
    """404 unless the resource exists and has one of the classes ``cls``."""
    if not neighbours.exists or not set(cls) & set(neighbours.types()):
        raise HTTPException(404, f"no {kind} with id {slug!r}")
