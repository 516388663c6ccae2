"""Figure checks: a stated change (同比上升104.5%, 较2022年增加153件) against the base year's figure for the
same place and indicator held in the store.

A figure and its change imply the base value (587件 up 104.5% → 287); when the store holds a figure of the
base year for the same place, indicator and unit, a ``rol:FigureCheck`` records both figures, the implied
value and whether they agree within 1 %. Checks of one place live in their own named graph
(``graph/checks/{place-slug}``) and are recomputed from that place's observations whenever one of its
reports is ingested, in whatever order the reports arrive; nothing else in the store is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rolkg.graph.indicators import concepts
from rolkg.graph.iris import digest, mint, slug_of
from rolkg.graph.namespaces import GRAPH, ROL
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import Backend

TOLERANCE = Decimal("0.01")  # relative: "consistent" within 1 % of the figure held
_DOWN = re.compile(r"下降|减少|降低|回落|减|降")
_BASE_YEAR = re.compile(r"(\d{4})年")


@dataclass(slots=True)
class Observation:
    """One observation of the place, as the checks need it."""

    metric: URIRef
    indicator: URIRef
    year: int
    statistic: str
    value: Decimal
    unit: str
    base: URIRef | None
    report: URIRef
    evidence: URIRef
    qualifiers: tuple[str, ...]


def checks_graph(place: URIRef) -> URIRef:
    """The named graph that holds the figure checks of ``place``."""
    found = slug_of(str(place))
    return GRAPH[f"checks/{found[1] if found else digest(str(place))}"]


def base_year(change: Observation) -> int:
    """The year a change is stated against: 较2022年 → 2022; 同比, 较上年 … → the previous year."""
    for q in change.qualifiers:
        m = _BASE_YEAR.search(q)
        if m:
            return int(m.group(1))
    return change.year - 1


def implied_base(change: Observation, figure: Observation) -> Decimal | None:
    """The base-period value that ``figure`` and its stated ``change`` imply; None when it cannot be told."""
    down = any(_DOWN.search(q) for q in change.qualifiers)
    c = -change.value if down else change.value
    if change.statistic == "relative-change":
        if figure.unit in ("%", "‰"):
            return None  # "rate up 2%": relative or points? ambiguous, so not checked
        factor = 1 + c / 100
        return figure.value / factor if factor > 0 else None
    if change.statistic in ("change", "point-change"):
        if change.statistic == "point-change" and figure.unit != "%":
            return None
        if change.statistic == "change" and change.unit != figure.unit:
            return None
        return figure.value - c
    return None


@dataclass(slots=True)
class Check:
    """A computed figure check (before it becomes RDF)."""

    change: Observation
    figure: Observation
    previous: Observation
    implied: Decimal
    deviation: Decimal
    base_year: int

    @property
    def status(self) -> str:
        return "consistent" if self.deviation <= TOLERANCE else "inconsistent"

    @property
    def iri(self) -> URIRef:
        found = slug_of(str(self.change.metric))
        stem = found[1] if found else digest(str(self.change.metric))
        return mint("check", f"{stem}-{digest(str(self.previous.metric))}")


def compute_checks(observations: list[Observation]) -> list[Check]:
    """Every check the observations of one place allow, in a stable order."""
    by_iri = {o.metric: o for o in observations}
    levels: dict[tuple[URIRef, int, str], list[Observation]] = {}
    for o in observations:
        if o.statistic == "level":
            levels.setdefault((o.indicator, o.year, o.unit), []).append(o)
    out: list[Check] = []
    for change in observations:
        if change.statistic == "level" or change.base is None or change.base not in by_iri:
            continue
        figure = by_iri[change.base]
        implied = implied_base(change, figure)
        if implied is None:
            continue
        year = base_year(change)
        for previous in levels.get((figure.indicator, year, figure.unit), []):
            if previous.report == figure.report or previous.value == 0:
                continue
            deviation = abs(implied - previous.value) / abs(previous.value)
            out.append(Check(change, figure, previous, implied, deviation, year))
    out.sort(key=lambda c: (str(c.change.metric), str(c.previous.metric)))
    return out


def observations_of(backend: Backend, place: URIRef) -> list[Observation]:
    """The place's observations in the store."""
    rows = QueryLayer(backend).select("indicators/place-observations", place=place)
    out: dict[URIRef, Observation] = {}
    for r in rows:
        metric = r["metric"]
        assert isinstance(metric, URIRef)
        if metric in out:
            continue  # a figure with two evidences: one is enough here
        base = r.get("base")
        out[metric] = Observation(
            metric=metric,
            indicator=URIRef(r["indicator"]),
            year=int(r["year"]),
            statistic=str(r["statistic"]),
            value=Decimal(str(r["value"])),
            unit=str(r["unit"]),
            base=URIRef(base) if base is not None else None,
            report=URIRef(r["report"]),
            evidence=URIRef(r["evidence"]),
            qualifiers=tuple(q for q in str(r.get("qualifiers") or "").split("|") if q),
        )
    return list(out.values())


def _fmt(value: Decimal) -> str:
    q = value.quantize(Decimal("0.01")).normalize()
    return f"{q:f}"


def to_graph(checks: list[Check], place: URIRef) -> Graph:
    """The checks as RDF (one ``rol:FigureCheck`` each, with both figures and their evidence)."""
    g = Graph()
    table = concepts()
    for c in checks:
        node = c.iri
        name = table[c.figure.indicator].label if c.figure.indicator in table else str(c.figure.indicator)
        g.add((node, RDF.type, ROL.FigureCheck))
        label = (
            f"{name} {c.figure.year}: {_fmt(c.figure.value)}{c.figure.unit} {'/'.join(c.change.qualifiers)}"
            f"{_fmt(c.change.value)}{c.change.unit} → {c.base_year} ≈ {_fmt(c.implied)}, "
            f"held {_fmt(c.previous.value)}{c.previous.unit}"
        )
        g.add((node, RDFS.label, Literal(label, lang="zh")))
        g.add((node, ROL.change, c.change.metric))
        g.add((node, ROL.figure, c.figure.metric))
        g.add((node, ROL.previousFigure, c.previous.metric))
        g.add((node, ROL.impliedValue, Literal(c.implied.quantize(Decimal("0.0001")), datatype=XSD.decimal)))
        g.add((node, ROL.deviation, Literal(c.deviation.quantize(Decimal("0.0001")), datatype=XSD.decimal)))
        g.add((node, ROL.checkStatus, Literal(c.status)))
        g.add((node, ROL.baseYear, Literal(c.base_year, datatype=XSD.integer)))
        g.add((node, ROL.year, Literal(c.figure.year, datatype=XSD.integer)))
        g.add((node, ROL.place, place))
        g.add((node, ROL.indicatorConcept, c.figure.indicator))
        for o in (c.change, c.figure, c.previous):
            g.add((node, ROL.evidence, o.evidence))
    return g


def recheck_place(backend: Backend, place: URIRef) -> list[Check]:
    """Recompute the figure checks of ``place`` and replace its checks graph; returns the checks."""
    checks = compute_checks(observations_of(backend, place))
    name = checks_graph(place)
    if checks:
        backend.replace_graph(name, to_graph(checks, place))
    else:
        backend.drop_graph(name)
    return checks


def recheck_all(backend: Backend) -> int:
    """Recompute the checks of every place with observations; returns how many checks there are."""
    total = 0
    for row in QueryLayer(backend).select("indicators/places-with-observations"):
        place = row["place"]
        if isinstance(place, URIRef):
            total += len(recheck_place(backend, place))
    return total
