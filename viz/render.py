"""HTML rendering: one autoescaping Jinja environment, JSON data islands, asset tags and the CSP.

Pages are served with a CSP that allows script only from ``/static`` (no inline script at all); files
written for opening from disk inline every asset under a per-file nonce and carry the CSP in a meta tag.
"""

from __future__ import annotations

import json
import re
import secrets
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

STATIC_URL = "/static"
SERVER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def standalone_csp(nonce: str) -> str:
    return (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'"
    )


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("rolkg.viz", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_island(element_id: str, data: Any) -> Markup:
    """``data`` as a non-executable JSON script element; ``<``, ``>``, ``&`` are escaped so a label holding
    ``</script>`` cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in _JSON_ESCAPES.items():
        text = text.replace(raw, esc)
    return (
        Markup('<script type="application/json" id="{}">').format(element_id)
        + Markup(text)
        + Markup("</script>")
    )


def static_text(name: str) -> str:
    """The text of a file under ``viz/static``."""
    return resources.files("rolkg.viz").joinpath("static", name).read_text(encoding="utf-8")


class Assets:
    """Script and style tags: links to ``/static`` when served, inlined (with a nonce) when standalone."""

    def __init__(self, standalone: bool) -> None:
        self.standalone = standalone
        self.nonce = secrets.token_urlsafe(16) if standalone else ""

    def script(self, name: str) -> Markup:
        if not self.standalone:
            return Markup('<script src="{}/{}"></script>').format(STATIC_URL, name)
        body = static_text(name)
        # Only "</script" (or "<!--") could end or confuse the element; a blind "</" rewrite breaks regexes.
        if re.search(r"</script|<!--", body, re.IGNORECASE):
            raise ValueError(f"{name} cannot be inlined safely")
        return Markup('<script nonce="{}">').format(self.nonce) + Markup(body) + Markup("</script>")

    def style(self, name: str) -> Markup:
        if not self.standalone:
            return Markup('<link rel="stylesheet" href="{}/{}">').format(STATIC_URL, name)
        return (
            Markup("<style>") + Markup(static_text(name).replace("</style", "<\\/style")) + Markup("</style>")
        )

    def csp_meta(self) -> Markup:
        if not self.standalone:
            return Markup("")
        return Markup('<meta http-equiv="Content-Security-Policy" content="{}">').format(
            standalone_csp(self.nonce)
        )


def render(template: str, *, standalone: bool = False, **context: Any) -> str:
    """Render a page template; ``standalone`` inlines every asset so the file opens offline from disk."""
    from rolkg.viz import i18n

    assets = Assets(standalone)
    return _ENV.get_template(template).render(
        assets=assets,
        standalone=standalone,
        json_island=json_island,
        lang=i18n.current(),
        t=i18n.t,
        **context,
    )
