"""``/docs``: the OpenAPI explorer (Swagger UI 5, vendored in ``viz/static/vendor/swagger-ui``), no CDN.

Served under the pages' Content-Security-Policy (``script-src 'self'``): FastAPI's stock page starts
Swagger UI with an inline script, which that policy blocks, so the start-up lives in its own script route.
"""

from __future__ import annotations

import html
import json

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from rolkg.viz.render import SERVER_CSP

ASSETS = "/static/vendor/swagger-ui"  # served by the pages' /static mount (rolkg.viz.routes.install)
_HEADERS = {"Content-Security-Policy": SERVER_CSP, "X-Content-Type-Options": "nosniff"}


def install(app: FastAPI) -> None:
    """Serve Swagger UI at ``/docs`` (create the app with ``docs_url=None``)."""
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(app.title)} · API</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="{ASSETS}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script><script src="/docs/start.js"></script></body></html>"""
        return HTMLResponse(page, headers=_HEADERS)

    @app.get("/docs/start.js", include_in_schema=False)
    def start() -> Response:
        config = {"url": openapi_url, "dom_id": "#swagger-ui", "deepLinking": True}
        script = (
            f"window.ui = SwaggerUIBundle(Object.assign({json.dumps(config)}, "
            "{layout: 'BaseLayout', presets: [SwaggerUIBundle.presets.apis]}));"
        )
        return Response(script, media_type="text/javascript; charset=utf-8", headers=_HEADERS)
