"""HTTP method semantics every route shares: HEAD as GET without a body, OPTIONS answering ``Allow``,
and ``Vary: Accept`` on every answer that content negotiation may change.

One ASGI middleware rather than a HEAD and an OPTIONS handler per route: FastAPI registers only the
methods a route declares, so without it HEAD answered 405 everywhere and OPTIONS only for CORS preflights.
"""

from __future__ import annotations

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Paths whose answers never depend on Accept (static assets are the same bytes for everyone).
_NO_VARY_PREFIXES = ("/static/",)


class HttpSemantics:
    """ASGI middleware: HEAD, OPTIONS and ``Vary: Accept`` for every route of ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        headers = dict(scope.get("headers") or [])
        if method == "OPTIONS" and b"access-control-request-method" not in headers:
            await self._options(scope, send)
            return
        vary = not scope["path"].startswith(_NO_VARY_PREFIXES)
        head = method == "HEAD"
        if head:
            scope = dict(scope, method="GET")

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start" and vary:
                message = dict(message, headers=_with_vary(list(message.get("headers", []))))
            elif message["type"] == "http.response.body" and head:
                if message.get("more_body", False):
                    return  # the length was announced with the headers; HEAD sends none of the body
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, send_wrapper)

    async def _options(self, scope: Scope, send: Send) -> None:
        allowed = _allowed_methods(scope)
        status = 204 if allowed else 404
        headers = [(b"content-length", b"0")]
        if allowed:
            headers.append((b"allow", ", ".join(sorted(allowed)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(scope: Scope) -> set[str]:
    """Methods the app's routes accept at this path (plus HEAD for GET, and OPTIONS itself).

    Asked of each route through Starlette's public ``matches``: FULL means path and method both match.
    """
    routes = getattr(getattr(scope.get("app"), "router", None), "routes", [])
    methods = {
        method
        for method in _METHODS
        if any(route.matches(dict(scope, method=method))[0] == Match.FULL for route in routes)
    }
    if methods:
        methods |= {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
    return methods


def _with_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    values: list[str] = []
    rest = []
    for name, value in headers:
        if name.lower() == b"vary":
            values += [v.strip() for v in value.decode("latin-1").split(",") if v.strip()]
        else:
            rest.append((name, value))
    if not any(v.lower() == "accept" for v in values):
        values.append("Accept")
    return [*rest, (b"vary", ", ".join(dict.fromkeys(values)).encode("latin-1"))]
