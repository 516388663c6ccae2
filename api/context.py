"""What every route needs at run time, kept on ``app.state.rolkg``: settings, store, query layer, pool."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from rolkg.api.sparql.workers import WorkerPool
from rolkg.api.warmup import Warmup
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import Backend

from rolkg.config import Settings


@dataclass(slots=True)
class ApiContext:
    """The open store and its helpers for one running app."""

    settings: Settings
    backend: Backend
    layer: QueryLayer
    pool: WorkerPool
    warmup: Warmup | None = None  # set by ``rolkg serve``: the whole-store answers computed at start
    inline_answers: int = 0  # /sparql queries answered in this process (:mod:`rolkg.api.sparql.bounded`)


def ctx(request: Request) -> ApiContext:
    """The running app's :class:`ApiContext` (a FastAPI dependency)."""
    return request.app.state.rolkg  # type: ignore[no-any-return]


def public_base(request: Request) -> str:
    """This deployment's base URL for links: ``--base-iri`` when set, else the address the server listens on.

    Never the request's Host header, which any client sets to whatever it likes.
    """
    settings = ctx(request).settings
    if settings.base_iri:
        return settings.public_base
    server = request.scope.get("server")
    if not server:
        return settings.public_base
    host, port = server[0], server[1]
    host = f"[{host}]" if ":" in str(host) else host
    return f"http://{host}:{port}/" if port else f"http://{host}/"
