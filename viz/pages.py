"""Page contexts: what each HTML page shows, built from the query layer and the networkx views."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from rdflib import Literal, URIRef
from rolkg.graph.classes import registry, term_labels
from rolkg.graph.search import search as text_search
from rolkg.viz import views
from rolkg.viz.i18n import current, pick, t
from rolkg.viz.kg import CLASS_COLOURS, CLASS_LABELS, CLASSES, kind_slug, load_reports, local
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


# Terms of the vocabularies rolkg reuses, which rolkg.ttl does not label: their names on the pages.
VOCAB_LABELS: dict[str, tuple[str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("类型", "type"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#value": ("数值", "value"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject": ("主体", "subject"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate": ("关系", "predicate"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#object": ("客体", "object"),
    "http://www.w3.org/2000/01/rdf-schema#label": ("标签", "label"),
    "http://www.w3.org/2000/01/rdf-schema#comment": ("说明", "comment"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": ("首选名称", "preferred label"),
    "http://www.w3.org/2004/02/skos/core#altLabel": ("别名", "alternative label"),
    "http://www.w3.org/2004/02/skos/core#hiddenLabel": ("检索词", "hidden label"),
    "http://www.w3.org/2004/02/skos/core#definition": ("定义", "definition"),
    "http://www.w3.org/2004/02/skos/core#inScheme": ("所属体系", "in scheme"),
    "http://www.w3.org/2004/02/skos/core#topConceptOf": ("顶层概念于", "top concept of"),
    "http://www.w3.org/2004/02/skos/core#hasTopConcept": ("顶层概念", "has top concept"),
    "http://www.w3.org/2004/02/skos/core#broader": ("上位", "broader"),
    "http://www.w3.org/2004/02/skos/core#narrower": ("下位", "narrower"),
    "http://www.w3.org/2004/02/skos/core#exactMatch": ("等同", "exact match"),
    "http://www.w3.org/2004/02/skos/core#closeMatch": ("相近", "close match"),
    "http://purl.org/dc/terms/title": ("标题", "title"),
    "http://purl.org/dc/terms/description": ("描述", "description"),
    "http://purl.org/dc/terms/publisher": ("发布机关", "publisher"),
    "http://purl.org/dc/terms/creator": ("制定机关", "creator"),
    "http://purl.org/dc/terms/source": ("来源", "source"),
    "http://purl.org/dc/terms/issued": ("发布日期", "issued"),
    "http://purl.org/dc/terms/spatial": ("涉及地区", "places named"),
    "http://purl.org/dc/terms/identifier": ("代码", "identifier"),
    "http://purl.org/dc/terms/alternative": ("其他名称", "alternative name"),
    "http://purl.org/dc/terms/format": ("格式", "format"),
    "http://purl.org/dc/terms/created": ("创建时间", "created"),
    "http://purl.org/dc/terms/modified": ("修改时间", "modified"),
    "http://www.w3.org/ns/prov#wasAttributedTo": ("归属于", "attributed to"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("来源文件", "derived from"),
    "http://www.w3.org/ns/prov#generatedAtTime": ("生成时间", "generated at"),
    "http://purl.org/linked-data/cube#dataSet": ("数据集", "data set"),
    "http://purl.org/linked-data/cube#structure": ("数据结构", "structure"),
    "http://www.w3.org/ns/oa#exact": ("原文", "exact text"),
    "http://www.w3.org/ns/oa#start": ("起始位置", "start"),
    "http://www.w3.org/ns/oa#end": ("结束位置", "end"),
    "http://www.w3.org/ns/oa#prefix": ("前文", "prefix"),
    "http://www.w3.org/ns/oa#suffix": ("后文", "suffix"),
    "http://www.w3.org/ns/org#subOrganizationOf": ("上级机关", "sub-organisation of"),
    "http://www.w3.org/2002/07/owl#sameAs": ("等同于", "same as"),
}


def property_label(iri: str) -> str:
    """A property by its label in the page language (the ontology's, else a reused vocabulary's); its
    local name when it has none."""
    found = term_labels().get(iri) or VOCAB_LABELS.get(iri)
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
    """The endpoint spec (see :meth:`RouteMap.pick`) of a picker side."""
    cls = cls if cls in CLASSES else ""
    return f"{cls}:{label}" if cls else label


def picker_side(spec: str) -> tuple[str, str]:
    """The picker side (class, label pattern) showing the endpoint spec ``spec`` (``from=``/``to=``)."""
    cls, colon, label = spec.partition(":")
    return (cls, label) if colon and cls in CLASSES else ("", spec)


def connect_page(
    found: views.Connection, pickers: tuple[tuple[str, str], tuple[str, str]], base: str = ""
) -> dict[str, Any]:
    """Context of the connect page: the paths drawn, listed in words, and the picker."""
    view = found.view
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
    sub = f"起点 {found.sources} 个 · 终点 {found.targets} 个 · 最短路径 {len(view.paths)} 条"
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


def _term(value: Any, label: str = "", label_en: str = "", quote: str = "") -> dict[str, Any]:
    """A value as the page shows it: an IRI by its label (an evidence by its quote, a term by its local
    name), linked when it is ours; a literal as its text and language."""
    if isinstance(value, URIRef):
        iri = str(value)
        shown = pick(label, label_en) if label else (f"“{quote}”" if quote else "")
        if not shown:
            kind, slug = kind_slug(iri)
            shown = slug if kind else local(iri)
        return {"iri": iri, "href": local_href(iri), "text": shown}
    if isinstance(value, Literal):
        return {"text": str(value), "lang": value.language or ""}
    return {"text": str(value)}


def _type_label(out: list[dict[str, Any]]) -> str:
    """A resource outside the class registry (a prov:Agent, a rol:MeasureKind): its first type's label."""
    for r in out:
        if local(text(r, "p")) == "type":
            zh, en = text(r, "oLabel"), text(r, "oLabelEn")
            return t(zh, en) if zh and en else (zh or en or local(text(r, "o")))
    return ""


LABEL_PROPS = {"label", "prefLabel", "altLabel", "title"}  # shown once, under Labels, not as properties


CONTEXT = 80  # characters of report text shown each side of an evidence span


def entity_page(sel: Selector, iri: str) -> dict[str, Any] | None:
    """Context of an entity page, or None when the graph says nothing about ``iri``."""
    node = URIRef(iri)
    out = sel.select("read/entity/out", iri=node)
    incoming = sel.select("read/entity/in", iri=node)
    if not out and not incoming:
        return None
    labels: list[dict[str, Any]] = []
    for r in out:  # each distinct (text, language) once, with the properties that give it
        if local(text(r, "p")) not in LABEL_PROPS or not isinstance(r["o"], Literal):
            continue
        term = _term(r["o"])
        same = next((x for x in labels if (x["text"], x["lang"]) == (term["text"], term["lang"])), None)
        if same is None:
            labels.append(same := term | {"props": []})
        same["props"].append(property_label(text(r, "p")))
    types = [local(text(r, "o")) for r in out if local(text(r, "p")) == "type"]
    reg = registry()
    cls = reg.most_specific(types)
    props = [
        {
            "p": property_label(text(r, "p")),
            "piri": text(r, "p"),
            "o": _term(r["o"], text(r, "oLabel"), text(r, "oLabelEn"), text(r, "oQuote")),
        }
        for r in out
        # A report's full text is shown around evidence, labels under Labels, not as values.
        if local(text(r, "p")) != "text"
        and not (local(text(r, "p")) in LABEL_PROPS and isinstance(r["o"], Literal))
    ]
    inc = [
        {
            "p": property_label(text(r, "p")),
            "s": _term(r["s"], text(r, "sLabel"), text(r, "sLabelEn"), text(r, "sQuote")),
        }
        for r in incoming
    ]
    metrics = [
        {
            "indicator": text(r, "indicator"),
            "value": text(r, "value"),
            "unit": text(r, "unit"),
            "qualifiers": text(r, "qualifiers"),
            "quote": text(r, "quote"),
            "href": local_href(text(r, "metric")),
        }
        for r in sel.select("read/entity/metrics", iri=node)
    ]
    reports: dict[str, dict[str, Any]] = {}
    evidence = []
    for r in sel.select("read/entity/evidence", iri=node):
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
    zh = next((x["text"] for x in labels if x.get("lang") == "zh"), "")
    en = next((x["text"] for x in labels if x.get("lang") == "en"), "")
    return {
        "iri": iri,
        "kind": kind,
        "slug": slug,
        "title": pick(zh, en) or (labels[0]["text"] if labels else slug),
        "labels": labels,
        "types": types,
        "cls": cls or "",
        "cls_label": t(reg.label(cls), reg.label(cls, "en")) if cls else _type_label(out),
        "cls_list": bool(cls and reg.get(cls)),
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
        "title": text(r, "title") or text(r, "label"),  # an untitled report: its display label
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
        for r in text_search(sel, q.strip()):  # type: ignore[arg-type]  # the views' selector is a QueryLayer
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
