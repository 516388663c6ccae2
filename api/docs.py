"""``/docs``: the OpenAPI explorer (Swagger UI 5, vendored in ``viz/static/vendor/swagger-ui``), no CDN."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

ASSETS = "/static/vendor/swagger-ui"  # served by the pages' /static mount (rolkg.viz.routes.install)


def install(app: FastAPI) -> None:
    """Serve Swagger UI at ``/docs`` (create the app with ``docs_url=None``)."""

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} · API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url="data:,",
        )
