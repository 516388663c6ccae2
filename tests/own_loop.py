"""Run a coroutine on an event loop of its own, in a thread of its own.

A Playwright sync session (the browser tests, in the same pytest worker) keeps an event loop running in the
main thread, where ``asyncio.run`` then refuses to start; a fresh thread has no loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run(make())`` in a new thread; its result, or its exception raised here."""
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(make())
        except BaseException as err:
            out["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]
