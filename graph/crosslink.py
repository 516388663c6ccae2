"""Lineage across reports of one place: later work continues earlier plans and work; plans are followed up.

All reports of a place (every body of it: the government and its justice bureau) are compared at once,
and the outcome replaces that place's lineage graph (``graph/lineage/{place}``). The links are therefore a
function of which reports the store holds, not of the order they arrived in: an earlier report
arriving links the later ones to it too. The cost is that of the affected place's reports only.

- ``rol:continues``: a measure of year Y's report → the best-matching plans and work of the nearest
  earlier report year that has a match (so chains run year by year), scored and reified with the
  evidence of both ends.
- ``rol:FollowThrough``: each plan for year Y → the year-Y work that carries it out, with a status:
  carried-out, mentioned (weaker match), not-found (Y reports held, none carries it), no-report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rolkg.graph.build import add_link, score_literal
from rolkg.graph.iris import mint, slug_of
from rolkg.graph.lineage import Profile, best_targets, profile, similarity, weigh
from rolkg.graph.namespaces import RDF, ROL
from rolkg.graph.query import QueryLayer
from rolkg.graph.report_place import lineage_graph
from rolkg.graph.store import Backend

# Chosen on the fixture series (tests/test_crosslink.py): across years routine wording repeats, so a
# continuation needs more agreement than inside one report.
CONTINUES_ACROSS_YEARS_MIN = 0.35
CARRIED_OUT_MIN = 0.35
MENTIONED_MIN = 0.2

STATUSES = ("carried-out", "mentioned", "not-found", "no-report")


@dataclass(slots=True)
class Measure:
    iri: URIRef
    report: URIRef
    year: int  # the report's year
    planned: bool
    pilot: bool
    evidence: URIRef | None
    profile: Profile


@dataclass(slots=True)
class RelinkResult:
    place: Node
    reports: int
    links: int
    plans: int


def load_place(layer: QueryLayer, place: Node) -> list[Measure]:
    """Every measure of the place's reports, profiled and weighted over the place (report by report, so
    the cost is that of the place's reports, not of the store)."""
    out: list[Measure] = []
    for rep in layer.select("lineage/place-reports", place=place):
        report, year = rep["report"], int(rep["reportYear"])
        types: dict[URIRef, set[URIRef]] = defaultdict(set)
        text: dict[URIRef, tuple[str, str]] = {}
        for row in layer.select("lineage/report-measures", report=report):
            types[row["item"]].add(row["type"])
            text[row["item"]] = (str(row["label"]), str(row["description"]))
        shared: dict[URIRef, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in layer.select("lineage/report-measure-links", report=report):
            shared[row["item"]][_facet(row["p"], row["o"])].add(str(row["o"]))
        for item in sorted(text):
            label, description = text[item]
            facets = shared[item]
            out.append(
                Measure(
                    iri=item,
                    report=report,
                    year=year,
                    planned=ROL.PlannedInitiative in types[item],
                    pilot=ROL.Pilot in types[item],
                    evidence=URIRef(min(facets["evidence"])) if facets["evidence"] else None,
                    profile=profile(
                        f"{label} {description}",
                        label,
                        frozenset(facets["document"]),
                        frozenset(facets["facility"]),
                        frozenset(facets["theme"]),
                    ),
                )
            )
    weigh([m.profile for m in out])
    return out


def _facet(p: Node, o: Node) -> str:
    """Which kind of shared thing a (predicate, object) of a measure is."""
    if p == ROL.theme:
        return "theme"
    if p == ROL.evidence:
        return "evidence"
    kind = slug_of(str(o))
    return kind[0] if kind and kind[0] in ("document", "facility") else "other"


def link_place(measures: list[Measure]) -> Graph:
    """The place's lineage graph: cross-report ``rol:continues`` links and plan follow-through."""
    g = Graph()
    by_year: dict[int, list[Measure]] = defaultdict(list)
    for m in measures:
        if not m.pilot:
            by_year[m.year].append(m)
    years = sorted(by_year)
    for y in years:
        for work in by_year[y]:
            if work.planned:
                continue
            for earlier_year in reversed([e for e in years if e < y]):
                scored = [(similarity(work.profile, t.profile), t) for t in by_year[earlier_year]]
                kept = best_targets(scored, CONTINUES_ACROSS_YEARS_MIN)
                for score, target in kept:
                    _link(g, work, target, score)
                if kept:
                    break
    for y in years:
        for plan in by_year[y]:
            if plan.planned:
                _follow_through(
                    g, plan, [m for m in by_year.get(y + 1, []) if not m.planned], y + 1 in by_year
                )
    return g


def _link(g: Graph, work: Measure, target: Measure, score: float) -> None:
    node = add_link(g, work.report, _slug(work.report), work.iri, ROL.continues, target.iri)
    g.add((node, ROL.score, score_literal(score)))
    for ev in (work.evidence, target.evidence):
        if ev is not None:
            g.add((node, ROL.evidence, ev))


def _follow_through(g: Graph, plan: Measure, work: list[Measure], held: bool) -> None:
    node = mint("followthrough", _slug(plan.iri))
    g.add((node, RDF.type, ROL.FollowThrough))
    g.add((node, ROL.plan, plan.iri))
    g.add((node, ROL.report, plan.report))
    scored = [(similarity(w.profile, plan.profile), w) for w in work]
    top = max((s for s, _ in scored), default=0.0)
    if not held:
        status = "no-report"
    elif top >= CARRIED_OUT_MIN:
        status = "carried-out"
    elif top >= MENTIONED_MIN:
        status = "mentioned"
    else:
        status = "not-found"
    g.add((node, ROL.status, Literal(status)))
    if status in ("carried-out", "mentioned"):
        g.add((node, ROL.score, score_literal(top)))
        for _, w in best_targets(scored, MENTIONED_MIN):
            g.add((node, ROL.followedUpBy, w.iri))
            if w.evidence is not None:
                g.add((node, ROL.evidence, w.evidence))


def relink_place(backend: Backend, place: Node) -> RelinkResult:
    """Recompute one place's cross-report lineage and replace its lineage graph."""
    measures = load_place(QueryLayer(backend), place)
    g = link_place(measures)
    name = lineage_graph(place)
    if len(g):
        backend.replace_graph(name, g)
    else:
        backend.drop_graph(name)
    return RelinkResult(
        place=place,
        reports=len({m.report for m in measures}),
        links=len(set(g.subjects(RDF.type, ROL.LineageLink))),
        plans=len(set(g.subjects(RDF.type, ROL.FollowThrough))),
    )


def place_of_report(backend: Backend, report: URIRef) -> Node | None:
    rows = QueryLayer(backend).select("lineage/place-of-report", report=report)
    return rows[0]["place"] if rows else None


def relink_all(backend: Backend) -> list[RelinkResult]:
    """Recompute every place's cross-report lineage (``rolkg relink``)."""
    places = [row["place"] for row in QueryLayer(backend).select("lineage/places")]
    return [relink_place(backend, p) for p in places]


def _slug(iri: URIRef) -> str:
    parts = slug_of(str(iri))
    return parts[1] if parts else str(iri)
