"""``/api/plans``: each planned initiative and what became of it in the next year's reports of its place."""

from __future__ import annotations

from typing import Annotated
from typing import Literal as Lit

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from rdflib import Literal
from rolkg.api.context import ctx
from rolkg.api.models import Ref
from rolkg.api.readers import ref
from rolkg.graph.query import QueryLayer

router = APIRouter(prefix="/api", tags=["lineage"])
Status = Lit["carried-out", "mentioned", "not-found", "no-report"]


class PlanFollowThrough(BaseModel):
    """One planned initiative of year Y and the year-Y work of its place that carries it out."""

    plan: Ref
    year: int = Field(description="The year the plan is for (its report's year + 1)")
    report: Ref = Field(description="The report that makes the plan")
    place: str = Field(description="The report's place (jurisdiction, or publisher when unknown)")
    status: Status = Field(
        description="carried-out / mentioned (weaker match) / not-found (year-Y reports held, none carries it)"
        " / no-report (no year-Y report of the place held)"
    )
    score: float | None = Field(None, description="How well the best year-Y measure matches the plan, 0–1")
    followed_up_by: list[Ref] = Field(default_factory=list, description="Year-Y measures that carry it out")


class PlanList(BaseModel):
    total: int
    counts: dict[str, int] = Field(description="Plans per status")
    items: list[PlanFollowThrough]


def plans(
    layer: QueryLayer, place: str | None = None, year: int | None = None, status: str | None = None
) -> PlanList:
    """Plans with their follow-through, filtered by place (part of its name), year planned for, status."""
    rows = layer.select(
        "read/plans",
        placeName=Literal(place) if place else None,
        year=Literal(year) if year is not None else None,
        status=Literal(status) if status else None,
    )
    items: dict[str, PlanFollowThrough] = {}
    for row in rows:
        key = str(row["follow"])
        item = items.get(key)
        if item is None:
            item = items[key] = PlanFollowThrough(
                plan=ref(row["plan"], row["planLabel"], None),
                year=int(row["planYear"]),
                report=ref(row["report"], row["reportTitle"], None),
                place=str(row["placeName"]),
                status=str(row["status"]),  # type: ignore[arg-type]
                score=float(row["score"]) if "score" in row else None,
            )
        if "work" in row and all(w.iri != str(row["work"]) for w in item.followed_up_by):
            item.followed_up_by.append(ref(row["work"], row.get("workLabel"), None))
    counts: dict[str, int] = {}
    for item in items.values():
        counts[item.status] = counts.get(item.status, 0) + 1
    return PlanList(total=len(items), counts=counts, items=list(items.values()))


@router.get("/plans", response_model=PlanList)
def list_plans(
    request: Request,
    place: Annotated[
        str | None, Query(max_length=100, description="Part of the place's name, e.g. 慈溪")
    ] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100, description="The year planned for")] = None,
    status: Annotated[Status | None, Query(description="Only plans with this status")] = None,
) -> PlanList:
    """Planned initiatives and their follow-through in the next year's reports of the same place."""
    return plans(ctx(request).layer, place, year, status)
