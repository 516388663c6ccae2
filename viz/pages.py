"""Page contexts: what each HTML page shows, built from the query layer and the networkx views."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import networkx as nx
from rdflib import Literal, URIRef
from rolkg.graph.classes import registry, term_labels
from rolkg.viz import views
from rolkg.viz.i18n import current, pick, t
from rolkg.viz.kg import CLASS_COLOURS, CLASS_LABELS, CLASSES, DATA, kind_slug, load_reports, local
from rolkg.viz.netcache import NetworkCache
from rolkg.viz.pathrank import step_evidence
from rolkg.viz.payload import payload
from rolkg.viz.source import Selector, number, text

RELATIONS: dict[str, tuple[str, str]] = {
    "continues": ("延续", "continues"),
    "implements": ("落实", "implements"),
    "produces": ("产出", "produces"),
    "addresses": ("针对", "addresses"),
    "scaledFrom": ("推广自", "scaled from"),
    "measures": ("衡量", "measures"),
    "leadBody": ("牵头", "lead body"),
    "partnerBody": ("协同", "partner body"),
    "partOf": ("属于", "part of"),
    "creator": ("制定", "creator"),
    "subOrganizationOf": ("隶属", "sub-organisation of"),
    "recognizes": ("表彰", "recognises"),
    "theme": ("主题", "theme"),
}


def relation_word(rel: str) -> str:
    """A relation in the page language (both by default)."""
    return t(*RELATIONS[rel]) if rel in RELATIONS else rel


def class_label(cls: str) -> str:
    """The class's name in the page language (both by default)."""
    zh, en = CLASS_LABELS.get(cls, (cls, cls))
    return t(zh, en)


def property_label(iri: str) -> str:
    """A property by its ontology label in the page language; its local name when it has none."""
    found = term_labels().get(iri)
    return t(*found) if found else local(iri)


def overview_page(
    net: NetworkCache,
    *,
    classes: list[str],
    theme: str,
    body: str,
    report: str,
    limit: int,
    base: str = "",
) -> dict[str, Any]:
    """Context of the overview page: focus areas and their measures (capped), plus the filter form."""
    wanted = frozenset(c for c in classes if c in CLASSES) if classes else None
    g, measures = net.overview(classes=wanted, theme=theme, body=body, report=report, limit=limit)
    drawn_measures = sum(1 for _, a in g.nodes(data=True) if a.get("cls") in views.INITIATIVE_CLASSES)
    view = views.overview(g, total=measures + g.number_of_nodes() - drawn_measures)
    data = payload(view) | {"base": base}
    themes = [
        (iri, pick(zh, en) if current() == "en" else zh + (f" / {en}" if en else ""))
        for iri, zh, en in net.themes()
    ]
    reports = [(r.iri, f"{r.year or ''} {r.title}".strip()) for r in net.reports()]
    params = [("class", c) for c in classes] + [
        (k, v) for k, v in (("theme", theme), ("body", body), ("report", report)) if v
    ]
    more = "?" + urlencode([*params, ("limit", str(limit * 2))]) if measures > drawn_measures else None
    return {
        "heading": "网络总览 Overview",
        "subheading": t(
            "按重点工作领域分组的举措;上方为多组共用的机关(背景)",
            "measures grouped by focus area; bodies shared by several groups drawn once above, as context",
        ),
        "data": data,
        "more_url": more,
        "filters": {
            "action": "/viz/overview",
            "classes": [
                {"name": c, "label": class_label(c), "checked": not classes or c in classes} for c in CLASSES
            ],
            "selects": [
                _select("theme", "主题 theme", themes, theme),
                _select("body", "机关 body", net.bodies(), body),
                _select("report", "报告 report", reports, report),
            ],
        },
        "picker": None,
        "paths": None,
    }


def _select(name: str, label: str, options: list[tuple[str, str]], current: str) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "options": [{"value": v, "label": lab, "selected": v == current} for v, lab in options],
    }


def network_page(view: views.View, heading: str, subheading: str = "", base: str = "") -> dict[str, Any]:
    """Context of the entity-neighbourhood and lineage pages."""
    return {
        "heading": heading,
        "subheading": subheading,
        "data": payload(view) | {"base": base},
        "more_url": None,
        "filters": None,
        "picker": None,
        "paths": None,
    }


def connect_spec(cls: str, label: str) -> str:
    """The endpoint spec (see :func:`views.pick`) of a picker side."""
    cls = cls if cls in CLASSES else ""
    return f"{cls}:{label}" if cls else label


def connect_page(
    g: nx.MultiDiGraph, start: str, end: str, pickers: tuple[tuple[str, str], tuple[str, str]], base: str = ""
) -> dict[str, Any]:
    """Context of the connect page: the paths drawn, listed in words, and the picker."""
    sources, targets = views.pick(g, start), views.pick(g, end)
    view = views.connect(g, sources, targets)
    g = view.graph  # holds every node and edge of the paths (themes included)
    labels = {n: a.get("label", n) for n, a in g.nodes(data=True)}
    listed = []
    for path in view.paths:
        steps = []
        for s in views.path_steps(g, path):
            word = relation_word(s["rel"])
            forward = s["dir"] == "→"
            steps.append(
                {
                    "from_label": labels[s["from"]],
                    "to_label": labels[s["to"]],
                    "rel": word,
                    "dir_left": "—" if forward else "←",
                    "dir_right": "→" if forward else "—",
                    # The words that state the step: in the text of the resource it is stated on.
                    "evidence": step_evidence(
                        g, *((s["from"], s["to"]) if forward else (s["to"], s["from"]))
                    ),
                }
            )
        listed.append(steps)
    sides = []
    for name, legend, (cls, label) in (
        ("from", "起点 from", pickers[0]),
        ("to", "终点 to", pickers[1]),
    ):
        sides.append(
            {
                "name": name,
                "legend": legend,
                "value": label,
                "classes": [{"name": c, "label": class_label(c), "selected": c == cls} for c in CLASSES],
            }
        )
    sub = f"起点 {len(sources)} 个 · 终点 {len(targets)} 个 · 最短路径 {len(view.paths)} 条"
    return {
        "heading": "关联路径 Connect",
        "subheading": sub,
        "data": payload(view) | {"base": base},
        "more_url": None,
        "filters": None,
        "picker": sides,
        "paths": listed,
    }


def home_page(sel: Selector, counts: dict[str, int]) -> dict[str, Any]:
    """Context of the home page: counts per class and per report."""
    reports = load_reports(sel)
    first = ["Report", *CLASSES, "Metric", "Recognition"]
    shown = first + [c for c in registry().names() if c not in first]
    return {
        "classes": [{"name": c, "label": class_label(c), "n": counts.get(c, 0)} for c in shown],
        "reports": [
            {
                "iri": r.iri,
                "path": "/id/" + "/".join(kind_slug(r.iri)),
                "title": r.title,
                "year": r.year,
                "jurisdiction": r.jurisdiction,
                "source": r.source if r.source.startswith(("http://", "https://")) else "",
                "counts": r.counts,
            }
            for r in reports
        ],
        "report_columns": ["Initiative", "PlannedInitiative", "Body", "Document", "Facility", "Metric"],
        "class_label": class_label,
    }


def local_href(iri: str) -> str | None:
    """The path of a data IRI on this server (``/id/kind/slug``), or None for other IRIs."""
    kind, slug = kind_slug(iri)
    return f"/id/{kind}/{slug}" if kind else None


def _term(value: Any, label: str = "") -> dict[str, Any]:
    if isinstance(value, URIRef):
        iri = str(value)
        return {
            "iri": iri,
            "href": local_href(iri),
            "text": label or (local(iri) if not iri.startswith(DATA) else iri),
        }
    if isinstance(value, Literal):
        return {"text": str(value), "lang": value.language or ""}
    return {"text": str(value)}


CONTEXT = 80  # characters of report text shown each side of an evidence span


def entity_page(sel: Selector, iri: str) -> dict[str, Any] | None:
    """Context of an entity page, or None when the graph says nothing about ``iri``."""
    node = URIRef(iri)
    out = sel.select("viz_out", iri=node)
    incoming = sel.select("viz_in", iri=node)
    if not out and not incoming:
        return None
    labels = [
        _term(r["o"]) for r in out if local(text(r, "p")) in {"label", "prefLabel", "altLabel", "title"}
    ]
    types = [local(text(r, "o")) for r in out if local(text(r, "p")) == "type"]
    props = [
        {"p": property_label(text(r, "p")), "piri": text(r, "p"), "o": _term(r["o"], text(r, "oLabel"))}
        for r in out
        if local(text(r, "p")) != "text"  # a report's full text is shown around evidence, not as a value
    ]
    inc = [{"p": property_label(text(r, "p")), "s": _term(r["s"], text(r, "sLabel"))} for r in incoming]
    metrics = [
        {
            "indicator": text(r, "indicator"),
            "value": text(r, "value"),
            "unit": text(r, "unit"),
            "qualifiers": text(r, "qualifiers"),
            "quote": text(r, "quote"),
            "href": local_href(text(r, "metric")),
        }
        for r in sel.select("viz_entity_metrics", iri=node)
    ]
    reports: dict[str, dict[str, Any]] = {}
    evidence = []
    for r in sel.select("viz_evidence", iri=node):
        report = text(r, "report")
        if report not in reports:
            reports[report] = report_meta(sel, report) or {"title": "", "text": ""}
        body = reports[report]["text"]
        start, end = int(number(r, "start") or 0), int(number(r, "end") or 0)
        ok = 0 <= start <= end <= len(body)
        href = local_href(report)
        evidence.append(
            {
                "report": report,
                "report_title": reports[report]["title"] or kind_slug(report)[1],
                "report_href": href,
                "reader_href": f"{href}#span-{start}-{end}" if href and ok else None,
                "start": start,
                "end": end,
                "before": body[max(0, start - CONTEXT) : start] if ok else "",
                "exact": body[start:end] if ok else text(r, "exact"),
                "after": body[end : end + CONTEXT] if ok else "",
                "matches": ok and (not r.get("exact") or body[start:end] == text(r, "exact")),
            }
        )
    kind, slug = kind_slug(iri)
    drawable = bool(set(types) & set(CLASSES))  # only network nodes have a neighbourhood view
    zh = next((t["text"] for t in labels if t.get("lang") == "zh"), "")
    return {
        "iri": iri,
        "kind": kind,
        "slug": slug,
        "title": zh or (labels[0]["text"] if labels else slug),
        "labels": labels,
        "types": types,
        "props": props,
        "incoming": inc,
        "metrics": metrics,
        "evidence": evidence,
        "drawable": drawable,
        "lineage": drawable and kind in {"initiative", "document", "facility", "shortcoming"},
    }


def report_meta(sel: Selector, report: str) -> dict[str, Any] | None:
    """A report's metadata and text (``read/report``), or None when it is not a report in the graph."""
    rows = sel.select("read/report", report=URIRef(report))
    if not rows or not rows[0]:
        return None
    r = rows[0]
    source = text(r, "source")
    publisher = text(r, "publisher")
    return {
        "title": text(r, "title"),
        "year": number(r, "year"),
        "jurisdiction": text(r, "jurisdiction"),
        "publisher": publisher,
        "publisher_label": text(r, "publisherLabel"),
        "publisher_href": local_href(publisher) if publisher else None,
        "issued": text(r, "issued"),
        "source": source,
        "source_link": source.startswith(("http://", "https://")),
        "text": text(r, "text"),
    }


def report_page(sel: Selector, iri: str) -> dict[str, Any] | None:
    """Context of the report reader, or None when ``iri`` is not a report."""
    from rolkg.viz.reader import reader_context

    meta = report_meta(sel, iri)
    if meta is None:
        return None
    slug = kind_slug(iri)[1]
    return {"iri": iri, "slug": slug, "meta": meta, "colours": CLASS_COLOURS} | reader_context(sel, iri, meta)


SNIPPET = 40  # characters of the matching text shown each side of the match


def snippet(matched: str, q: str) -> dict[str, str]:
    """The match in ``matched`` with some context: ``{"before", "hit", "after"}`` (plain text, escaped later)."""
    at = matched.lower().find(q.lower())
    if at < 0:
        return {"before": matched[: 2 * SNIPPET], "hit": "", "after": ""}
    start, end = max(0, at - SNIPPET), min(len(matched), at + len(q) + SNIPPET)
    return {
        "before": ("…" if start else "") + matched[start:at],
        "hit": matched[at : at + len(q)],
        "after": matched[at + len(q) : end] + ("…" if end < len(matched) else ""),
    }


def search_page(sel: Selector, q: str) -> dict[str, Any]:
    """Context of the search page: each hit with class, report, year and a highlighted snippet."""
    reg = registry()
    hits = []
    if q.strip():
        for r in sel.select("read/search", q=Literal(q.strip())):
            iri = text(r, "node")
            cls = reg.most_specific(text(r, "types").split()) or ""
            report = text(r, "report")
            hits.append(
                {
                    "iri": iri,
                    "href": local_href(iri),
                    "label": text(r, "label") or kind_slug(iri)[1],
                    "cls": cls,
                    "cls_label": t(reg.label(cls), reg.label(cls, "en")) if cls else "",
                    "network": local_href(iri).replace("/id/", "/viz/entity/", 1) if cls in CLASSES else None,
                    "report_href": local_href(report) if report else None,
                    "report_title": text(r, "reportTitle"),
                    "year": number(r, "year"),
                    "snippet": snippet(text(r, "matched"), q.strip()),
                }
            )
    return {"q": q, "hits": hits}
