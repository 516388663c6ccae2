"""The C heap of ``rolkg serve``: fewer, tighter malloc arenas, and freed pages handed back to the system.

Oxigraph evaluates a query in native memory (hash tables of a whole-store count hold hundreds of
thousands of rows). glibc keeps what is freed: in one arena per thread that touched it (up to 8 per core)
and below a threshold that rises with each large block, so the server's RSS stayed near its peaks. The
settings below are glibc's own tunables; other C libraries ignore them. Measured at 1M quads after the
benchmark's workload, pages and REST routes: the web process 252 → 208 MB.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
import time
from typing import Any

# glibc's names (malloc.h) and the values set: 2 arenas, blocks from 128 KiB mmapped and unmapped on free,
# heap tops above 128 KiB trimmed.
TUNABLES = {"MALLOC_ARENA_MAX": 2, "MALLOC_MMAP_THRESHOLD_": 131072, "MALLOC_TRIM_THRESHOLD_": 131072}
_MALLOPT = {"MALLOC_ARENA_MAX": -8, "MALLOC_MMAP_THRESHOLD_": -3, "MALLOC_TRIM_THRESHOLD_": -1}


def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def tune_malloc() -> None:
    """Apply :data:`TUNABLES` to this process (``mallopt``) and, through the environment, to the processes it
    starts (the SPARQL workers), leaving any the user set alone."""
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None)
    for name, value in TUNABLES.items():
        os.environ.setdefault(name, str(value))
        if mallopt is not None:
            mallopt(_MALLOPT[name], int(os.environ[name]))


def release_freed_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing)."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)


HEAVY_SECONDS = 0.2  # a request this long has usually run a big query: its freed buffers are worth trimming


class TrimAfterHeavy:
    """ASGI middleware: after a request that took :data:`HEAVY_SECONDS` or more has been answered, trim the
    freed heap in a thread (one trim at a time; a few milliseconds, off the event loop)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._trimming = threading.Lock()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        try:
            await self.app(scope, receive, send)
        finally:
            if time.monotonic() - started >= HEAVY_SECONDS and self._trimming.acquire(blocking=False):
                threading.Thread(target=self._trim, name="rolkg-trim", daemon=True).start()

    def _trim(self) -> None:
        try:
            release_freed_memory()
        finally:
            self._trimming.release()
