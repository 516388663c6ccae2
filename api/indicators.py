"""Indicators, their observations (a place's series; JSON or CSV) and figure checks, under ``/api``.

``/api/indicators/{id}/observations`` answers the series question for one indicator and its narrower
ones: ``place`` (one place), ``within`` (every place within one, e.g. all counties of a city), ``year``.
Ids are slugs: ``admin-reconsideration-received``, ``zhejiangshengningboshicixishi``.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated
from typing import Literal as Lit

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from rdflib import Literal, URIRef
from rolkg.api.context import ctx
from rolkg.api.models import Problem, Ref, Span
from rolkg.api.readers import iri_of, ref
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import Row

router = APIRouter(prefix="/api", tags=["indicators"])
NOT_FOUND = {404: {"model": Problem, "description": "No such indicator"}}
PlaceSlug = Annotated[
    str | None, Query(min_length=1, max_length=200, pattern=r"^[a-z0-9-]+$", description="Place id (slug)")
]
Year = Annotated[int | None, Query(ge=1949, le=2100, description="Year")]


class IndicatorOut(Ref):
    """One indicator of the scheme."""

    label_en: str | None = None
    definition: str | None = None
    units: list[str] = Field(default_factory=list)
    broader: Ref | None = None
    observations: int = Field(0, description="Figures in the store that count this indicator (levels)")


class ObservationOut(BaseModel):
    """One figure of a series: place, year, indicator, value, unit, and the words it comes from."""

    metric: Ref
    place: Ref
    year: int
    indicator: Ref
    value: str = Field(description="Normalised decimal, as a string to keep precision")
    unit: str
    report: Ref
    matched_form: str | None = Field(None, description="The scheme's form that matched")
    evidence: Span | None = None


class Observations(BaseModel):
    indicator: IndicatorOut
    total: int
    items: list[ObservationOut]


class CheckOut(BaseModel):
    """A stated change checked against the base year's figure of the same place and indicator."""

    check: Ref
    status: Lit["consistent", "inconsistent"]
    place: Ref
    indicator: Ref
    year: int
    base_year: int
    figure: Ref
    figure_value: str
    unit: str
    figure_exact: str
    change: Ref
    change_exact: str
    previous: Ref
    previous_value: str
    previous_exact: str
    implied: str = Field(description="The base-year value the figure and its change imply")
    deviation: str = Field(description="|implied − previous| / previous")
    figure_report: Ref
    previous_report: Ref


class Checks(BaseModel):
    total: int
    items: list[CheckOut]


def _s(row: Row, name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


def _indicators(layer: QueryLayer, indicator: URIRef | None = None) -> list[IndicatorOut]:
    rows = layer.select("indicators/list", indicator=indicator)
    out: dict[str, IndicatorOut] = {}
    for r in rows:
        iri = str(r["indicator"])
        if iri in out:
            continue
        broader = r.get("broader")
        item = IndicatorOut(
            **ref(r["indicator"], r.get("zh")).model_dump(),
            label_en=_s(r, "en"),
            definition=_s(r, "definition"),
            units=sorted(u for u in (_s(r, "units") or "").split("|") if u),
            broader=ref(broader, r.get("broaderLabel")) if broader is not None else None,
            observations=int(r["observations"]),
        )
        out[iri] = item
    return list(out.values())


def _indicator(request: Request, slug: str) -> IndicatorOut:
    found = _indicators(ctx(request).layer, iri_of("indicator", slug))
    if not found:
        raise HTTPException(404, f"no indicator with id {slug!r}")
    return found[0]


@router.get("/indicators", response_model=list[IndicatorOut], summary="The indicators of the scheme")
def list_indicators(request: Request) -> list[IndicatorOut]:
    """Every indicator of the scheme ``rol:indicators``, with its units, broader indicator and how many
    figures in the store count it."""
    return _indicators(ctx(request).layer)


@router.get("/indicators/{id}", response_model=IndicatorOut, responses=NOT_FOUND, summary="One indicator")
def get_indicator(request: Request, id: str) -> IndicatorOut:
    return _indicator(request, id)


def observations(
    layer: QueryLayer, indicator: URIRef, place: URIRef | None, within: URIRef | None, year: int | None
) -> list[ObservationOut]:
    """The series of ``indicator`` (narrower indicators included), filtered; one item per figure."""
    rows = layer.select(
        "cq/cq20-place-series-of-indicator",
        indicator=indicator,
        place=place,
        within=within,
        year=Literal(year) if year is not None else None,
    )
    out: dict[str, ObservationOut] = {}
    for r in rows:
        key = str(r["metric"])
        if key in out:
            continue
        evidence = None
        if r.get("evidence") is not None and r.get("start") is not None:
            evidence = Span(
                iri=str(r["evidence"]),
                start=int(r["start"]),
                end=int(r["end"]),
                exact=str(r["exact"]),
                about=[key],
            )
        out[key] = ObservationOut(
            metric=ref(r["metric"]),
            place=ref(r["place"], r.get("placeLabel")),
            year=int(r["year"]),
            indicator=ref(r["concept"], r.get("conceptLabel")),
            value=str(r["value"]),
            unit=str(r["unit"]),
            report=ref(r["report"]),
            matched_form=_s(r, "form"),
            evidence=evidence,
        )
    return list(out.values())


CSV_COLUMNS = (
    "place",
    "place_label",
    "year",
    "indicator",
    "indicator_label",
    "value",
    "unit",
    "report",
    "evidence",
)


def observations_csv(items: list[ObservationOut]) -> str:
    """The series as CSV, one figure a row (text cells are data: quoted by the csv module, never evaluated)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for o in items:
        exact = o.evidence.exact if o.evidence else ""
        # a leading = + - @ would be a formula to a spreadsheet: prefix a quote
        cells = [
            o.place.id,
            o.place.label,
            o.year,
            o.indicator.id,
            o.indicator.label,
            o.value,
            o.unit,
            o.report.id,
            exact,
        ]
        writer.writerow(["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in cells])
    return buffer.getvalue()


@router.get(
    "/indicators/{id}/observations",
    response_model=Observations,
    responses={**NOT_FOUND, 200: {"content": {"text/csv": {}}, "description": "The series (JSON, or CSV)"}},
    summary="The series of an indicator, per place and year",
)
def get_observations(
    request: Request,
    id: str,
    place: PlaceSlug = None,
    within: PlaceSlug = None,
    year: Year = None,
    format: Annotated[Lit["json", "csv"] | None, Query(description="csv, or send Accept: text/csv")] = None,
) -> Response | Observations:
    """Every figure counting this indicator (or a narrower one) in ``place``, or in the places ``within``
    a place, optionally of one ``year``; JSON, or CSV with ``format=csv`` / ``Accept: text/csv``."""
    indicator = _indicator(request, id)
    items = observations(
        ctx(request).layer,
        URIRef(indicator.iri),
        iri_of("place", place) if place else None,
        iri_of("place", within) if within else None,
        year,
    )
    wants_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    if wants_csv:
        return _csv_response(id, items)
    return Observations(indicator=indicator, total=len(items), items=items)


def _csv_response(id: str, items: list[ObservationOut]) -> Response:
    return Response(
        observations_csv(items),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{id}.csv"', "Vary": "Accept"},
    )


@router.get(
    "/indicators/{id}/observations.csv",
    response_class=Response,
    responses={**NOT_FOUND, 200: {"content": {"text/csv": {}}, "description": "The series as CSV"}},
    summary="The series of an indicator as CSV",
)
def get_observations_csv(
    request: Request, id: str, place: PlaceSlug = None, within: PlaceSlug = None, year: Year = None
) -> Response:
    """The same series as ``/api/indicators/{id}/observations``, always CSV (for download links)."""
    indicator = _indicator(request, id)
    items = observations(
        ctx(request).layer,
        URIRef(indicator.iri),
        iri_of("place", place) if place else None,
        iri_of("place", within) if within else None,
        year,
    )
    return _csv_response(id, items)


def checks(
    layer: QueryLayer, status: str | None = None, place: URIRef | None = None, indicator: URIRef | None = None
) -> list[CheckOut]:
    """Figure checks, optionally of one status, place or indicator (narrower ones included)."""
    rows = layer.select(
        "indicators/checks",
        status=Literal(status) if status else None,
        place=place,
        indicator=indicator,
    )
    out: dict[str, CheckOut] = {}
    for r in rows:
        key = str(r["check"])
        if key in out:
            continue
        out[key] = CheckOut(
            check=ref(r["check"], r.get("label")),
            status=str(r["status"]),  # type: ignore[arg-type]
            place=ref(r["place"], r.get("placeLabel")),
            indicator=ref(r["indicator"], r.get("indicatorLabel")),
            year=int(r["year"]),
            base_year=int(r["baseYear"]),
            figure=ref(r["figure"]),
            figure_value=str(r["figureValue"]),
            unit=str(r["unit"]),
            figure_exact=str(r["figureExact"]),
            change=ref(r["change"]),
            change_exact=str(r["changeExact"]),
            previous=ref(r["previous"]),
            previous_value=str(r["previousValue"]),
            previous_exact=str(r["previousExact"]),
            implied=str(r["implied"]),
            deviation=str(r["deviation"]),
            figure_report=ref(r["figureReport"]),
            previous_report=ref(r["previousReport"]),
        )
    return list(out.values())


@router.get("/checks", response_model=Checks, summary="Figure checks")
def list_checks(
    request: Request,
    status: Annotated[Lit["consistent", "inconsistent"] | None, Query(description="Only this status")] = None,
    place: PlaceSlug = None,
    indicator: Annotated[
        str | None, Query(min_length=1, max_length=200, pattern=r"^[a-z0-9-]+$", description="Indicator id")
    ] = None,
) -> Checks:
    """Each stated change (同比上升…, 较2022年增加…) checked against the base year's figure for the same
    place and indicator: both figures, their words, the implied value and whether they agree within 1 %."""
    items = checks(
        ctx(request).layer,
        status,
        iri_of("place", place) if place else None,
        iri_of("indicator", indicator) if indicator else None,
    )
    return Checks(total=len(items), items=items)
