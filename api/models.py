"""Pydantic models of every JSON body the API returns (they make the OpenAPI schema at /docs exact)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    store: Literal["embedded", "remote"]
    triples: int | None = Field(None, description="Quads in the store")
    idle_workers: int = Field(description="SPARQL worker processes waiting for a query")
    warm: bool | None = Field(
        None,
        description="The start-up warm-up (whole-store answers, search index) has finished; null when "
        "this server does not warm up",
    )
    detail: str | None = None


class Problem(BaseModel):
    """An error: what went wrong, in words."""

    detail: str


class Ref(BaseModel):
    """A link to another resource: its IRI, kind, slug (the REST id) and display label."""

    iri: str
    kind: str | None = Field(None, description="IRI kind: initiative, body, document, …")
    id: str | None = Field(None, description="Slug: the {id} of /api/{kind}s/{id}")
    label: str | None = None
    type: str | None = Field(None, description="Most specific rol: class, e.g. PlannedInitiative")


class Span(BaseModel):
    """Words of a report that support a fact: ``text[start:end] == exact``."""

    iri: str
    start: int
    end: int
    exact: str
    about: list[str] = Field(default_factory=list, description="IRIs of the resources this span supports")


class ReportSummary(Ref):
    title: str | None = None
    year: int | None = None
    jurisdiction: str | None = None
    publisher: Ref | None = None
    issued: str | None = None
    source: str | None = None


class ReportDetail(ReportSummary):
    text: str | None = Field(None, description="Full text as ingested; evidence offsets index into it")
    evidence: list[Span] = Field(default_factory=list)


class InitiativeSummary(Ref):
    year: int | None = None
    report: str | None = Field(None, description="IRI of the report")
    order: int | None = None


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class InitiativePage(Page):
    items: list[InitiativeSummary]


class MetricOut(Ref):
    value: str | None = Field(None, description="Normalised decimal, as a string to keep precision")
    unit: str | None = None
    indicator: str | None = None
    qualifiers: list[str] = Field(default_factory=list)
    measures: list[Ref] = Field(default_factory=list)
    report: str | None = None
    year: int | None = None
    evidence: list[Span] = Field(default_factory=list)


class MetricPage(Page):
    items: list[MetricOut]


class Capped(BaseModel):
    """Links into a resource by one property that were too many to list: how many, and where all of them are."""

    field: str = Field(description="The field of this answer that lists the first ones, e.g. leads")
    property: str = Field(description="IRI of the property linking them to this resource")
    total: int
    shown: int
    more: str = Field(description="Path of the paged list of all of them")


class CappedLinks(BaseModel):
    capped: list[Capped] = Field(
        default_factory=list, description="Incoming links listed only in part (a hub body has thousands)"
    )


class RefPage(Page):
    items: list[Ref]


class InitiativeDetail(InitiativeSummary, CappedLinks):
    description: str | None = None
    part_of: Ref | None = None
    lead_bodies: list[Ref] = Field(default_factory=list)
    partner_bodies: list[Ref] = Field(default_factory=list)
    themes: list[Ref] = Field(default_factory=list)
    documents: list[Ref] = Field(default_factory=list, description="Documents it produces or implements")
    facilities: list[Ref] = Field(default_factory=list)
    pilots: list[Ref] = Field(default_factory=list)
    parts: list[Ref] = Field(default_factory=list, description="Finer measures (rol:partOf this)")
    metrics: list[MetricOut] = Field(default_factory=list)
    recognitions: list[Ref] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)


class EntitySummary(Ref):
    reports: list[str] = Field(default_factory=list, description="IRIs of the reports that mention it")


class EntityPage(Page):
    items: list[EntitySummary]


class BodyDetail(EntitySummary, CappedLinks):
    pref_label: str | None = None
    alt_labels: list[str] = Field(default_factory=list)
    level: str | None = None
    parent: Ref | None = None
    leads: list[Ref] = Field(default_factory=list)
    partners_in: list[Ref] = Field(default_factory=list)
    documents: list[Ref] = Field(default_factory=list, description="Documents it issued (dcterms:creator)")
    facilities: list[Ref] = Field(default_factory=list, description="Facilities its initiatives produced")
    evidence: list[Span] = Field(default_factory=list)


class DocumentDetail(EntitySummary, CappedLinks):
    title: str | None = None
    document_kind: str | None = None
    alt_labels: list[str] = Field(default_factory=list)
    creators: list[Ref] = Field(default_factory=list)
    produced_by: list[Ref] = Field(default_factory=list)
    implemented_by: list[Ref] = Field(default_factory=list)
    recognitions: list[Ref] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)


class FacilityDetail(EntitySummary, CappedLinks):
    facility_kind: str | None = None
    count: int | None = None
    produced_by: list[Ref] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)


class ThemeOut(Ref):
    label_en: str | None = None
    initiatives: int = 0


class SearchHit(Ref):
    matched: str = Field(description="The label that matched")


class SearchResults(BaseModel):
    q: str
    total: int
    items: list[SearchHit]


class LineageEdge(BaseModel):
    source: str = Field(description="Subject IRI of the lineage statement")
    target: str = Field(description="Object IRI")
    relation: str = Field(description="continues | implements | addresses | scaledFrom | produces | measures")
    evidence: list[Span] = Field(default_factory=list)


class Lineage(BaseModel):
    root: str
    direction: Literal["up", "down", "both"]
    depth: int
    nodes: list[Ref]
    edges: list[LineageEdge]


class Stats(BaseModel):
    triples: int
    graphs: int
    classes: dict[str, int] = Field(description="Instances per rol: class")
