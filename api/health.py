"""``/healthz``: is the store reachable, how big is it, are the query workers up.

Health checks are polled often, so the answer must cost the same at 1M quads as at 1k: reachability is
one ``ASK`` that stops at the first triple, and the quad count (a scan of the whole store) is counted
once and then cached: for good on an embedded store opened read-only (as ``rolkg serve`` does), for
:data:`REMOTE_COUNT_TTL` seconds on a remote store, which others may write to, and not at all on a
writable embedded store (tests and scripts that write while the app runs).
"""

from __future__ import annotations

import threading
import time
import weakref

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from rolkg.api.context import ctx
from rolkg.api.models import Health
from rolkg.graph.store import Backend

from rolkg.errors import StoreError

router = APIRouter(tags=["service"])

REMOTE_COUNT_TTL = 60.0
_REACHABLE = "ASK { ?s ?p ?o }"


class _CountCache:
    """The last quad count of each backend and when it was taken."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: weakref.WeakKeyDictionary[Backend, tuple[int, float]] = weakref.WeakKeyDictionary()

    def get(self, backend: Backend, ttl: float | None) -> int:
        """The quad count of ``backend``, counted again when the cached one is older than ``ttl``."""
        with self._lock:
            cached = self._counts.get(backend)
        if cached is not None and (ttl is None or time.monotonic() - cached[1] < ttl):
            return cached[0]
        count = backend.triple_count()
        with self._lock:
            self._counts[backend] = (count, time.monotonic())
        return count


_counts = _CountCache()


def _ttl(backend: Backend, remote: bool) -> float | None:
    if remote:
        return REMOTE_COUNT_TTL
    return None if getattr(backend, "is_read_only", False) else 0.0


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
def healthz(request: Request) -> JSONResponse:
    """Store reachable (with its quad count, cached) and how many SPARQL workers are idle."""
    context = ctx(request)
    remote = bool(context.settings.remote)
    store = "remote" if remote else "embedded"
    idle = context.pool.idle_count()
    try:
        context.backend.ask(_REACHABLE)
        triples = _counts.get(context.backend, _ttl(context.backend, remote))
    except StoreError as err:
        body = Health(status="unavailable", store=store, triples=None, idle_workers=idle, detail=str(err))
        return JSONResponse(body.model_dump(), status_code=503)
    warm = None if context.warmup is None else context.warmup.done.is_set()
    body = Health(status="ok", store=store, triples=triples, idle_workers=idle, warm=warm)
    return JSONResponse(body.model_dump())
