"""The page language: ``zh`` (the default: Chinese with English alongside) or ``en`` (English only, and
English labels wherever the graph has them), chosen with the switch in the header and kept in a cookie."""

from __future__ import annotations

from contextvars import ContextVar

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

LANGS = ("zh", "en")
COOKIE = "rolkg_lang"
_LANG: ContextVar[str] = ContextVar("rolkg_lang", default="zh")


def current() -> str:
    """The language of the page being rendered."""
    return _LANG.get()


def use(lang: str | None) -> None:
    """Render the rest of this request in ``lang`` (anything unknown means the default)."""
    _LANG.set(lang if lang in LANGS else "zh")


def t(zh: str, en: str) -> str:
    """Page furniture: both languages by default, English alone in English."""
    return en if current() == "en" else f"{zh} {en}"


def pick(zh: str, en: str) -> str:
    """A data label: the English one in English when there is one, else the Chinese."""
    return en if current() == "en" and en else zh


class LanguageFromCookie:
    """ASGI middleware: each request renders in the language its cookie names.

    Plain ASGI rather than ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware runs the app in a
    task of its own behind memory streams, which cost about a third of a millisecond on every request,
    ``/sparql`` lookups included.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            lang = None
            for name, value in scope.get("headers") or ():
                if name == b"cookie":
                    lang = cookie_parser(value.decode("latin-1")).get(COOKIE)
                    break
            use(lang)
        await self.app(scope, receive, send)
