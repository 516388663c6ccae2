"""Query shapes and what the pool has learnt about them: cheap enough for the fast lane, or slow.

A shape is the query's text with its IRIs, strings, numbers, comments and prefixed names' local parts
abstracted, so a lookup of one initiative and a lookup of another are one shape. The verdicts steer only
scheduling (which lane a query waits in), never what is allowed: the guard alone decides that.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from typing import Literal

Verdict = Literal["fast", "slow"]

_CONSTANTS = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\s]*>)"""
    r'''|(?P<str>"""(?:[^"\\]|\\.|"(?!""))*"""|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}'''
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<comment>\#[^\n]*)"""
    r"""|(?P<pname>(?<![\w?$])(?:[A-Za-z][\w.-]*)?:[\w.%:-]*)"""
    r"""|(?P<num>(?<![\w?$])[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)"""
)
_SPACE = re.compile(r"\s+")


def query_shape(text: str) -> str:
    """``text`` with its constants abstracted and white space collapsed (upper-cased: keywords' case)."""

    def abstract(match: re.Match[str]) -> str:
        kind = match.lastgroup
        if kind == "iri":
            return "<>"
        if kind == "str":
            return '""'
        if kind == "pname":
            return match.group(0).split(":", 1)[0] + ":"
        return "" if kind == "comment" else "0"

    return _SPACE.sub(" ", _CONSTANTS.sub(abstract, text)).strip().upper()


class ShapeVerdicts:
    """The last verdict per shape, at most ``limit`` of them (least recently used dropped), each
    forgotten after ``ttl`` seconds so that a shape slow on a busy minute is tried again later."""

    def __init__(self, limit: int = 4096, ttl: float = 600.0) -> None:
        self._limit = limit
        self._ttl = ttl
        self._lock = threading.Lock()
        self._verdicts: OrderedDict[str, tuple[Verdict, float]] = OrderedDict()

    def get(self, shape: str) -> Verdict | None:
        """What is known of ``shape``: ``fast``, ``slow`` or nothing (never run, or forgotten)."""
        with self._lock:
            entry = self._verdicts.get(shape)
            if entry is None:
                return None
            if time.monotonic() - entry[1] > self._ttl:
                del self._verdicts[shape]
                return None
            self._verdicts.move_to_end(shape)
            return entry[0]

    def mark(self, shape: str, verdict: Verdict) -> None:
        """Remember ``verdict`` for ``shape``; a ``slow`` verdict is never overwritten by ``fast`` runs
        still in flight (they ran on the general lane's terms)."""
        with self._lock:
            entry = self._verdicts.get(shape)
            if verdict == "fast" and entry is not None and entry[0] == "slow":
                return
            self._verdicts[shape] = (verdict, time.monotonic())
            self._verdicts.move_to_end(shape)
            while len(self._verdicts) > self._limit:
                self._verdicts.popitem(last=False)
