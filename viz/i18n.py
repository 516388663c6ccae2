"""The page language: ``zh`` (the default: Chinese with English alongside) or ``en`` (English only, and
English labels wherever the graph has them), chosen with the switch in the header and kept in a cookie."""

from __future__ import annotations

from contextvars import ContextVar

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
