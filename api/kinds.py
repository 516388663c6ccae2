"""``/api/kinds``: kinds of measure (``ontology/kinds.ttl``) and where each was adopted, first when."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, Field
from rdflib import URIRef
from rdflib.term import Node
from rolkg.api.context import ctx
from rolkg.api.models import Problem, Ref
from rolkg.api.readers import Neighbours, iri_of, ref
from rolkg.graph.query import EVERY, QueryLayer
from rolkg.graph.store.base import Row

router = APIRouter(prefix="/api", tags=["kinds"])
NOT_FOUND = {404: {"model": Problem, "description": "No such kind"}}


class Kind(BaseModel):
    iri: str
    id: str
    zh: str
    en: str
    applies_to: str = Field(
        description="Facility (matched on facility names) or Initiative (on measures' text)"
    )
    places: int = Field(description="Places whose reports mention something of this kind")
    things: int = Field(description="Facilities or measures of this kind")


class Mention(BaseModel):
    """One report's words about one facility or measure of the kind."""

    thing: Ref
    report: str = Field(description="IRI of the report")
    year: int
    count: int | None = Field(None, description="How many the report says there are, when it says")
    evidence: str = Field(description="IRI of the evidence")
    exact: str = Field(description="The report's words")
    context: str = Field(description="The words with up to 30 characters either side")


class PlaceAdoption(BaseModel):
    place: str
    first_year: int = Field(description="The first year a report of the place mentions the kind")
    years: list[int]
    things: list[Ref] = Field(description="The place's facilities or measures of the kind")
    count: int | None = Field(None, description="The largest count any report gives for them, when given")
    mentions: list[Mention]


class Adoption(BaseModel):
    kind: Kind
    places: list[PlaceAdoption] = Field(description="Ordered by first year, then place")


def kinds(layer: QueryLayer) -> list[Kind]:
    return [
        Kind(
            iri=str(r["kind"]),
            id=str(r["kind"]).rsplit("/", 1)[-1],
            zh=str(r["zh"]),
            en=str(r["en"]),
            applies_to=str(r["appliesTo"]).rsplit("#", 1)[-1],
            places=int(r["places"]),
            things=int(r["things"]),
        )
        for r in layer.select_cached("read/kinds")
    ]


ADOPTION_COLUMNS = ("thing", "label", "class", "report", "year", "place", "placeName", "count", "evidence", "exact",
                    "start", "context")  # fmt: skip


def adoption_rows(layer: QueryLayer, iri: str) -> list[Row]:
    """``read/kind-adoption``'s rows for the kind ``iri``. A store whose answers are kept is asked for every
    kind at once (4.5 s at 1M quads, once, in serve's warm-up) and each kind's rows are kept apart, as
    tuples sharing repeated terms (4,767 rows at 1M: 11.6 MB as rows, 2.3 MB so); elsewhere each kind is
    asked for alone (0.5-1.1 s at 1M)."""
    if not layer.keeps_answers:
        return layer.select_cached("read/kind-adoption", kinds=[URIRef(iri)])

    def by_kind() -> dict[str, list[tuple[Node | None, ...]]]:
        grouped: dict[str, list[tuple[Node | None, ...]]] = {}
        shared: dict[Node, Node] = {}  # a report, place, label or class named in many rows: one object
        for row in layer.select("read/kind-adoption", kinds=EVERY):
            values = (row.get(c) for c in ADOPTION_COLUMNS)
            kept = tuple(None if v is None else shared.setdefault(v, v) for v in values)
            grouped.setdefault(str(row["kind"]), []).append(kept)
        return grouped

    kept = layer.cached("read/kind-adoption:every", by_kind).get(iri, [])
    kind = URIRef(iri)
    return [
        {"kind": kind} | {c: v for c, v in zip(ADOPTION_COLUMNS, row, strict=True) if v is not None}
        for row in kept
    ]


def adoption(layer: QueryLayer, kind: Kind) -> Adoption:
    """Where ``kind`` was adopted: per place, the first year, the years, the things, counts and mentions."""
    by_place: dict[str, PlaceAdoption] = {}
    for row in adoption_rows(layer, kind.iri):
        place = str(row["placeName"])
        year = int(row["year"])
        count = int(row["count"]) if "count" in row else None
        pa = by_place.setdefault(
            place, PlaceAdoption(place=place, first_year=year, years=[], things=[], mentions=[])
        )
        pa.first_year = min(pa.first_year, year)
        if year not in pa.years:
            pa.years.append(year)
        thing = ref(row["thing"], row["label"], row["class"])
        if all(t.iri != thing.iri for t in pa.things):
            pa.things.append(thing)
        if count is not None:
            pa.count = max(pa.count or 0, count)
        pa.mentions.append(
            Mention(
                thing=thing,
                report=str(row["report"]),
                year=year,
                count=count,
                evidence=str(row["evidence"]),
                exact=str(row["exact"]),
                context=str(row.get("context", row["exact"])),
            )
        )
    for pa in by_place.values():
        pa.years.sort()
    places = sorted(by_place.values(), key=lambda p: (p.first_year, p.place))
    return Adoption(kind=kind, places=places)


@router.get("/kinds", response_model=list[Kind])
def list_kinds(request: Request) -> list[Kind]:
    """Every kind of measure, with how many places adopted it."""
    return kinds(ctx(request).layer)


@router.get("/kinds/{id}/adoption", response_model=Adoption, responses=NOT_FOUND)
def kind_adoption(
    request: Request,
    id: Annotated[str, Path(description="The kind's slug, e.g. rule-of-law-practice-station")],
) -> Adoption:
    """The places that set up things of this kind, the first year each mentions it, counts, evidence."""
    layer = ctx(request).layer
    iri = iri_of("kind", id)
    found = next((k for k in kinds(layer) if k.iri == str(iri)), None)
    if found is None or not Neighbours(layer, iri).exists:
        raise HTTPException(404, f"no kind with id {id!r}")
    return adoption(layer, found)
