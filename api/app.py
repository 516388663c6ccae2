"""``create_app(settings)``: the FastAPI application, assembled from one router per concept."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from rolkg.api.context import ApiContext
from rolkg.api.http_semantics import HttpSemantics
from rolkg.api.memory import TrimAfterHeavy
from rolkg.api.sparql.execute import ExecutorSpec
from rolkg.api.sparql.workers import WorkerPool
from rolkg.api.warmup import Warmup
from rolkg.graph import search
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import Backend, open_store
from rolkg.viz.followthrough import install as install_followthrough
from rolkg.viz.routes import install as install_viz

from rolkg.config import Settings
from rolkg.errors import RolkgError, StoreError

HtmlHook = Callable[[Request], Response]


def run_server(app: FastAPI, host: str, port: int) -> None:
    """Serve ``app`` with uvicorn until Ctrl+C / SIGTERM; shutdown takes under 2 s whatever is running.

    On the signal the SPARQL pool closes first, so requests still waiting for or running a query end at
    once with 503 instead of holding uvicorn's graceful shutdown until their deadline.
    """
    import threading

    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            context = getattr(app.state, "rolkg", None)
            if context is not None:
                threading.Thread(target=context.pool.close, name="rolkg-pool-close", daemon=True).start()
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    config = uvicorn.Config(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=1)
    Server(config).run()


def executor_spec(settings: Settings) -> ExecutorSpec:
    """How a worker process reaches the store ``settings`` describes."""
    return ExecutorSpec.of(settings)


def create_app(
    settings: Settings | None = None,
    *,
    workers: int = 2,
    fast_workers: int = 2,
    backend: Backend | None = None,
    max_waiting: int | None = None,
    max_answer_bytes: int | None = None,
    warm: bool = False,
) -> FastAPI:
    """The rolkg web app. The store is opened (read-only) and the SPARQL workers started on startup.

    ``backend`` lets a caller pass an already open store (tests, embedding); otherwise ``settings`` decide.
    ``fast_workers``: the SPARQL pool's fast lane (queries proven cheap; 0 = one lane).
    ``max_waiting``: SPARQL queries that may wait for a busy worker before the endpoint answers 503.
    ``max_answer_bytes``: the largest SPARQL answer sent; a larger one is cut to whole rows and marked.
    ``warm``: once started, compute the whole-store answers in the background (``rolkg.api.warmup``), and
    trim the heap after heavy requests (``rolkg.api.memory``): what ``rolkg serve`` runs.
    """
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        context: ApiContext | None = None
        opened = backend or open_store(settings, read_only=True)
        layer = QueryLayer(opened)
        # seconds at 1M quads: built beside the workers' start; a first search waits for it
        index_build = search.warm(layer)
        pool = WorkerPool(executor_spec(settings), size=workers, fast=fast_workers, max_waiting=max_waiting)
        try:
            pool.start(wait=True)
            context = app.state.rolkg = ApiContext(settings, opened, layer, pool)
            if warm and layer.keeps_answers:  # elsewhere the answers would not be kept for the visitors
                context.warmup = Warmup(after=() if index_build is None else (index_build,))
                context.warmup.start(app)
            yield
        finally:
            if context is not None and context.warmup is not None:
                context.warmup.stop()
            pool.close()
            if backend is None:
                opened.close()

    app = FastAPI(
        title="rolkg",
        version="0.1.0",
        summary="Rule-of-law initiatives of Chinese local governments, as a knowledge graph",
        description=(
            "REST resources, lineage, linked-data IRIs and a read-only SPARQL 1.1 endpoint over initiatives "
            "extracted from annual rule-of-law reports (法治政府建设年度报告). Every fact points at the words "
            "of the report it came from."
        ),
        lifespan=lifespan,
        docs_url=None,  # api/docs.py serves Swagger UI from the package instead of a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    if max_answer_bytes is not None:
        app.state.max_answer_bytes = max_answer_bytes
    # Hooks for the viz package: HTML pages for browsers at /sparql and /id/…; None = plain fallback.
    app.state.sparql_html = None
    app.state.entity_html = None
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["X-Result-Rows", "X-Result-Capped", "X-Query-Time", "Link"],
        allow_credentials=False,  # never with "*"
    )
    if warm:  # `rolkg serve`: hand big queries' freed buffers back to the system
        app.add_middleware(TrimAfterHeavy)
    app.add_middleware(HttpSemantics)  # outermost: HEAD / OPTIONS / Vary for every route, viz's included
    _install_error_handlers(app)
    _include_routers(app)
    install_viz(app)  # browser pages under /, /viz, /static; fills the HTML hooks above
    install_followthrough(app)  # /viz/plans, /viz/kinds: plan follow-through and adoption pages
    return app


def _include_routers(app: FastAPI) -> None:
    from rolkg.api import docs, health, indicators, kinds, lineage, linked_data, plans, resources

    docs.install(app)
    from rolkg.api.sparql import protocol

    protocol.install_plain(app)  # before the router: /sparql is served by plain Starlette routes
    for module in (health, protocol, resources, lineage, plans, kinds, linked_data, indicators):
        app.include_router(module.router)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RolkgError)
    async def rolkg_error(request: Request, exc: RolkgError) -> JSONResponse:
        # One mapping for every error of the tree: its class says the status, its message the detail.
        detail = f"the store cannot answer right now: {exc}" if isinstance(exc, StoreError) else str(exc)
        return JSONResponse({"detail": detail}, status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Same status as FastAPI's default, but errors as plain JSON (inputs may not be serialisable).
        # Each item has the three fields the OpenAPI's ValidationError schema requires.
        errors = [
            {
                "loc": list(e.get("loc", ())),
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "value_error")),
            }
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)
