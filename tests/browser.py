"""Helpers for the Chromium tests: a page that records console errors, failed responses and requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


@dataclass
class Watch:
    """What a page did: console errors (and 4xx/5xx responses), requests, dialogs."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        """Requests to any host but the loopback server."""
        return [u for u in self.requests if urlparse(u).hostname != "127.0.0.1" and not u.startswith("data:")]

    def clean(self) -> None:
        assert self.errors == [], self.errors[:10]
        assert self.foreign() == [], self.foreign()[:10]
        assert self.dialogs == [], self.dialogs


def watched(browser, width: int = 1440, height: int = 900):
    """``(context, page, watch)``: a fresh context at ``width`` px whose page reports into ``watch``."""
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    watch = Watch()
    pg.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: watch.errors.append(str(e)))
    pg.on("request", lambda r: watch.requests.append(r.url))
    pg.on("response", lambda r: watch.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def on_dialog(d) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    return context, pg, watch


def shoot(pg, name: str) -> None:
    """Save a screenshot to test-artifacts/screenshots/{name}.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"))
