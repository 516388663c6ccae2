"""REST resources under ``/api``: reports, initiatives, bodies, documents, facilities, metrics, themes.

``{id}`` is the slug of the resource's IRI (``https://w3id.org/rolkg/id/{kind}/{id}``). JSON by default;
``Accept: application/ld+json`` gives the resource's triples as JSON-LD with the project context.
"""

from __future__ import annotations

from typing import Annotated
from typing import Literal as Lit

from fastapi import APIRouter, HTTPException, Query, Request, Response
from rdflib import Literal, URIRef
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
    ReportDetail,
    ReportSummary,
    SearchHit,
    SearchResults,
    Span,
    Stats,
    ThemeOut,
)
from rolkg.api.rdf_response import serialize_graph
from rolkg.api.readers import ANY, Neighbours, collect, iri_of, most_specific, ref, require, short_type, spans
from rolkg.graph import formats
from rolkg.graph.namespaces import DCTERMS, ORG, RDF, RDFS, ROL, SKOS
from rolkg.graph.query import QueryLayer
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


def _wants_jsonld(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return JSONLD in accept and "application/json" not in accept.split(JSONLD)[0]


def _jsonld(request: Request, iri: URIRef) -> Response | None:
    """The resource's triples as JSON-LD when the client asks for it, else None."""
    if not _wants_jsonld(request):
        return None
    graph = ctx(request).layer.construct("describe", iri=iri)
    return Response(serialize_graph(graph, formats.JSONLD), media_type=JSONLD, headers={"Vary": "Accept"})


def _page(items: list, limit: int, offset: int) -> tuple[int, list]:
    return len(items), items[offset : offset + limit]


# ---- reports -------------------------------------------------------------------------------------------


def _reports(layer: QueryLayer, report: URIRef = ANY) -> list[ReportSummary]:
    seen: dict[str, ReportSummary] = {}
    for row in layer.select("api-reports", report=report):
        iri = str(row["report"])
        if iri in seen:
            continue
        base = ref(row["report"], row.get("title"), ROL.Report)
        seen[iri] = ReportSummary(
            **base.model_dump(),
            title=str(row["title"]) if "title" in row else None,
            year=_int(row.get("year")),
            jurisdiction=str(row["jurisdiction"]) if "jurisdiction" in row else None,
            publisher=ref(row["publisher"], row.get("publisherLabel"), ROL.Body)
            if "publisher" in row
            else None,
            issued=str(row["issued"]) if "issued" in row else None,
            source=str(row["source"]) if "source" in row else None,
        )
    return list(seen.values())


@router.get("/reports", response_model=list[ReportSummary])
def list_reports(request: Request) -> list[ReportSummary]:
    """Every report, newest first."""
    return _reports(ctx(request).layer)


@router.get("/reports/{id}", response_model=ReportDetail, responses=NOT_FOUND)
def get_report(request: Request, id: str) -> ReportDetail | Response:
    """A report's metadata, full text and every evidence span in it (to highlight the text)."""
    layer = ctx(request).layer
    iri = iri_of("report", id)
    found = _reports(layer, iri)
    if not found:
        raise HTTPException(404, f"no report with id {id!r}")
    if (ld := _jsonld(request, iri)) is not None:
        return ld
    text_rows = layer.select("api-report-text", report=iri)
    by_span: dict[str, Span] = {}
    for row in layer.select("api-report-evidence", report=iri):
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
    return ReportDetail(
        **found[0].model_dump(),
        text=str(text_rows[0]["text"]) if text_rows else None,
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
    """Initiatives filtered by body (lead or partner), theme, year, report, kind and label text."""
    rows = ctx(request).layer.select(
        "api-initiatives",
        body=iri_of("body", body) if body else ANY,
        theme=iri_of("theme", theme) if theme else ANY,
        report=iri_of("report", report) if report else ANY,
        kind=_KINDS[kind] if kind else ANY,
        year=Literal(year or 0),
        q=Literal(q or ""),
    )
    items = _initiative_summaries(rows)
    total, page = _page(items, limit, offset)
    return InitiativePage(total=total, limit=limit, offset=offset, items=page)


def _initiative_summaries(rows: list[Row]) -> list[InitiativeSummary]:
    grouped: dict[str, InitiativeSummary] = {}
    for row in rows:
        iri = str(row["initiative"])
        if iri in grouped:
            continue
        base = ref(row["initiative"], row.get("label"), row.get("type"))
        grouped[iri] = InitiativeSummary(
            **base.model_dump(),
            year=_int(row.get("year")),
            report=str(row["report"]) if "report" in row else None,
            order=_int(row.get("order")),
        )
    return list(grouped.values())


def _metrics(layer: QueryLayer, **filters: object) -> list[MetricOut]:
    params = {
        "indicator": Literal(""),
        "unit": Literal(""),
        "report": ANY,
        "year": Literal(0),
        "measures": ANY,
        **filters,
    }
    grouped = collect(layer.select("api-metrics", **params), "metric")  # type: ignore[arg-type]
    out = []
    for metric, (_labels, _types, rows) in grouped.items():
        first = rows[0]
        measures = {
            str(r["measures"]): ref(r["measures"], r.get("measuresLabel")) for r in rows if "measures" in r
        }
        out.append(
            MetricOut(
                **ref(metric, first.get("indicator"), ROL.Metric).model_dump(),
                value=str(first["value"]) if "value" in first else None,
                unit=str(first["unit"]) if "unit" in first else None,
                indicator=str(first["indicator"]) if "indicator" in first else None,
                qualifiers=sorted({str(r["qualifier"]) for r in rows if "qualifier" in r}),
                measures=list(measures.values()),
                report=str(first["report"]) if "report" in first else None,
                year=_int(first.get("year")),
                evidence=spans(layer, metric),  # type: ignore[arg-type]
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
        metrics=_metrics(layer, measures=iri),
        recognitions=n.refs(ROL.recognizes, incoming=True),
        evidence=spans(layer, iri),
    )


# ---- bodies, documents, facilities -----------------------------------------------------------------------


def _entities(layer: QueryLayer, cls: URIRef, q: str | None, report: str | None) -> list[EntitySummary]:
    rows = layer.select(
        "api-entities",
        **{"class": cls},
        q=Literal(q or ""),
        report=iri_of("report", report) if report else ANY,
    )
    out = []
    for entity, (labels, _types, members) in collect(rows, "entity").items():
        from rolkg.api.readers import best_label

        reports = sorted({str(r["report"]) for r in members if "report" in r})
        out.append(EntitySummary(**ref(entity, best_label(labels), cls).model_dump(), reports=reports))
    return out


def _entity_page(
    request: Request, cls: URIRef, q: str | None, report: str | None, limit: int, offset: int
) -> EntityPage:
    items = _entities(ctx(request).layer, cls, q, report)
    total, page = _page(items, limit, offset)
    return EntityPage(total=total, limit=limit, offset=offset, items=page)


ReportFilter = Annotated[str | None, Query(max_length=200, pattern=r"^[a-z0-9-]+$", description="Report id")]


@router.get("/bodies", response_model=EntityPage)
def list_bodies(
    request: Request, q: Text = None, report: ReportFilter = None, limit: Limit = 50, offset: Offset = 0
) -> EntityPage:
    """Government bodies (one per canonical name across reports)."""
    return _entity_page(request, ROL.Body, q, report, limit, offset)


@router.get("/bodies/{id}", response_model=BodyDetail, responses=NOT_FOUND)
def get_body(request: Request, id: str) -> BodyDetail | Response:
    """A body with the initiatives it leads and partners in, documents it issued and facilities."""
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
        for r in layer.select("api-body-facilities", body=iri)
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
    )


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
    """Figures reported, filtered by indicator text, unit, report and report year."""
    items = _metrics(
        ctx(request).layer,
        indicator=Literal(indicator or ""),
        unit=Literal(unit or ""),
        report=iri_of("report", report) if report else ANY,
        year=Literal(year or 0),
    )
    total, page = _page(items, limit, offset)
    return MetricPage(total=total, limit=limit, offset=offset, items=page)


@router.get("/themes", response_model=list[ThemeOut])
def list_themes(request: Request) -> list[ThemeOut]:
    """The themes of rule-of-law work, with how many initiatives carry each."""
    return [
        ThemeOut(
            **ref(r["theme"], r.get("label"), ROL.Theme).model_dump(),
            label_en=str(r["labelEn"]) if "labelEn" in r else None,
            initiatives=_int(r.get("n")) or 0,
        )
        for r in ctx(request).layer.select("api-themes")
    ]


@router.get("/search", response_model=SearchResults)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Text to find in any label")],
    limit: Limit = 50,
) -> SearchResults:
    """Resources of every kind whose labels (zh or en, titles, variant names) contain ``q``."""
    grouped: dict[str, SearchHit] = {}
    for row in ctx(request).layer.select("api-search", q=Literal(q)):
        iri = str(row["s"])
        hit = grouped.get(iri)
        if hit is None:
            grouped[iri] = SearchHit(
                **ref(row["s"], row["matched"], row.get("type")).model_dump(), matched=str(row["matched"])
            )
        elif hit.type is None and short_type(row.get("type")):
            hit.type = short_type(row.get("type"))
    items = list(grouped.values())
    return SearchResults(q=q, total=len(items), items=items[:limit])


@router.get("/stats", response_model=Stats)
def stats(request: Request) -> Stats:
    """Size of the graph: triples, named graphs and instances per class."""
    context = ctx(request)
    classes = {
        short_type(r["class"]) or str(r["class"]): _int(r["n"]) or 0
        for r in context.layer.select("api-stats")
    }
    return Stats(
        triples=context.backend.triple_count(), graphs=len(context.backend.named_graphs()), classes=classes
    )


__all__ = ["RDF", "router"]
