"""Which indicator of the scheme (``ontology/indicators.ttl``) a figure counts.

A figure's raw ``rol:indicator`` is the report's phrase (行政复议发案量, 申请, 咨询); this module maps it to
a concept of the SKOS scheme so that figures of different reports, places and years can be compared.
The scheme's labels drive everything (see the file's header): surface forms (``skos:altLabel``) found in
the words leading to the figure, context forms ``A…B`` (``skos:hiddenLabel``), and the units a concept is
counted in. A figure that names a list of kinds (规范性文件、行政合同、重大行政执法决定等共计…) counts
their common broader indicator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from rolkg.graph.extract.metrics import normalise
from rolkg.graph.model import Metric, Span
from rolkg.graph.namespaces import ROL
from rolkg.ontology import INDICATORS_TTL

_CLAUSE_BREAK = set(",，;；。:!?！？\n|")
_SENTENCE_BREAK = set(";；。!?！？\n|")
_MAX_LOOKBACK = 300  # characters: a run-on sentence does not lend context from a paragraph away
_GAP = "…"


@dataclass(frozen=True, slots=True)
class Concept:
    """One indicator of the scheme, as the matcher needs it."""

    iri: URIRef
    label: str
    units: frozenset[str]
    forms: tuple[str, ...]  # surface forms, longest first
    contexts: tuple[tuple[str, str], ...]  # (A, B): B near the figure, A earlier in the sentence
    broader: URIRef | None


@dataclass(frozen=True, slots=True)
class Match:
    """A figure's indicator: the concept, the form that matched and the words it matched in."""

    concept: URIRef
    form: str
    span: Span


@lru_cache(maxsize=1)
def scheme_graph() -> Graph:
    """The parsed indicator scheme (once per process)."""
    return Graph().parse(INDICATORS_TTL, format="turtle")


@lru_cache(maxsize=1)
def concepts() -> dict[URIRef, Concept]:
    """Every concept of the scheme, by IRI."""
    g = scheme_graph()
    out: dict[URIRef, Concept] = {}
    for iri in set(g.subjects(SKOS.inScheme, ROL.indicators)):
        assert isinstance(iri, URIRef)
        zh = [str(o) for o in g.objects(iri, SKOS.prefLabel) if getattr(o, "language", None) == "zh"]
        forms = {str(o) for o in g.objects(iri, SKOS.altLabel) if getattr(o, "language", None) == "zh"}
        contexts = set()
        for o in g.objects(iri, SKOS.hiddenLabel):
            a, _, b = str(o).partition(_GAP)
            if a and b:
                contexts.add((a, b))
        broader = g.value(iri, SKOS.broader)
        out[iri] = Concept(
            iri=iri,
            label=zh[0] if zh else str(iri),
            units=frozenset(str(u) for u in g.objects(iri, ROL.unit)),
            forms=tuple(sorted(forms, key=lambda f: (-len(f), f))),
            contexts=tuple(sorted(contexts)),
            broader=broader if isinstance(broader, URIRef) else None,
        )
    return out


def ancestors(iri: URIRef) -> list[URIRef]:
    """``iri`` and its broader concepts, nearest first."""
    chain: list[URIRef] = []
    table = concepts()
    cur: URIRef | None = iri
    while cur is not None and cur not in chain and cur in table:
        chain.append(cur)
        cur = table[cur].broader
    return chain


def _start_of(norm: str, pos: int, breaks: set[str]) -> int:
    floor = max(0, pos - _MAX_LOOKBACK)
    i = pos
    while i > floor and norm[i - 1] not in breaks:
        i -= 1
    return i


def _end_of(norm: str, pos: int, limit: int) -> int:
    i = pos
    while i < min(limit, len(norm)) and norm[i] not in _CLAUSE_BREAK and i - pos < 40:
        i += 1
    return i


@dataclass(slots=True)
class _Candidate:
    score: float
    concept: URIRef
    form: str
    span: Span


def _best_in(
    words: str, offset: int | None, before: str, before_at: int, unit: str, fallback: Span
) -> _Candidate | None:
    """Best concept whose form occurs in ``words`` (at text offset ``offset`` when it is text)."""
    best: _Candidate | None = None
    for c in concepts().values():
        if unit not in c.units:
            continue
        for form in c.forms:
            k = words.rfind(form)
            if k == -1:
                continue
            span = Span(offset + k, offset + k + len(form)) if offset is not None else fallback
            # a form in the report's own words beats one only in the reconstructed indicator
            cand = _Candidate(len(form) + 0.5, c.iri, form, span)
            if best is None or (cand.score, str(cand.concept)) > (best.score, str(best.concept)):
                best = cand
            break  # forms are longest first
        for a, b in c.contexts:
            k = words.rfind(b)
            if k == -1:
                continue
            j = before.find(a)
            # A must come before this B (B's text position, when known)
            b_at = (offset + k) if offset is not None else None
            if j == -1 or (b_at is not None and before_at + j + len(a) > b_at):
                continue
            end = b_at + len(b) if b_at is not None else fallback.end
            cand = _Candidate(
                len(a) + len(b), c.iri, f"{a}{_GAP}{b}", Span(before_at + j, max(end, fallback.end))
            )
            if best is None or (cand.score, str(cand.concept)) > (best.score, str(best.concept)):
                best = cand
    return best


def _common_broader(iris: list[URIRef]) -> URIRef | None:
    chains = [ancestors(i) for i in iris]
    for candidate in chains[0]:
        if all(candidate in chain for chain in chains[1:]):
            return candidate
    return None


def match_metric(text: str, metric: Metric, prev_end: int = 0, norm: str | None = None) -> Match | None:
    """The indicator of ``metric`` (a figure of ``text``), or None when no concept fits.

    ``prev_end`` is where the previous figure ends: the words leading to this figure start after it.
    """
    norm = norm if norm is not None else normalise(text)
    start, end = metric.span.start, metric.span.end
    clause = _start_of(norm, start, _CLAUSE_BREAK)
    sentence = _start_of(norm, start, _SENTENCE_BREAK)
    head_at = max(clause, prev_end if prev_end <= start else clause)
    head = norm[head_at:start]
    before = norm[sentence:start]
    raw = normalise(metric.indicator or "")
    unit = metric.unit
    if "、" in raw:
        parts = [p for p in raw.replace("等", "").split("、") if p]
        found = [_best_in(p, None, before, sentence, unit, metric.span) for p in parts]
        hits = [f.concept for f in found if f is not None]
        if len(hits) >= 2 and len(set(hits)) > 1:
            common = _common_broader(hits)
            if common is None:
                return None
            return Match(common, raw, Span(head_at, end))
    best = _best_in(head, head_at, before, sentence, unit, metric.span)
    if raw and raw not in head:
        # the indicator was read after the figure (建成1个中心和2个服务点) or carried over from the
        # figure before: the words before this figure name something else, so the raw phrase decides
        other = _best_in(raw, None, before, sentence, unit, metric.span)
        if other is not None:
            best = other
    if best is None:
        tail_end = _end_of(norm, end, len(norm))
        best = _best_in(norm[end:tail_end], end, norm[sentence:end], sentence, unit, metric.span)
    if best is None:
        return None
    lo, hi = min(best.span.start, start), max(best.span.end, end)
    return Match(best.concept, best.form, Span(lo, hi))


def match_metrics(text: str, metrics: list[Metric]) -> list[Match | None]:
    """The indicator of each figure of ``text`` (in order); a change takes the indicator of its figure."""
    norm = normalise(text)
    out: list[Match | None] = []
    prev_end = 0
    for i, m in enumerate(metrics):
        if m.change_of is not None and 0 <= m.change_of < i:
            out.append(out[m.change_of])
        else:
            out.append(match_metric(text, m, prev_end, norm))
        prev_end = m.span.end
    return out


def statistic(metric: Metric, base: Metric | None) -> str:
    """What a figure states: ``level``, or for a change ``change`` / ``relative-change`` / ``point-change``."""
    if base is None:
        return "level"
    if metric.unit == "百分点":
        return "point-change"
    if metric.unit in ("%", "‰") and base.unit not in ("%", "‰"):
        return "relative-change"
    if metric.unit in ("%", "‰"):
        return "relative-change"  # a % change of a rate: read as relative, which checks then skip
    return "change"
