"""``/healthz``: is the store reachable, how big is it, are the query workers up."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from rolkg.api.context import ctx
from rolkg.api.models import Health

from rolkg.errors import StoreError

router = APIRouter(tags=["service"])


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
def healthz(request: Request) -> JSONResponse:
    """Store reachable (with its triple count) and how many SPARQL workers are idle."""
    context = ctx(request)
    store = "remote" if context.settings.remote else "embedded"
    idle = context.pool.idle_count()
    try:
        triples = context.backend.triple_count()
    except StoreError as err:
        body = Health(status="unavailable", store=store, triples=None, idle_workers=idle, detail=str(err))
        return JSONResponse(body.model_dump(), status_code=503)
    return JSONResponse(Health(status="ok", store=store, triples=triples, idle_workers=idle).model_dump())
