"""``/sparql``: the SPARQL 1.1 Protocol (query operation) over the guard and the worker pool.

GET ``?query=``, POST form-encoded, POST ``application/sparql-query``. Everything that may block runs in
the thread pool, so a slow query never stalls the event loop, ``/healthz`` or other clients.
"""

from __future__ import annotations

import html
import time
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from rolkg.api.context import ApiContext, ctx
from rolkg.api.rdf_response import graph_response
from rolkg.api.sparql.execute import Task
from rolkg.api.sparql.guard import DEFAULT_MAX_QUERY_BYTES, check_query
from rolkg.api.sparql.service_description import service_description
from rolkg.graph.formats import negotiate_answer, negotiate_media

from rolkg.errors import NotAcceptable, PoolUnavailable, QueryRefused, QueryTimeout, WorkerDied

router = APIRouter(tags=["sparql"])

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(
        message + "\n", status_code=status, media_type="text/plain; charset=utf-8", headers=headers
    )


def _answer(
    context: ApiContext, text: str, accept: str | None, default: list[str], named: list[str]
) -> Response:
    """Guard, negotiate, run: the whole query operation (blocking; called in a worker thread)."""
    settings = context.settings
    try:
        guarded = check_query(
            text,
            lambda: [str(g) for g in context.backend.named_graphs()],
            default_graph_uris=default,
            named_graph_uris=named,
            max_bytes=DEFAULT_MAX_QUERY_BYTES,
        )
    except QueryRefused as err:
        return _error(err.status, err.message)
    try:
        fmt = negotiate_answer(accept, graph_form=guarded.is_graph)
    except NotAcceptable as err:
        return _error(406, str(err))
    media = fmt.media_type
    task = Task(
        query=guarded.text,
        form=guarded.form,
        media=media,
        max_rows=settings.max_rows,
        default_graphs=guarded.default_graphs,
        named_graphs=guarded.named_graphs,
    )
    started = time.monotonic()
    try:
        outcome = context.pool.run(task, settings.query_timeout)
    except QueryTimeout as err:
        return _error(503, str(err), {"Retry-After": "5"})
    except (PoolUnavailable, WorkerDied) as err:
        return _error(503, str(err), {"Retry-After": "5"})
    if outcome.status != 200:
        return _error(outcome.status, outcome.message)
    headers = {
        "Vary": "Accept",
        "X-Result-Rows": str(outcome.size),
        "X-Query-Time": f"{time.monotonic() - started:.4f}",
    }
    if outcome.capped:
        headers["X-Result-Capped"] = f"true; only the first {settings.max_rows} results were returned"
    return Response(outcome.body, media_type=fmt.content_type, headers=headers)


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    try:
        return negotiate_media(accept, ("text/turtle", "text/html")) == "text/html" and "text/html" in accept
    except NotAcceptable:
        return False


def _fallback_page(request: Request) -> Response:
    endpoint = html.escape(str(request.url_for("sparql_get")))
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
        503: {"description": "The query ran past the time limit and was stopped"},
    },
)
async def sparql_get(
    request: Request,
    query: Annotated[str | None, Query(description="The SPARQL query")] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
) -> Response:
    context = ctx(request)
    if query is None:
        if _wants_html(request):
            hook = getattr(request.app.state, "sparql_html", None)
            return hook(request) if hook is not None else _fallback_page(request)
        graphs = await run_in_threadpool(lambda: [str(g) for g in context.backend.named_graphs()])
        sd = service_description(
            str(request.url_for("sparql_get")),
            graphs,
            context.settings.max_rows,
            context.settings.query_timeout,
        )
        return graph_response(request, sd)
    accept = request.headers.get("accept")
    return await run_in_threadpool(
        _answer, context, query, accept, default_graph_uri or [], named_graph_uri or []
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
    context = ctx(request)
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
    default = list(request.query_params.getlist("default-graph-uri"))
    named = list(request.query_params.getlist("named-graph-uri"))
    if media == _QUERY:
        query = text
    elif media == _FORM:
        fields = parse_qs(text, keep_blank_values=True)
        if "update" in fields:
            return _error(400, _READ_ONLY)
        if "query" not in fields or len(fields["query"]) != 1:
            return _error(400, "give exactly one 'query' field")
        query = fields["query"][0]
        default += fields.get("default-graph-uri", [])
        named += fields.get("named-graph-uri", [])
    elif media == _UPDATE:
        return _error(400, _READ_ONLY)
    else:
        return _error(415, f"send the query as {_FORM} or {_QUERY}, not {media or 'no content type'}")
    accept = request.headers.get("accept")
    return await run_in_threadpool(_answer, context, query, accept, default, named)
