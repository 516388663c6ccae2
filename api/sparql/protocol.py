"""``/sparql``: the SPARQL 1.1 Protocol (query operation) over the worker pool.

GET ``?query=``, POST form-encoded, POST ``application/sparql-query``. The web process does only what is
cheap and bounded: it reads the request, refuses what the protocol forbids (updates, repeated or conflicting
parameters, oversized bodies), admits the query if the pool's line is not full (else 503 + Retry-After at
once), and waits for a worker in a thread of its own limiter — so SPARQL never takes the threads that REST
routes, pages and ``/healthz`` run in. Parsing, the guard, negotiation and execution happen in the worker,
except for queries whose work is bounded by their answer (one triple pattern: :mod:`.bounded`), which the
web process answers itself.
"""

from __future__ import annotations

import html
import time
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from rolkg.api.context import ApiContext, ctx, public_base
from rolkg.api.rdf_response import graph_response
from rolkg.api.sparql.bounded import answer_inline
from rolkg.api.sparql.execute import Outcome, QueryRequest
from rolkg.api.sparql.guard import DEFAULT_MAX_QUERY_BYTES
from rolkg.api.sparql.service_description import service_description
from rolkg.graph import formats
from rolkg.graph.formats import negotiate_media

from rolkg.errors import NotAcceptable, PoolBusy, PoolUnavailable, QueryTimeout, RolkgError, WorkerDied

router = APIRouter(tags=["sparql"])

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted (no 'update' parameter, no {media})"
# Largest answer the web process will hold and send (bytes); a larger one is cut to whole rows, marked.
MAX_ANSWER_BYTES = 64 * 1024**2
_PROTOCOL_PARAMS = ("query", "default-graph-uri", "named-graph-uri")


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(
        message + "\n", status_code=status, media_type="text/plain; charset=utf-8", headers=headers
    )


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _one_query(fields: dict[str, list[str]]) -> str:
    """The single ``query`` of a request, or why the request breaks the protocol."""
    if "update" in fields:
        raise _Refused(400, _READ_ONLY.format(media=_UPDATE))
    queries = fields.get("query", [])  # other names (cache busters, a client's own) are ignored
    if len(queries) != 1:
        raise _Refused(400, f"give exactly one 'query' parameter, not {len(queries)}")
    return queries[0]


def _limiter(request: Request) -> anyio.CapacityLimiter:
    state = request.app.state
    limiter = getattr(state, "sparql_limiter", None)
    if limiter is None:
        pool = ctx(request).pool
        limiter = anyio.CapacityLimiter(pool.capacity)
        state.sparql_limiter = limiter
    return limiter


async def _answer(request: Request, text: str, default: list[str], named: list[str]) -> Response:
    """Admit, then wait in the SPARQL limiter's thread for a worker's answer."""
    context = ctx(request)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > DEFAULT_MAX_QUERY_BYTES:
        return _error(413, f"query is {size} bytes; this endpoint accepts at most {DEFAULT_MAX_QUERY_BYTES}")
    if not text.strip():
        return _error(400, "the query is empty")
    query = QueryRequest(
        query=text,
        accept=request.headers.get("accept"),
        max_rows=context.settings.max_rows,
        max_bytes=getattr(request.app.state, "max_answer_bytes", MAX_ANSWER_BYTES),
        default_graph_uris=tuple(default),
        named_graph_uris=tuple(named),
    )
    started = time.monotonic()
    # A one-pattern query reads at most a few hundred rows of one index scan: answered right here, it
    # costs no worker round trip (and is answered even while every worker is busy).
    outcome = answer_inline(context.backend, query)
    if outcome is not None:
        context.inline_answers += 1
        return _response(outcome, query, context, started)
    limiter = _limiter(request)
    if limiter.borrowed_tokens >= limiter.total_tokens or not context.pool.admits():
        return _error(
            503, "the query service is at capacity; try again in a few seconds", {"Retry-After": "2"}
        )
    timeout = context.settings.query_timeout
    try:
        # A query of a shape proven cheap goes to an idle fast worker from the loop itself; anything
        # else (or no idle fast worker) waits for a worker in a thread of the SPARQL limiter.
        outcome = await context.pool.run_on_loop(query, timeout)
    except RolkgError as err:
        return _refusal(err)
    if outcome is not None:
        return _response(outcome, query, context, started)
    left = max(0.0, timeout - (time.monotonic() - started))
    return await anyio.to_thread.run_sync(_run, context, query, left, started, limiter=limiter)


def run_query(
    context: ApiContext,
    text: str,
    accept: str | None,
    *,
    default_graph_uris: tuple[str, ...] = (),
    named_graph_uris: tuple[str, ...] = (),
    max_bytes: int = MAX_ANSWER_BYTES,
) -> Response:
    """Answer ``text`` as ``/sparql`` does (guard, pool, timeout, row and byte caps), in this thread.

    For callers inside the app that already run in a worker thread (the no-JavaScript SPARQL page).
    """
    query = QueryRequest(
        query=text,
        accept=accept,
        max_rows=context.settings.max_rows,
        max_bytes=max_bytes,
        default_graph_uris=default_graph_uris,
        named_graph_uris=named_graph_uris,
    )
    return _run(context, query)


def _run(
    context: ApiContext, query: QueryRequest, timeout: float | None = None, started: float | None = None
) -> Response:
    started = time.monotonic() if started is None else started
    try:
        outcome = context.pool.run(query, context.settings.query_timeout if timeout is None else timeout)
    except RolkgError as err:
        return _refusal(err)
    return _response(outcome, query, context, started)


def _refusal(err: RolkgError) -> Response:
    """The 503 for a pool that could not answer (busy, timed out, shutting down, a worker died)."""
    if isinstance(err, PoolBusy):
        return _error(503, str(err), {"Retry-After": "2"})
    if isinstance(err, QueryTimeout | PoolUnavailable | WorkerDied):
        return _error(503, str(err), {"Retry-After": "5"})
    raise err


def _response(outcome: Outcome, query: QueryRequest, context: ApiContext, started: float) -> Response:
    if outcome.status != 200:
        return _error(outcome.status, outcome.message)
    headers = {
        "Vary": "Accept",
        "X-Result-Rows": str(outcome.size),
        "X-Query-Time": f"{time.monotonic() - started:.4f}",
    }
    if outcome.capped_bytes:
        headers["X-Result-Capped"] = (
            f"true; the answer was cut to {outcome.size} results to stay under {query.max_bytes} bytes"
        )
    elif outcome.capped:
        headers["X-Result-Capped"] = f"true; only the first {context.settings.max_rows} results were returned"
    fmt = formats.by_media_type(outcome.media)
    content_type = fmt.content_type if fmt is not None else outcome.media
    return Response(outcome.body, media_type=content_type, headers=headers)


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    try:
        return negotiate_media(accept, ("text/turtle", "text/html")) == "text/html" and "text/html" in accept
    except NotAcceptable:
        return False


def _fallback_page(request: Request) -> Response:
    endpoint = html.escape(public_base(request) + "sparql")
    body = f"""<!doctype html><html lang="en"><meta charset="utf-8"><title>rolkg SPARQL endpoint</title>
<h1>rolkg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint at <code>{endpoint}</code>. Queries see the union of all graphs.</p>
<form method="get" action="{endpoint}">
<textarea name="query" rows="12" cols="80">PREFIX rol: &lt;https://w3id.org/rolkg/ontology#&gt;
PREFIX rdfs: &lt;http://www.w3.org/2000/01/rdf-schema#&gt;
SELECT ?initiative ?label WHERE {{ ?initiative a rol:Initiative ; rdfs:label ?label }} LIMIT 20</textarea>
<p><button type="submit">Run</button></p></form></html>"""
    return Response(body, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


@router.get(
    "/sparql",
    name="sparql_get",
    summary="SPARQL 1.1 query (GET); without a query: the service description",
    responses={
        200: {"description": "Query results in the negotiated format, or the service description"},
        400: {"description": "Syntax error, update, SERVICE, or a graph the store does not hold"},
        406: {"description": "No acceptable result format"},
        413: {"description": "Query too long"},
        503: {"description": "The query ran past the time limit and was stopped, or the service is busy"},
    },
    openapi_extra={
        "parameters": [
            {
                "name": "query",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "The SPARQL query (exactly one); without it: the service description",
            },
            {
                "name": "default-graph-uri",
                "in": "query",
                "required": False,
                "schema": {"type": "array", "items": {"type": "string"}},
                "style": "form",
                "explode": True,
            },
            {
                "name": "named-graph-uri",
                "in": "query",
                "required": False,
                "schema": {"type": "array", "items": {"type": "string"}},
                "style": "form",
                "explode": True,
            },
        ]
    },
)
async def sparql_get(request: Request) -> Response:
    context = ctx(request)
    fields: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        fields.setdefault(key, []).append(value)
    if "query" not in fields and "update" not in fields:
        if _wants_html(request):
            hook = getattr(request.app.state, "sparql_html", None)
            return hook(request) if hook is not None else _fallback_page(request)
        graphs = await run_in_threadpool(lambda: [str(g) for g in context.backend.named_graphs()])
        sd = service_description(
            public_base(request) + "sparql",
            graphs,
            context.settings.max_rows,
            context.settings.query_timeout,
        )
        return graph_response(request, sd)
    try:
        text = _one_query(fields)
    except _Refused as err:
        return _error(err.status, err.message)
    return await _answer(
        request, text, fields.get("default-graph-uri", []), fields.get("named-graph-uri", [])
    )


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query (POST, form-encoded or application/sparql-query)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                _FORM: {
                    "schema": {
                        "type": "object",
                        "required": ["query"],
                        "properties": {
                            "query": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                    }
                },
                _QUERY: {"schema": {"type": "string"}},
            },
        }
    },
    responses={
        400: {"description": "Syntax error, update, SERVICE, or a graph the store does not hold"},
        406: {"description": "No acceptable result format"},
        413: {"description": "Query too long"},
        415: {"description": "Unsupported request content type"},
        503: {"description": "The query ran past the time limit and was stopped"},
    },
)
async def sparql_post(request: Request) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = DEFAULT_MAX_QUERY_BYTES * 4  # form encoding can triple a query's size
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return _error(413, f"request body is {declared} bytes; at most {limit} accepted")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return _error(413, f"request body is over {limit} bytes")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "the request body is not UTF-8")
    url_fields: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        url_fields.setdefault(key, []).append(value)
    if media == _UPDATE or "update" in url_fields:
        return _error(400, _READ_ONLY.format(media=_UPDATE))
    if media == _QUERY:
        if "query" in url_fields:
            return _error(400, "the query is in the body; do not also give a 'query' URL parameter")
        query = text
        fields = url_fields
    elif media == _FORM:
        fields = parse_qs(text, keep_blank_values=True)
        overlap = sorted(set(fields) & set(url_fields) & set(_PROTOCOL_PARAMS))
        if overlap:
            return _error(400, f"give {', '.join(overlap)} in the body or the URL, not both")
        for key, values in url_fields.items():
            fields.setdefault(key, []).extend(values)
        try:
            query = _one_query(fields)
        except _Refused as err:
            return _error(err.status, err.message)
    else:
        return _error(415, f"send the query as {_FORM} or {_QUERY}, not {media or 'no content type'}")
    return await _answer(
        request, query, fields.get("default-graph-uri", []), fields.get("named-graph-uri", [])
    )


def install_plain(app: FastAPI) -> None:
    """Serve ``/sparql`` through plain Starlette routes ahead of the documented FastAPI ones.

    The same two handlers; :data:`router`'s routes stay for the OpenAPI document (their parameters and
    answers are declared there) but are never reached. FastAPI's per-route machinery (dependency solving,
    scope bookkeeping) cost 0.17 ms of a 1.7 ms lookup, and these handlers take only the request.
    """
    app.add_route("/sparql", sparql_get, methods=["GET"], include_in_schema=False)
    app.add_route("/sparql", sparql_post, methods=["POST"], include_in_schema=False)
