"""Span look-ups used to hang findings on items: the same answers as a scan of every record."""

from __future__ import annotations

import random

from rolkg.graph.model import Span
from rolkg.graph.spans import Innermost, Within


def _tree(rng: random.Random, start: int, end: int, depth: int) -> list[Span]:
    """Nested spans: siblings that do not overlap, each holding a few children."""
    out: list[Span] = []
    pos = start
    while pos < end - 2:
        s = pos + rng.randrange(0, 3)
        e = min(end, s + rng.randrange(2, 40))
        if e <= s:
            break
        out.append(Span(s, e))
        if depth:
            out.extend(_tree(rng, s, e, depth - 1))
        pos = e
    return out


def test_within_matches_a_full_scan() -> None:
    rng = random.Random(7)
    records = [Span(s, s + rng.randrange(0, 9)) for s in (rng.randrange(0, 500) for _ in range(300))]
    within = Within(records, lambda r: r)
    for _ in range(200):
        a = rng.randrange(0, 500)
        probe = Span(a, a + rng.randrange(0, 80))
        assert sorted(within(probe), key=lambda r: (r.start, r.end)) == sorted(
            (r for r in records if probe.contains(r)), key=lambda r: (r.start, r.end)
        )


def test_innermost_matches_a_full_scan() -> None:
    rng = random.Random(11)
    items = _tree(rng, 0, 600, 2)
    innermost = Innermost(items, lambda r: r)
    for _ in range(300):
        a = rng.randrange(0, 600)
        probe = Span(a, a + rng.randrange(0, 6))
        holders = [r for r in items if r.contains(probe)]
        # the deepest holder is the shortest one (holders of one span are nested)
        expected = min(holders, key=lambda r: r.end - r.start) if holders else None
        got = innermost(probe)
        assert (got.end - got.start if got else None) == (expected.end - expected.start if expected else None)
        if got:
            assert got.contains(probe)
