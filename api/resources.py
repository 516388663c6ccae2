"""REST resources under ``/api``: reports, initiatives, bodies, documents, facilities, metrics, themes.

``{id}`` is the slug of the resource's IRI (``https://w3id.org/rolkg/id/{kind}/{id}``). JSON by default;
``Accept: application/ld+json`` gives the resource's triples as JSON-LD with the project context.
"""

from __future__ import annotations

from typing import Annotated
from typing import Literal as Lit

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from rdflib import Literal, URIRef
from rdflib.term import Node
from rolkg.api.context import ctx
from rolkg.api.models import (
    BodyDetail,
    DocumentDetail,
    EntityPage,
    EntitySummary,
    FacilityDetail,
    InitiativeDetail,
    InitiativePage,
    InitiativeSummary,
    MetricOut,
    MetricPage,
    Problem,
    Ref,
    RefPage,
    ReportDetail,
    ReportSummary,
    SearchHit,
    SearchResults,
    Span,
    Stats,
    ThemeOut,
)
from rolkg.api.paging import grouped_page
from rolkg.api.rdf_response import serialize_graph
from rolkg.api.readers import (
    ANY,
    INCOMING_CAP,
    Neighbours,
    best_label,
    collect,
    iri_of,
    most_specific,
    ref,
    require,
    short_type,
    spans,
    spans_of,
)
from rolkg.graph import formats
from rolkg.graph.namespaces import DCTERMS, ORG, RDF, RDFS, ROL, SKOS
from rolkg.graph.query import QueryLayer
from rolkg.graph.search import search as text_search
from rolkg.graph.store import Row

router = APIRouter(prefix="/api", tags=["resources"])
NOT_FOUND = {404: {"model": Problem, "description": "No such resource"}}
JSONLD = formats.JSONLD.media_type
_INITIATIVE_CLASSES = (ROL.Initiative, ROL.PlannedInitiative, ROL.Pilot)
_KINDS = {"done": ROL.Initiative, "planned": ROL.PlannedInitiative, "pilot": ROL.Pilot}

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]
Slug = Annotated[str, Query(min_length=1, max_length=200, pattern=r"^[a-z0-9-]+$")]
Text = Annotated[str | None, Query(min_length=1, max_length=200, description="Label substring (zh or en)")]


def _int(node: object) -> int | None:
    try:
        return int(node.toPython()) if node is not None else None  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None


def _types(row: Row) -> Node | None:
    """The most specific rol: class among a row's space-separated ``?types``."""
    return most_specific(URIRef(t) for t in str(row.get("types", "")).split())


def _wants_jsonld(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return JSONLD in accept and "application/json" not in accept.split(JSONLD)[0]


def _jsonld(request: Request, iri: URIRef) -> Response | None:
    """The resource's triples as JSON-LD when the client asks for it, else None."""
    if not _wants_jsonld(request):
        return None
    graph = ctx(request).layer.construct("describe", iri=iri)
    return Response(serialize_graph(graph, formats.JSONLD), media_type=JSONLD, headers={"Vary": "Accept"})


# ---- reports -------------------------------------------------------------------------------------------


def _report_summary(iri: Node, row: Row) -> ReportSummary:
    return ReportSummary(
        **ref(iri, row.get("title"), ROL.Report).model_dump(),
        title=str(row["title"]) if "title" in row else None,
        year=_int(row.get("year")),
        jurisdiction=str(row["jurisdiction"]) if "jurisdiction" in row else None,
        publisher=ref(row["publisher"], row.get("publisherLabel"), ROL.Body) if "publisher" in row else None,
        issued=str(row["issued"]) if "issued" in row else None,
        source=str(row["source"]) if "source" in row else None,
    )


@router.get("/reports", response_model=list[ReportSummary])
def list_reports(request: Request) -> list[ReportSummary]:
    """Every report, newest first."""
    rows = ctx(request).layer.select_cached("read/reports")  # the whole list: kept per store version
    return [_report_summary(row["report"], row) for row in rows]


@router.get("/reports/{id}", response_model=ReportDetail, responses=NOT_FOUND)
def get_report(request: Request, id: str) -> ReportDetail | Response:
    """A report's metadata, full text and every evidence span in it (to highlight the text)."""
    layer = ctx(request).layer
    iri = iri_of("report", id)
    found = layer.select("read/report", report=iri)
    if not found:
        raise HTTPException(404, f"no report with id {id!r}")
    if (ld := _jsonld(request, iri)) is not None:
        return ld
    by_span: dict[str, Span] = {}
    for row in layer.select("read/report-evidence", report=iri):
        key = str(row["evidence"])
        span = by_span.get(key)
        if span is None:
            span = by_span[key] = Span(
                iri=key,
                start=_int(row["start"]) or 0,
                end=_int(row["end"]) or 0,
                exact=str(row["exact"]),
            )
        if "about" in row and str(row["about"]) not in span.about:
            span.about.append(str(row["about"]))
    for span in by_span.values():
        span.about.sort()  # the same on every store, whatever order its rows come in
    return ReportDetail(
        **_report_summary(iri, found[0]).model_dump(),
        text=str(found[0]["text"]) if "text" in found[0] else None,
        evidence=sorted(by_span.values(), key=lambda s: (s.start, s.end)),
    )


# ---- initiatives ---------------------------------------------------------------------------------------


@router.get("/initiatives", response_model=InitiativePage)
def list_initiatives(
    request: Request,
    body: Annotated[str | None, Query(max_length=200, pattern=r"^[a-z0-9-]+$", description="Body id")] = None,
    theme: Annotated[
        str | None, Query(max_length=200, pattern=r"^[a-z0-9-]+$", description="Theme id")
    ] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    report: Annotated[
        str | None, Query(max_length=200, pattern=r"^[a-z0-9-]+$", description="Report id")
    ] = None,
    kind: Annotated[Lit["done", "planned", "pilot"] | None, Query()] = None,
    q: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> InitiativePage:
    """Initiatives filtered by body (lead or partner), theme, year, report, kind and label text; sorted by
    report, then id."""
    total, rows = grouped_page(
        ctx(request).layer,
        "read/initiatives",
        limit=limit,
        offset=offset,
        body=iri_of("body", body) if body else ANY,
        theme=iri_of("theme", theme) if theme else ANY,
        report=iri_of("report", report) if report else ANY,
        kind=_KINDS[kind] if kind else ANY,
        year=Literal(year or 0),
        q=Literal(q or ""),
    )
    items = [
        InitiativeSummary(
            **ref(row["initiative"], row.get("label"), _types(row)).model_dump(),
            year=_int(row.get("year")),
            report=str(row["group"]),
            order=_int(row.get("order")),
        )
        for row in rows
    ]
    return InitiativePage(total=total, limit=limit, offset=offset, items=items)


def _metric_outs(layer: QueryLayer, metrics: list[Node]) -> list[MetricOut]:
    """What each metric says, with its evidence, in the order given: two queries for any number."""
    if not metrics:
        return []
    grouped = collect(layer.select("read/metrics/details", metrics=metrics), "metric")
    evidence = spans_of(layer, metrics)
    out = []
    for metric in metrics:
        if metric not in grouped:
            continue
        members = grouped[metric][2]
        first = members[0]
        measures = {
            str(r["measures"]): ref(r["measures"], r.get("measuresLabel")) for r in members if "measures" in r
        }
        out.append(
            MetricOut(
                **ref(metric, first.get("indicator"), ROL.Metric).model_dump(),
                value=str(first["value"]) if "value" in first else None,
                unit=str(first["unit"]) if "unit" in first else None,
                indicator=str(first["indicator"]) if "indicator" in first else None,
                qualifiers=sorted({str(r["qualifier"]) for r in members if "qualifier" in r}),
                measures=list(measures.values()),
                report=str(first["report"]) if "report" in first else None,
                year=_int(first.get("year")),
                evidence=evidence[metric],
            )
        )
    return out


@router.get("/initiatives/{id}", response_model=InitiativeDetail, responses=NOT_FOUND)
def get_initiative(request: Request, id: str) -> InitiativeDetail | Response:
    """An initiative with its bodies, documents, facilities, pilots, metrics, recognitions, themes, evidence."""
    layer = ctx(request).layer
    iri = iri_of("initiative", id)
    n = Neighbours(layer, iri)
    require(n, _INITIATIVE_CLASSES, "initiative", id)
    if (ld := _jsonld(request, iri)) is not None:
        return ld
    produced_docs = n.refs(ROL.produces, of_type=[ROL.Document])
    implemented = n.refs(ROL.implements)
    parts = n.refs(ROL.partOf)
    label = n.value(RDFS.label)
    description = n.value(DCTERMS.description)
    report = n.value(ROL.report)
    return InitiativeDetail(
        **ref(iri, label, most_specific(n.types())).model_dump(),
        year=_int(n.value(ROL.year)),
        report=str(report) if report is not None else None,
        order=_int(n.value(ROL.order)),
        description=str(description) if description is not None else None,
        part_of=parts[0] if parts else None,
        lead_bodies=n.refs(ROL.leadBody),
        partner_bodies=n.refs(ROL.partnerBody),
        themes=n.refs(ROL.theme),
        documents=sorted({r.iri: r for r in produced_docs + implemented}.values(), key=lambda r: r.iri),
        facilities=n.refs(ROL.produces, of_type=[ROL.Facility]),
        pilots=n.refs(ROL.produces, of_type=[ROL.Pilot]),
        parts=n.refs(ROL.partOf, incoming=True),
        metrics=_metric_outs(layer, sorted(n.subjects(ROL.measures), key=str)),
        recognitions=n.refs(ROL.recognizes, incoming=True),
        evidence=spans(layer, iri),
        capped=n.capped({"parts": ROL.partOf, "recognitions": ROL.recognizes, "metrics": ROL.measures}),
    )


# ---- bodies, documents, facilities -----------------------------------------------------------------------


def _entity_page(
    request: Request, cls: URIRef, q: str | None, report: str | None, limit: int, offset: int
) -> EntityPage:
    layer = ctx(request).layer
    filters: dict[str, Node] = {
        "cls": cls,
        "q": Literal(q or ""),
        "report": iri_of("report", report) if report else ANY,
    }
    counted = layer.select_cached("read/entities/count", **filters)
    total = (_int(counted[0].get("total")) or 0) if counted else 0
    rows = layer.select_page("read/entities/page", limit=limit, offset=offset, **filters)
    items = [
        EntitySummary(
            **ref(r["entity"], r.get("label"), cls).model_dump(),
            reports=sorted(str(r.get("reports", "")).split()),
        )
        for r in rows
        if "entity" in r
    ]
    return EntityPage(total=total, limit=limit, offset=offset, items=items)


ReportFilter = Annotated[str | None, Query(max_length=200, pattern=r"^[a-z0-9-]+$", description="Report id")]


@router.get("/bodies", response_model=EntityPage)
def list_bodies(
    request: Request, q: Text = None, report: ReportFilter = None, limit: Limit = 50, offset: Offset = 0
) -> EntityPage:
    """Government bodies (one per canonical name across reports)."""
    return _entity_page(request, ROL.Body, q, report, limit, offset)


@router.get("/bodies/{id}", response_model=BodyDetail, responses=NOT_FOUND)
def get_body(request: Request, id: str) -> BodyDetail | Response:
    """A body with the initiatives it leads and partners in, documents it issued and facilities (the first
    few hundred of each; ``capped`` says where all of them are)."""
    layer = ctx(request).layer
    iri = iri_of("body", id)
    n = Neighbours(layer, iri)
    require(n, [ROL.Body], "body", id)
    if (ld := _jsonld(request, iri)) is not None:
        return ld
    parents = n.refs(ORG.subOrganizationOf)
    pref = n.value(SKOS.prefLabel)
    level = n.value(ROL.level)
    facilities = [
        ref(r["facility"], r.get("label"), ROL.Facility)
        for r in layer.select_page("read/body-facilities", limit=INCOMING_CAP, body=iri)
    ]
    return BodyDetail(
        **ref(iri, n.value(RDFS.label) or pref, ROL.Body).model_dump(),
        reports=sorted(str(r) for r in n.values(ROL.mentionedIn)),
        pref_label=str(pref) if pref is not None else None,
        alt_labels=sorted(str(v) for v in n.values(SKOS.altLabel)),
        level=str(level) if level is not None else None,
        parent=parents[0] if parents else None,
        leads=n.refs(ROL.leadBody, incoming=True),
        partners_in=n.refs(ROL.partnerBody, incoming=True),
        documents=n.refs(DCTERMS.creator, incoming=True, of_type=[ROL.Document]),
        facilities=sorted({f.iri: f for f in facilities}.values(), key=lambda r: r.iri),
        evidence=spans(layer, iri),
        capped=n.capped(
            {"leads": ROL.leadBody, "partners_in": ROL.partnerBody, "documents": DCTERMS.creator}
        ),
    )


@router.get("/documents", response_model=EntityPage)
def list_documents(
    request: Request, q: Text = None, report: ReportFilter = None, limit: Limit = 50, offset: Offset = 0
) -> EntityPage:
    """Documents (policies, plans, agreements …) named in the reports."""
    return _entity_page(request, ROL.Document, q, report, limit, offset)


@router.get("/documents/{id}", response_model=DocumentDetail, responses=NOT_FOUND)
def get_document(request: Request, id: str) -> DocumentDetail | Response:
    """A document with who issued it, which initiatives produced or implement it, recognitions."""
    layer = ctx(request).layer
    iri = iri_of("document", id)
    n = Neighbours(layer, iri)
    require(n, [ROL.Document], "document", id)
    if (ld := _jsonld(request, iri)) is not None:
        return ld
    title = n.value(DCTERMS.title)
    kind = n.value(ROL.documentKind)
    return DocumentDetail(
        **ref(iri, n.value(RDFS.label) or title, ROL.Document).model_dump(),
        reports=sorted(str(r) for r in n.values(ROL.mentionedIn)),
        title=str(title) if title is not None else None,
        document_kind=str(kind) if kind is not None else None,
        alt_labels=sorted(str(v) for v in n.values(SKOS.altLabel)),
        creators=n.refs(DCTERMS.creator),
        produced_by=n.refs(ROL.produces, incoming=True),
        implemented_by=n.refs(ROL.implements, incoming=True),
        recognitions=n.refs(ROL.recognizes, incoming=True),
        evidence=spans(layer, iri),
        capped=n.capped(
            {"produced_by": ROL.produces, "implemented_by": ROL.implements, "recognitions": ROL.recognizes}
        ),
    )


@router.get("/facilities", response_model=EntityPage)
def list_facilities(
    request: Request, q: Text = None, report: ReportFilter = None, limit: Limit = 50, offset: Offset = 0
) -> EntityPage:
    """Facilities (centres, stations, bases …) set up by initiatives."""
    return _entity_page(request, ROL.Facility, q, report, limit, offset)


@router.get("/facilities/{id}", response_model=FacilityDetail, responses=NOT_FOUND)
def get_facility(request: Request, id: str) -> FacilityDetail | Response:
    """A facility and the initiatives that produced it."""
    layer = ctx(request).layer
    iri = iri_of("facility", id)
    n = Neighbours(layer, iri)
    require(n, [ROL.Facility], "facility", id)
    if (ld := _jsonld(request, iri)) is not None:
        return ld
    kind = n.value(ROL.facilityType)
    return FacilityDetail(
        **ref(iri, n.value(RDFS.label), ROL.Facility).model_dump(),
        reports=sorted(str(r) for r in n.values(ROL.mentionedIn)),
        facility_kind=str(kind) if kind is not None else None,
        count=_int(n.value(ROL["count"])),
        produced_by=n.refs(ROL.produces, incoming=True),
        evidence=spans(layer, iri),
        capped=n.capped({"produced_by": ROL.produces}),
    )


_KIND = Annotated[str, Path(pattern=r"^[a-z]+$", max_length=40, description="IRI kind: body, document, …")]
_PROPERTY = Annotated[
    str,
    Query(max_length=300, pattern=r"^https?://[^\s<>\"{}|\\^`]+$", description="IRI of the linking property"),
]


@router.get("/incoming/{kind}/{id}", response_model=RefPage, responses=NOT_FOUND)
def incoming(
    request: Request, kind: _KIND, id: str, property: _PROPERTY, limit: Limit = 50, offset: Offset = 0
) -> RefPage:
    """All resources linking to ``/id/{kind}/{id}`` by ``property``, paged in IRI order (the rest of a
    detail answer's ``capped`` list)."""
    layer = ctx(request).layer
    iri = iri_of(kind, id)
    if not layer.ask("exists", iri=iri):
        raise HTTPException(404, f"no {kind} with id {id!r}")
    prop = URIRef(property)
    counts = {r["p"]: _int(r["n"]) or 0 for r in layer.select("read/in-counts", iri=iri)}
    grouped: dict[Node, tuple[list[Node], list[Node]]] = {}
    for row in layer.select_page("read/in", limit=limit, offset=offset, iri=iri, p=prop):
        labels, types = grouped.setdefault(row["s"], ([], []))
        if "label" in row:
            labels.append(row["label"])
        if "type" in row:
            types.append(row["type"])
    items: list[Ref] = [ref(s, best_label(lab), most_specific(ty)) for s, (lab, ty) in grouped.items()]
    return RefPage(total=counts.get(prop, 0), limit=limit, offset=offset, items=items)


# ---- metrics, themes, search, stats ----------------------------------------------------------------------


@router.get("/metrics", response_model=MetricPage)
def list_metrics(
    request: Request,
    indicator: Text = None,
    unit: Annotated[str | None, Query(min_length=1, max_length=20)] = None,
    report: ReportFilter = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> MetricPage:
    """Figures reported, filtered by indicator text, unit, report and report year; sorted by report, then id."""
    layer = ctx(request).layer
    total, rows = grouped_page(
        layer,
        "read/metrics",
        limit=limit,
        offset=offset,
        indicator=Literal(indicator or ""),
        unit=Literal(unit or ""),
        report=iri_of("report", report) if report else ANY,
        year=Literal(year or 0),
    )
    items = _metric_outs(layer, [row["metric"] for row in rows])
    return MetricPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/themes", response_model=list[ThemeOut])
def list_themes(request: Request) -> list[ThemeOut]:
    """The themes of rule-of-law work, with how many initiatives carry each."""
    return [
        ThemeOut(
            **ref(r["theme"], r.get("label"), ROL.Theme).model_dump(),
            label_en=str(r["labelEn"]) if "labelEn" in r else None,
            initiatives=_int(r.get("n")) or 0,
        )
        for r in ctx(request).layer.select_cached("read/themes")
    ]


@router.get("/search", response_model=SearchResults)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Text to find in any label")],
    limit: Limit = 50,
) -> SearchResults:
    """Resources of every kind whose labels (zh or en, titles, variant names, indicators, descriptions)
    contain ``q``, shortest match first (at most 200: ``total`` counts those)."""
    items = [
        SearchHit(**ref(row["node"], row["matched"], _types(row)).model_dump(), matched=str(row["matched"]))
        for row in text_search(ctx(request).layer, q)
    ]
    return SearchResults(q=q, total=len(items), items=items[:limit])


@router.get("/stats", response_model=Stats)
def stats(request: Request) -> Stats:
    """Size of the graph: triples, named graphs and instances per class (counted once per store version)."""
    context = ctx(request)
    layer, backend = context.layer, context.backend
    classes = {
        short_type(r["class"]) or str(r["class"]): _int(r["n"]) or 0
        for r in layer.select_cached("read/stats")
    }
    return Stats(
        triples=layer.cached("stats:triples", backend.triple_count),
        graphs=layer.cached("stats:graphs", lambda: len(backend.named_graphs())),
        classes=classes,
    )


__all__ = ["RDF", "router"]
