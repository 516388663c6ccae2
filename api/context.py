"""What every route needs at run time, kept on ``app.state.rolkg``: settings, store, query layer, pool."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from rolkg.api.sparql.workers import WorkerPool
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import Backend

from rolkg.config import Settings

API_QUERIES = Path(__file__).parent / "queries"


@dataclass(slots=True)
class ApiContext:
    """The open store and its helpers for one running app."""

    settings: Settings
    backend: Backend
    layer: QueryLayer
    pool: WorkerPool


def ctx(request: Request) -> ApiContext:
    """The running app's :class:`ApiContext` (a FastAPI dependency)."""
    return request.app.state.rolkg  # type: ignore[no-any-return]
