"""Pages for how plans are followed up and how kinds of measure spread: ``/viz/plans``, ``/viz/kinds``,
``/viz/kinds/{id}``. Server-rendered tables (and a generated SVG timeline); no script, no CDN.

They read through the same functions as ``/api/plans`` and ``/api/kinds`` (one read model).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from rolkg.api.context import ctx
from rolkg.api.kinds import Adoption, adoption, kinds
from rolkg.api.plans import Status, plans
from rolkg.viz.pages import class_label, local_href
from rolkg.viz.render import render
from rolkg.viz.routes import html

router = APIRouter(include_in_schema=False)
STATUS_ZH = {
    "carried-out": "已落实",
    "mentioned": "有提及",
    "not-found": "未见落实",
    "no-report": "无次年报告",
}


def _href(iri: str) -> str:
    return local_href(iri) or "#"


@router.get("/viz/plans", response_class=HTMLResponse)
def plans_page(
    request: Request,
    place: Annotated[str, Query(max_length=100)] = "",
    year: Annotated[str, Query(max_length=4)] = "",
    status: Annotated[Status | None, Query()] = None,
) -> HTMLResponse:
    y = int(year) if year.isdigit() else None
    result = plans(ctx(request).layer, place.strip() or None, y, status)
    return html(
        render(
            "plans.html",
            base="",
            result=result,
            place=place,
            year=y,
            status=status or "",
            statuses=list(STATUS_ZH.items()),
            status_zh=STATUS_ZH,
            href=_href,
        )
    )


@router.get("/viz/kinds", response_class=HTMLResponse)
def kinds_page(request: Request) -> HTMLResponse:
    return html(render("kinds.html", base="", kinds=kinds(ctx(request).layer), class_label=class_label))


@router.get("/viz/kinds/{id}", response_class=HTMLResponse)
def adoption_page(request: Request, id: str) -> HTMLResponse:
    layer = ctx(request).layer
    found = next((k for k in kinds(layer) if k.id == id), None)
    if found is None:
        raise HTTPException(404, f"no kind with id {id!r}")
    result = adoption(layer, found)
    return html(render("adoption.html", base="", adoption=result, timeline=timeline(result), href=_href))


def timeline(result: Adoption) -> dict[str, Any] | None:
    """Coordinates of a dot chart: one row per place, a dot per year it mentions the kind (first one big)."""
    if not result.places:
        return None
    years = sorted({y for p in result.places for y in p.years})
    lo, hi = years[0], years[-1]
    left, width, row = 200, 120 + 80 * (hi - lo), 24

    def x(year: int) -> int:
        return left + 20 + 80 * (year - lo)

    rows = [
        {"place": p.place, "y": 16 + i * row, "xs": [x(y) for y in p.years]}
        for i, p in enumerate(result.places)
    ]
    return {
        "width": left + width,
        "height": 16 + len(rows) * row + 16,
        "ticks": [{"x": x(y), "year": y} for y in range(lo, hi + 1)],
        "rows": rows,
    }


def install(app: FastAPI) -> None:
    """Add the pages to the app (called by the API's app factory)."""
    app.include_router(router)
