"""Run every extractor over a segmented report and hang each finding on the item it occurs in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rolkg.graph.extract.bodies import Jurisdiction, find_bodies, lead_and_partners
from rolkg.graph.extract.documents import find_documents
from rolkg.graph.extract.metrics import find_metrics
from rolkg.graph.extract.pilots import PilotMention, find_pilots
from rolkg.graph.extract.recognitions import find_recognitions
from rolkg.graph.extract.themes import find_themes
from rolkg.graph.gazetteer import Place, gazetteer
from rolkg.graph.model import (
    BodyMention,
    DocumentMention,
    FacilityMention,
    Metric,
    RecognitionMention,
    ReportMeta,
    Span,
)
from rolkg.graph.segment import Layout, Node
from rolkg.graph.spans import Within

try:  # facilities and name resolution land separately; the pipeline runs without them
    from rolkg.graph.extract.facilities import find_facilities
except ImportError:  # pragma: no cover
    find_facilities = None  # type: ignore[assignment]

# What a document's clause does with it: brought it about, or carried it out.
_PRODUCES = re.compile(
    r"(?:出台|制定|制订|印发|发布|编制|修订|起草|签订|签署|创作|形成|推出|出版|审议通过|通过|编印|汇编|建立)"
    r"[^,;。]{0,12}$"
)
_IMPLEMENTS = re.compile(
    r"(?:贯彻落实|贯彻|落实|执行|实施|依据|根据|按照|对照|遵循|对标|学习|宣传|宣贯|施行|推进)[^,;。]{0,12}$"
)


@dataclass(slots=True)
class ItemFacts:
    """One initiative, planned initiative, pilot or shortcoming, with what was found inside it."""

    kind: str  # initiative | planned | pilot | shortcoming
    path: tuple[int, ...]
    label: str
    span: Span
    label_span: Span
    parent_path: tuple[int, ...]  # its focus area's (or parent item's) path
    planned: bool = False
    scaled: bool = False  # a pilot the parent scales up from
    metrics: list[Metric] = field(default_factory=list)
    bodies: list[BodyMention] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    documents: list[tuple[DocumentMention, str | None]] = field(default_factory=list)  # (mention, relation)
    facilities: list[FacilityMention] = field(default_factory=list)
    recognitions: list[RecognitionMention] = field(default_factory=list)
    themes: list = field(default_factory=list)
    children: list[ItemFacts] = field(default_factory=list)


@dataclass(slots=True)
class AreaFacts:
    path: tuple[int, ...]
    label: str
    span: Span
    label_span: Span
    items: list[ItemFacts]


@dataclass(slots=True)
class SectionFacts:
    number: int
    kind: str
    label: str
    span: Span
    label_span: Span
    areas: list[AreaFacts]


@dataclass(slots=True)
class ReportFacts:
    """Everything found in one report, positioned by spans into ``layout.text``."""

    meta: ReportMeta
    layout: Layout
    jurisdiction: Jurisdiction | None
    sections: list[SectionFacts]
    metrics: list[Metric]  # all figures, in text order (``change_of`` indexes this list)
    bodies: list[BodyMention]
    documents: list[tuple[DocumentMention, str | None]]
    facilities: list[FacilityMention]
    recognitions: list[RecognitionMention]

    def items(self) -> list[ItemFacts]:
        """Every item, depth first (pilots after their parent)."""
        out: list[ItemFacts] = []

        def walk(items: list[ItemFacts]) -> None:
            for it in items:
                out.append(it)
                walk(it.children)

        for s in self.sections:
            for a in s.areas:
                walk(a.items)
        return out


def extract_facts(layout: Layout, meta: ReportMeta) -> ReportFacts:
    """Run the extractors once over the report body and assign each finding to its innermost item."""
    # The finders read the simplified view (same offsets); labels are taken from the published text.
    text, norm = layout.view or layout.text, layout.norm
    start = layout.preamble.start
    jurisdiction = _jurisdiction(meta)
    issuer = meta.issuer
    metrics = find_metrics(text, start, len(text))
    bodies = find_bodies(text, start, len(text), jurisdiction=jurisdiction, issuer=issuer)
    documents = [
        (d, _relation(norm, d.span.start))
        for d in find_documents(text, start, len(text), jurisdiction=jurisdiction, issuer=issuer)
    ]
    facilities = find_facilities(text, start, len(text), jurisdiction=jurisdiction) if find_facilities else []
    recognitions = find_recognitions(norm, start, len(norm))
    sections = [_section(layout, s) for s in layout.sections]
    facts = ReportFacts(
        meta, layout, jurisdiction, sections, metrics, bodies, documents, facilities, recognitions
    )
    items = [it for it in facts.items() if it.kind != "pilot"]
    by_metric = Within(metrics, lambda m: m.span)
    by_body = Within(bodies, lambda b: b.span)
    by_document = Within(documents, lambda d: d[0].span)
    by_facility = Within(facilities, lambda f: f.span)
    by_recognition = Within(recognitions, lambda r: r.span)
    for it in items:
        it.metrics = by_metric(it.span)
        it.bodies = by_body(it.span)
        it.documents = by_document(it.span)
        it.facilities = by_facility(it.span)
        it.recognitions = by_recognition(it.span)
        if it.kind != "shortcoming":
            it.lead, it.partners = _lead_and_partners(text, it.span, it.bodies, issuer)
            it.themes = find_themes(
                norm[it.label_span.start : it.label_span.end], norm[it.span.start : it.span.end]
            )
            for child in it.children:
                child.themes = it.themes
                child.lead = it.lead
    return facts


_LOOKBACK = 300  # how far before an item its first clause may begin


def _lead_and_partners(
    text: str, span: Span, inside: list[BodyMention], issuer: str | None
) -> tuple[list[str], list[str]]:
    """:func:`lead_and_partners` on a window around the item, so each call costs the item's length."""
    if not inside:
        return lead_and_partners(0, 0, "", [], issuer)
    w0 = max(0, span.start - _LOOKBACK)
    cut = max(text.rfind(c, w0, span.start) for c in "。；;\n")
    w0 = cut + 1 if cut >= 0 else w0
    window = text[w0 : span.end + 20]
    shifted = [replace(b, span=Span(b.span.start - w0, b.span.end - w0)) for b in inside]
    return lead_and_partners(span.start - w0, span.end - w0, window, shifted, issuer)


def _jurisdiction(meta: ReportMeta) -> Jurisdiction | None:
    if meta.jurisdiction:
        try:
            return Jurisdiction.parse(meta.jurisdiction)
        except ValueError:
            pass
    return Jurisdiction.guess(meta.issuer)


def mentioned_places(facts: ReportFacts) -> list[Place]:
    """Places the report names unambiguously in its body (provinces to counties anywhere; townships of
    its own county), in order of first mention; each once."""
    g = gazetteer()
    jur = facts.jurisdiction
    anchor = jur.unit if jur else None
    if anchor is not None and anchor.level == "township":
        anchor = g.parent(anchor)
    norm = facts.layout.norm
    out: dict[str, Place] = {}
    for _, _, cands in g.scan(norm, facts.layout.preamble.start, under=anchor):
        if len(cands) == 1:
            out.setdefault(cands[0].code, cands[0])
    return list(out.values())


def _relation(norm: str, bracket: int) -> str | None:
    """produces / implements / None, by the verb that governs the 《》 group starting at ``bracket``."""
    clause_start = max(norm.rfind(c, 0, bracket) for c in ",;。:\n") + 1
    # Step back over earlier titles of the same group (《A》《B》) to reach the verb.
    before = re.sub(r"《[^》]*》[、和及与]?", "", norm[clause_start:bracket])
    if _PRODUCES.search(before):
        return "produces"
    if _IMPLEMENTS.search(before):
        return "implements"
    return None


def _section(layout: Layout, node: Node) -> SectionFacts:
    text = layout.text
    kind = "achievements" if node.kind == "other" else node.kind
    areas: list[AreaFacts] = []
    for child in node.children:
        if child.level == "area":
            areas.append(_area(layout, child.kind or kind, (node.number, child.number), child))
    loose = [c for c in node.children if c.level != "area"]
    if loose:
        # Items straight under a section: the section heading serves as their focus area.
        path = (node.number, 0)
        areas.insert(
            0,
            AreaFacts(
                path,
                text[node.label_span.start : node.label_span.end],
                node.span,
                node.label_span,
                [_item(layout, kind, path, c) for c in loose],
            ),
        )
    return SectionFacts(
        node.number,
        kind,
        text[node.label_span.start : node.label_span.end],
        node.span,
        node.label_span,
        areas,
    )


def _area(layout: Layout, kind: str, path: tuple[int, ...], node: Node) -> AreaFacts:
    text = layout.text
    items = [_item(layout, kind, path, c) for c in node.children]
    return AreaFacts(
        path, text[node.label_span.start : node.label_span.end], node.span, node.label_span, items
    )


def _item(layout: Layout, section_kind: str, parent: tuple[int, ...], node: Node) -> ItemFacts:
    text = layout.text
    kind = {"shortcomings": "shortcoming", "plan": "planned"}.get(section_kind, "initiative")
    path = (*parent, node.number)
    item = ItemFacts(
        kind,
        path,
        text[node.label_span.start : node.label_span.end],
        node.span,
        node.label_span,
        parent,
        planned=kind == "planned",
    )
    if kind != "shortcoming":
        pilots = find_pilots(layout.norm, node.span.start, node.span.end)
        whole = [
            p for p in pilots if (p.span.end - p.span.start) * 5 >= (node.span.end - node.span.start) * 4
        ]
        if whole:
            item.kind = "pilot"  # the item itself is the trial, not a measure that starts one
            pilots = [p for p in pilots if p not in whole]
        item.children = [_pilot(text, item, k, p) for k, p in enumerate(pilots, start=1)]
    return item


def _pilot(text: str, parent: ItemFacts, k: int, p: PilotMention) -> ItemFacts:
    return ItemFacts(
        "pilot",
        (*parent.path, k),
        text[p.span.start : p.span.end],
        p.span,
        p.span,
        parent.path,
        planned=parent.planned,
        scaled=p.scaled,
    )
