"""Indicator pages: ``/viz/indicators`` (the scheme) and ``/viz/indicators/{id}`` (a series per place over
years as a generated SVG chart, the figures as a table with their words, a CSV download, and the figure
checks of the indicator). Served without any script; filters are a plain GET form."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from rdflib import URIRef
from rolkg.api.indicators import IndicatorOut, ObservationOut, checks, observations
from rolkg.api.indicators import _indicators as indicators_of
from rolkg.api.models import Ref
from rolkg.api.readers import iri_of, ref
from rolkg.graph.query import QueryLayer
from rolkg.viz.chart import Series, line_chart
from rolkg.viz.render import render

router = APIRouter()
PlaceSlug = Annotated[str | None, Query(max_length=200, pattern=r"^[a-z0-9-]*$")]


def _layer(request: Request) -> QueryLayer:
    """The running app's query layer (the API's)."""
    state = request.app.state
    context = getattr(state, "rolkg", None)
    if context is None:
        raise HTTPException(503, "no store configured for the indicator pages")
    return context.layer


def _html(body: str, status: int = 200) -> HTMLResponse:
    from rolkg.viz.routes import html  # the pages' one HTML response (CSP headers)

    return html(body, status)


def chart_series(items: list[ObservationOut]) -> list[Series]:
    """One line per place × indicator × unit; when two reports give a cell, the first (by report) is drawn."""
    lines: dict[tuple[str, str, str], Series] = {}
    several = len({o.indicator.iri for o in items}) > 1
    for o in sorted(
        items, key=lambda o: (o.place.label or "", o.indicator.label or "", o.year, o.report.iri)
    ):
        key = (o.place.iri, o.indicator.iri, o.unit)
        name = (
            f"{o.place.label or o.place.id}" + (f" · {o.indicator.label}" if several else "") + f" ({o.unit})"
        )
        line = lines.setdefault(key, Series(name))
        line.points.setdefault(o.year, Decimal(o.value))
    return list(lines.values())


def _places(request: Request) -> tuple[list[Ref], list[Ref], dict[str, str]]:
    """Places that have figures of any report, the places they lie within, and each place's parent."""
    rows = _layer(request).select("indicators/places")
    labels = {str(r["place"]): str(r.get("label") or "") for r in rows}
    parent = {str(r["place"]): str(r["within"]) for r in rows if r.get("within") is not None}
    parents = sorted({p for p in parent.values()}, key=lambda p: labels.get(p, p))
    places = sorted(labels, key=lambda p: labels[p])
    return (
        [ref(URIRef(p), labels[p]) for p in places],
        [ref(URIRef(p), labels.get(p)) for p in parents],
        parent,
    )


def report_titles(layer: QueryLayer) -> dict[str, str]:
    """``{report IRI: its title}`` for the reports that have one (the tables name reports by title)."""
    return {str(r["report"]): str(r["title"]) for r in layer.select("reports") if r.get("title") is not None}


@router.get("/viz/indicators", response_class=HTMLResponse, include_in_schema=False)
def indicators_page(request: Request) -> HTMLResponse:
    items = sorted(indicators_of(_layer(request)), key=lambda i: (-i.observations, i.id or ""))
    return _html(render("indicators.html", base="", indicators=items))


@router.get("/viz/indicators/{id}", response_class=HTMLResponse, include_in_schema=False)
def indicator_page(
    request: Request, id: str, place: PlaceSlug = None, within: PlaceSlug = None
) -> HTMLResponse:
    layer = _layer(request)
    found: list[IndicatorOut] = indicators_of(layer, iri_of("indicator", id))
    if not found:
        return _html(render("notfound.html", base="", iri=f"indicator/{id}"), 404)
    indicator = found[0]
    place_iri = iri_of("place", place) if place else None
    within_iri = iri_of("place", within) if within else None
    items = observations(layer, URIRef(indicator.iri), place_iri, within_iri, None)
    items.sort(key=lambda o: (o.place.label or "", o.year, o.indicator.label or "", o.report.iri))
    found_checks = [
        c
        for c in checks(layer, None, place_iri, URIRef(indicator.iri))
        if within_iri is None or c.place.iri in {o.place.iri for o in items}
    ]
    places, parents, _ = _places(request)
    query = {k: v for k, v in (("place", place), ("within", within)) if v}
    caption = f"{indicator.label}:{len({o.place.iri for o in items})} 个地区、{len(items)} 项数据"
    return _html(
        render(
            "indicator.html",
            base="",
            indicator=indicator,
            items=items,
            checks=found_checks,
            chart=line_chart(chart_series(items), title=f"{indicator.label} {indicator.label_en or ''}"),
            caption=caption,
            places=places,
            parents=parents,
            place=place or "",
            within=within or "",
            report_titles=report_titles(layer),
            csv_href=f"/api/indicators/{id}/observations.csv" + (f"?{urlencode(query)}" if query else ""),
        )
    )
