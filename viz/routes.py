"""The browser side as a FastAPI router: home, network views, entity pages and the SPARQL editor page.

``install(app)`` mounts ``/static``, includes the router and sets the hooks the API calls for HTML
(``app.state.entity_html(request, iri)`` and ``app.state.sparql_html(request)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlparse

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from rolkg.graph.query import QueryLayer
from rolkg.viz import i18n, pages, views
from rolkg.viz.examples import load_examples
from rolkg.viz.kg import CLASS_LABELS, DATA, class_counts
from rolkg.viz.lists import BadListRequest, ListQuery, check, list_csv, list_page
from rolkg.viz.netcache import NetworkCache
from rolkg.viz.payload import payload
from rolkg.viz.render import SERVER_CSP, render
from rolkg.viz.source import Cached, Selector, open_layer
from rolkg.viz.sparql_page import COMMON_PREFIXES, run_form_query
from starlette.exceptions import HTTPException as StarletteHTTPException

STATIC_DIR = Path(__file__).with_name("static")
NEIGHBOURS = 150  # neighbourhood nodes drawn by default (a hub body has thousands: "show more" doubles it)

router = APIRouter()


def _selector(request: Request) -> Selector:
    """The viz query layer, made once from whatever backend the app holds."""
    state = request.app.state
    sel = getattr(state, "viz_layer", None)
    api = getattr(state, "rolkg", None)
    if sel is None and isinstance(getattr(api, "layer", None), QueryLayer):
        # The API's own layer: the pages and the REST routes share one cache of whole-store answers.
        sel = state.viz_layer = api.layer  # type: ignore[union-attr]
    if sel is None:
        backend = getattr(state, "backend", None) or getattr(state, "store", None)
        if backend is None:
            for name in ("rolkg", "layer", "query", "query_layer"):  # "rolkg": the API's ApiContext
                backend = getattr(getattr(state, name, None), "backend", None)
                if backend is not None:
                    break
        if backend is None:
            raise HTTPException(503, "no store configured for the viz pages")
        sel = open_layer(backend)
        state.viz_layer = sel
    return sel


def _net(request: Request) -> NetworkCache:
    """The network views' per-store-version memo, made once per app."""
    state = request.app.state
    net = getattr(state, "viz_network", None)
    if net is None:
        net = state.viz_network = NetworkCache(_selector(request))
    return net


def html(body: str, status: int = 200) -> HTMLResponse:
    """An HTML response with the pages' Content-Security-Policy."""
    return HTMLResponse(
        body,
        status_code=status,
        headers={
            "Content-Security-Policy": SERVER_CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
        },
    )


def _iri(kind: str, slug: str) -> str:
    return f"{DATA}{kind}/{slug}"


def _network(template_context: dict[str, Any]) -> HTMLResponse:
    return html(render("network.html", class_labels=CLASS_LABELS, base="", **template_context))


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> HTMLResponse:
    counts = Cached(_selector(request))  # whole-store counts: once per store version
    return html(render("home.html", base="", **pages.home_page(counts, class_counts(counts))))


@router.get("/viz/search", response_class=HTMLResponse, include_in_schema=False)
def search(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    return html(render("search.html", base="", **pages.search_page(_selector(request), q)))


def _list_query(
    cls: str,
    report: str,
    year: int,
    place: str,
    theme: str,
    kind: str,
    q: str,
    sort: str,
    desc: str,
    offset: int,
) -> ListQuery:
    query = ListQuery(
        cls=cls,
        report=report,
        year=year,
        place=place,
        theme=theme,
        kind=kind,
        q=q.strip(),
        sort=sort or "label",
        desc=desc in {"1", "true"},
        offset=offset,
    )
    try:
        check(query)
    except BadListRequest as err:
        raise HTTPException(404 if "no class" in str(err) else 422, str(err)) from None
    return query


Short = Annotated[str, Query(max_length=300)]


@router.get("/list/{cls}.csv", include_in_schema=False)
def list_download(
    request: Request,
    cls: str,
    report: Short = "",
    year: Annotated[int, Query(ge=0, le=2100)] = 0,
    place: Short = "",
    theme: Short = "",
    kind: Short = "",
    q: Short = "",
    sort: Short = "",
    desc: Short = "",
) -> Response:
    query = _list_query(cls, report, year, place, theme, kind, q, sort, desc, 0)
    body = "\ufeff" + list_csv(_selector(request), query)  # BOM: spreadsheets then read the Chinese as UTF-8
    headers = {"Content-Disposition": f'attachment; filename="rolkg-{cls}.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/list/{cls}", response_class=HTMLResponse, include_in_schema=False)
def list_view(
    request: Request,
    cls: str,
    report: Short = "",
    year: Annotated[int, Query(ge=0, le=2100)] = 0,
    place: Short = "",
    theme: Short = "",
    kind: Short = "",
    q: Short = "",
    sort: Short = "",
    desc: Short = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    query = _list_query(cls, report, year, place, theme, kind, q, sort, desc, offset)
    return html(render("list.html", base="", **list_page(_selector(request), query)))


Classes = Annotated[list[str] | None, Query(alias="class")]


def _filter_iris(*values: str) -> None:
    """Filter values name resources of this graph; anything else is one clear 422."""
    for v in values:
        if v and (not v.startswith(DATA) or any(c in v for c in '<>"{}|^`\\ ')):
            raise HTTPException(422, f"not a resource of this graph: {v[:80]!r}")


@router.get("/viz/overview", response_class=HTMLResponse, include_in_schema=False)
def overview(
    request: Request,
    classes: Classes = None,
    theme: Short = "",
    body: Short = "",
    report: Short = "",
    limit: Annotated[int, Query(ge=1, le=5000)] = views.DEFAULT_LIMIT,
) -> HTMLResponse:
    _filter_iris(theme, body, report)
    ctx = pages.overview_page(
        _net(request), classes=classes or [], theme=theme, body=body, report=report, limit=limit
    )
    return _network(ctx)


@router.get("/viz/overview.json", include_in_schema=False)
def overview_json(
    request: Request,
    classes: Classes = None,
    theme: Short = "",
    body: Short = "",
    report: Short = "",
    limit: Annotated[int, Query(ge=1, le=5000)] = views.DEFAULT_LIMIT,
) -> JSONResponse:
    _filter_iris(theme, body, report)
    ctx = pages.overview_page(
        _net(request), classes=classes or [], theme=theme, body=body, report=report, limit=limit
    )
    return JSONResponse(ctx["data"])


def _around(request: Request, kind: str, slug: str, depth: int, limit: int) -> tuple[views.View, str]:
    try:
        g, total = _net(request).around(_iri(kind, slug), depth, limit)
    except KeyError:
        raise HTTPException(404, f"nothing drawable is known as {kind}/{slug}") from None
    iri = _iri(kind, slug)
    view = views.neighbourhood(g, iri, depth, limit)
    view.total = max(total, view.total)
    return view, g.nodes[iri].get("label", slug)


Depth = Annotated[int, Query(ge=0, le=3)]
Limit = Annotated[int, Query(ge=1, le=5000)]


@router.get("/viz/entity/{kind}/{slug}.json", include_in_schema=False)
def entity_json(
    request: Request, kind: str, slug: str, depth: Depth = 1, limit: Limit = NEIGHBOURS
) -> JSONResponse:
    """A node's neighbourhood as the page script's JSON (double-click expands a node with it)."""
    view, _ = _around(request, kind, slug, depth, limit)
    return JSONResponse(payload(view))


@router.get("/viz/entity/{kind}/{slug}", response_class=HTMLResponse, include_in_schema=False)
def entity_view(
    request: Request, kind: str, slug: str, depth: Depth = 1, limit: Limit = NEIGHBOURS
) -> HTMLResponse:
    view, label = _around(request, kind, slug, depth, limit)
    ctx = pages.network_page(view, label, f"邻域 neighbourhood, depth {depth}")
    if view.total > ctx["data"]["drawn"]:
        ctx["more_url"] = "?" + urlencode({"depth": depth, "limit": min(limit * 2, 5000)})
    return _network(ctx)


@router.get("/viz/lineage/{kind}/{slug}", response_class=HTMLResponse, include_in_schema=False)
def lineage_view(request: Request, kind: str, slug: str, limit: Limit = views.DEFAULT_LIMIT) -> HTMLResponse:
    iri = _iri(kind, slug)
    try:
        g = _net(request).lineage(iri, limit)
    except KeyError:
        raise HTTPException(404, f"nothing drawable is known as {kind}/{slug}") from None
    label = g.nodes[iri].get("label", slug)
    view = views.lineage(g, iri)
    ctx = pages.network_page(view, label, "沿革 lineage: 上游 upstream → 下游 downstream")
    if len(g) >= limit:
        ctx["more_url"] = "?" + urlencode({"limit": min(limit * 2, 5000)})
    return _network(ctx)


@router.get("/viz/connect", response_class=HTMLResponse, include_in_schema=False)
def connect_view(
    request: Request,
    start: Annotated[str, Query(alias="from", max_length=300)] = "",
    end: Annotated[str, Query(alias="to", max_length=300)] = "",
    from_class: str = "Facility",
    from_label: Annotated[str, Query(max_length=200)] = "合规…中心",
    to_class: str = "Facility",
    to_label: Annotated[str, Query(max_length=200)] = "监督…站",
) -> HTMLResponse:
    # ``from``/``to`` (a spec, as links give it) win over the picker's fields, and the picker shows them
    sides = (
        pages.picker_side(start) if start else (from_class, from_label),
        pages.picker_side(end) if end else (to_class, to_label),
    )
    start, end = pages.connect_spec(*sides[0]), pages.connect_spec(*sides[1])
    found = _net(request).connection(start, end)
    ctx = pages.connect_page(found, sides)
    return _network(ctx)


def entity_html(request: Request, iri: str | None = None) -> HTMLResponse:
    """The HTML page of any resource (the API calls this for ``/id/...`` with Accept text/html).

    Without ``iri``, the resource is the one the request path names (``/id/{kind}/{slug}``).
    """
    if iri is None:
        path = request.url.path
        iri = DATA + path.removeprefix("/id/") if path.startswith("/id/") else str(request.url)
    if iri.startswith(DATA + "report/"):
        reader = pages.report_page(_selector(request), iri)
        if reader is not None:
            return html(render("report.html", base="", **reader))
    ctx = pages.entity_page(_selector(request), iri)
    if ctx is None:
        return html(render("notfound.html", base="", iri=iri), status=404)
    return html(render("entity.html", base="", **ctx))


@router.get("/viz/id/{kind}/{slug}", response_class=HTMLResponse, include_in_schema=False)
def entity_page(request: Request, kind: str, slug: str) -> HTMLResponse:
    return entity_html(request, _iri(kind, slug))


def sparql_html(request: Request, query: str = "") -> HTMLResponse:
    """The query editor page (the API calls this for a browser's GET ``/sparql`` without a query).

    With ``query`` (the no-JavaScript form), the answer is run and shown as an HTML table.
    """
    result = None
    if query.strip():
        context = getattr(request.app.state, "rolkg", None)
        if context is None:
            result = {"error": "这里没有 SPARQL 端点 no SPARQL endpoint in this app", "status": 503}
        else:
            result = run_form_query(context, query)
    examples = load_examples()
    prefixes = [{"prefix": p, "ns": ns} for p, ns in COMMON_PREFIXES.items()]
    page = render(
        "sparql.html",
        base="",
        examples=examples,
        endpoint="/sparql",
        prefixes=prefixes,
        query=query or (examples[0]["query"] if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"),
        result=result,
    )
    return html(page, status=400 if result and result.get("status", 200) >= 400 else 200)


@router.get("/viz/sparql", response_class=HTMLResponse, include_in_schema=False)
async def sparql_page(request: Request, query: Annotated[str, Query(max_length=20000)] = "") -> HTMLResponse:
    return await run_in_threadpool(sparql_html, request, query)


async def _browser_errors(request: Request, exc: StarletteHTTPException) -> Response:
    """A browser asking for a page gets an HTML error page; API clients keep FastAPI's JSON answer."""
    accept = request.headers.get("accept", "")
    path = request.url.path
    if "text/html" in accept and not path.startswith(("/api/", "/sparql")):
        page = render("notfound.html", base="", iri=path, status=exc.status_code, detail=str(exc.detail))
        return html(page, status=exc.status_code)
    return await http_exception_handler(request, exc)


@router.get("/lang/{code}", include_in_schema=False)
def switch_language(request: Request, code: str) -> Response:
    """Set the page language cookie and go back to the page the switch was on (same site only)."""
    if code not in i18n.LANGS:
        raise HTTPException(404, f"no language {code!r}: {', '.join(i18n.LANGS)}")
    back = request.headers.get("referer", "")
    parsed = urlparse(back)
    target = (
        parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if parsed.netloc == request.url.netloc
        else "/"
    )
    response = RedirectResponse(
        target if target.startswith("/") and not target.startswith("//") else "/", 303
    )
    response.set_cookie(i18n.COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def install(app: FastAPI, layer: Selector | None = None) -> None:
    """Mount the static assets, include the pages and set the API's HTML hooks on ``app``."""
    if layer is not None:
        app.state.viz_layer = layer
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
    from rolkg.viz import series  # indicator pages (their own module)

    app.include_router(series.router)
    app.add_exception_handler(StarletteHTTPException, _browser_errors)  # type: ignore[arg-type]
    app.add_middleware(i18n.LanguageFromCookie)
    app.state.entity_html = entity_html
    app.state.sparql_html = sparql_html


def create_viz_app(layer: Selector) -> FastAPI:
    """An app with only the viz pages (for tests and ``viz.bench``), over ``layer``."""
    app = FastAPI(title="rolkg viz", docs_url=None, redoc_url=None, openapi_url=None)
    install(app, layer)
    return app
