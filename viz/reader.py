"""The report reader: a report's full text with every extracted fact marked in place, and its outline.

Marks may nest (a body inside an initiative's sentence) or cross; the text is cut at every mark boundary
and each piece is wrapped in the marks that cover it, outermost first, reopening a mark after a crossing.
Only the innermost mark of a piece is a link, so links never nest. All report text is escaped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html import escape
from typing import Any

from markupsafe import Markup
from rdflib import URIRef
from rolkg.graph.classes import registry
from rolkg.viz.kg import kind_slug
from rolkg.viz.source import Selector, number, text

# Kinds marked by default; the others (whole items, headings, lineage sentences) start switched off.
STRUCTURE = {"Initiative", "FocusArea", "Section", "LineageLink", "Report", "Evidence", "Theme"}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    iri: str
    cls: str
    label: str

    @property
    def href(self) -> str:
        kind, slug = kind_slug(self.iri)
        return f"/id/{kind}/{slug}" if kind else ""

    @property
    def span_id(self) -> str:
        return f"span-{self.start}-{self.end}"


@dataclass
class OutlineItem:
    iri: str
    cls: str
    label: str
    start: int | None
    end: int | None
    children: list[OutlineItem] = field(default_factory=list)

    @property
    def href(self) -> str:
        kind, slug = kind_slug(self.iri)
        return f"/id/{kind}/{slug}" if kind else ""


def marks(sel: Selector, report: str, length: int) -> list[Mark]:
    """The marks of ``report`` whose offsets fall inside its text (``length`` code points)."""
    reg = registry()
    found = []
    for r in sel.select("read/report-marks", report=URIRef(report)):
        start, end = int(number(r, "start") or 0), int(number(r, "end") or 0)
        if not 0 <= start < end <= length:
            continue  # offsets the text cannot hold: shown on the entity page, not marked here
        cls = reg.most_specific(text(r, "types").split()) or "Resource"
        found.append(Mark(start, end, text(r, "about"), cls, text(r, "label")))
    return found


def _order(m: Mark) -> tuple[int, int, str]:
    return (m.start, -m.end, m.iri)  # outer marks (starting earlier, ending later) open first


def render_text(body: str, found: list[Mark]) -> Markup:
    """``body`` as HTML with the marks applied (see the module docstring)."""
    cuts = sorted({0, len(body), *(m.start for m in found), *(m.end for m in found)})
    by_start = sorted(found, key=_order)
    out: list[str] = []
    stack: list[Mark] = []
    seen_ids: set[str] = set()
    active: list[Mark] = []
    i = 0
    for a, b in itertools.pairwise(cuts):
        while i < len(by_start) and by_start[i].start <= a:
            active.append(by_start[i])
            i += 1
        active = [m for m in active if m.end > a]
        wanted = sorted((m for m in active if m.start <= a), key=_order)
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        out.extend("</span>" for _ in stack[keep:])
        for m in wanted[keep:]:
            attrs = f' class="mk k-{escape(m.cls)}" data-span="{m.start}-{m.end}"'
            if m.span_id not in seen_ids:
                seen_ids.add(m.span_id)
                attrs += f' id="{m.span_id}"'
            out.append(f"<span{attrs}>")
        stack = wanted
        piece = escape(body[a:b])
        if stack:
            inner = stack[-1]
            title = escape(
                f"{registry().label(inner.cls)} {registry().label(inner.cls, 'en')}: {inner.label}"
            )
            piece = (
                f'<a class="ml k-{escape(inner.cls)}" href="{escape(inner.href)}" title="{title}">{piece}</a>'
            )
        out.append(piece)
    out.extend("</span>" for _ in stack)
    return Markup("".join(out))


def outline(sel: Selector, report: str) -> list[OutlineItem]:
    """Sections → focus areas → initiatives (→ their parts), in text order; shortcomings under their section."""
    reg = registry()
    items: dict[str, OutlineItem] = {}
    parents: dict[str, str] = {}
    for r in sel.select("read/report-outline", report=URIRef(report)):
        iri = text(r, "node")
        start, end = number(r, "start"), number(r, "end")
        items[iri] = OutlineItem(
            iri=iri,
            cls=reg.most_specific(text(r, "types").split()) or "",
            label=text(r, "label") or kind_slug(iri)[1],
            start=int(start) if start is not None else None,
            end=int(end) if end is not None else None,
        )
        if r.get("parent") is not None:
            parents[iri] = text(r, "parent")
    roots: list[OutlineItem] = []
    sections = [i for i in items.values() if i.cls == "Section"]
    for item in sorted(items.values(), key=lambda x: (x.start is None, x.start or 0)):
        parent = items.get(parents.get(item.iri, ""))
        if parent is None and item.cls == "Shortcoming" and item.start is not None:
            # Shortcomings carry no rol:partOf: they belong to the section whose text holds them.
            before = [s for s in sections if s.start is not None and s.start <= item.start]
            parent = max(before, key=lambda s: s.start or 0) if before else None
        (parent.children if parent is not None else roots).append(item)
    return roots


def reader_context(sel: Selector, report: str, meta: dict[str, Any]) -> dict[str, Any]:
    """What the reader template needs: metadata, outline, marked text, legend counts."""
    body = meta.get("text", "")
    found = marks(sel, report, len(body))
    counts: dict[str, int] = {}
    for m in found:
        counts[m.cls] = counts.get(m.cls, 0) + 1
    reg = registry()
    legend = [
        {
            "cls": name,
            "zh": reg.label(name),
            "en": reg.label(name, "en"),
            "n": counts[name],
            "on": name not in STRUCTURE,
        }
        for name in [*reg.names(), "Resource"]
        if name in counts
    ]
    return {
        "outline": outline(sel, report),
        "marked": render_text(body, found),
        "legend": legend,
        "n_marks": len(found),
    }
