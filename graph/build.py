"""Extracted facts → the triples of one report's named graph, each fact tied to its evidence span."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rolkg.graph.cube import add_observations
from rolkg.graph.extract.report import ItemFacts, ReportFacts, extract_facts, mentioned_places
from rolkg.graph.gazetteer import Place, gazetteer, place_iri
from rolkg.graph.iris import digest, mint, report_graph, slugify
from rolkg.graph.kinds import facility_kind, programme_kinds
from rolkg.graph.lineage import link_plans
from rolkg.graph.metadata import detect
from rolkg.graph.model import ReportMeta, Span
from rolkg.graph.namespaces import DCTERMS, OA, ORG, RDF, RDFS, ROL, SKOS
from rolkg.graph.pipeline import ExtractedReport
from rolkg.graph.report_place import place_slug
from rolkg.graph.segment import segment
from rolkg.graph.spans import Innermost, Within
from rolkg.graph.text import Script, normalize, title_text

from rolkg.errors import ExtractionError

try:
    from rolkg.graph.resolve import resolve_titles
except ImportError:  # pragma: no cover - resolution lands separately

    def resolve_titles(titles: list[str]) -> dict[str, str]:
        return {t: t for t in titles}


GENERIC_BODIES = frozenset({"行业协会", "商会"})
# A report names the same bodies and documents many times; pinyin per mention was a tenth of build time.
_slug = lru_cache(maxsize=65536)(slugify)


def add_link(g: Graph, report: URIRef, slug: str, s: URIRef, p: URIRef, o: URIRef) -> URIRef:
    """Assert the lineage triple ``s p o`` in ``g`` and its reification; returns the link node for evidence."""
    g.add((s, p, o))
    node = mint("link", f"{slug}-{p.split('#')[-1].lower()}-{digest(s, p, o)}")
    g.add((node, RDF.type, ROL.LineageLink))
    g.add((node, RDF.subject, s))
    g.add((node, RDF.predicate, p))
    g.add((node, RDF.object, o))
    g.add((node, ROL.report, report))
    return node


def score_literal(score: float) -> Literal:
    """A link score as xsd:decimal with three places (stable across runs and engines)."""
    return Literal(Decimal(f"{score:.3f}"), datatype=XSD.decimal)


def zh(text: str) -> Literal:
    """A Chinese label, with full-width forms folded (２０２４ → 2024) so labels agree across reports."""
    return Literal(normalize(text), lang="zh")


def build_report(text: str, meta: ReportMeta) -> ExtractedReport:
    """Segment, detect metadata, extract and map to RDF. Raises :class:`ExtractionError` with advice."""
    if not text.strip():
        raise ExtractionError("the report is empty: give a file that holds the report's text")
    layout = segment(text, year=meta.year)
    given_title = meta.title
    # Detection reads the simplified view (same offsets); the title keeps the characters it is published in.
    meta = detect(replace(layout, text=layout.view or text), meta)
    if given_title is None and meta.title and layout.title:
        meta.title = title_text(layout.title.quote(text))
    if not meta.issuer:
        raise ExtractionError("cannot tell who issued this report: pass --issuer (e.g. 慈溪市司法局)")
    if not meta.year:
        raise ExtractionError("cannot tell which year this report covers: pass --year (e.g. 2024)")
    facts = extract_facts(layout, meta)
    slug = meta.slug or f"{slugify(meta.issuer)}-{meta.year}"
    meta.slug = slug
    builder = _Builder(text, facts, slug)
    builder.build()
    return ExtractedReport(report=builder.report, graph_name=report_graph(slug), graph=builder.g, meta=meta)


class _Builder:
    """Holds the graph under construction and mints IRIs for one report."""

    def __init__(self, text: str, facts: ReportFacts, slug: str) -> None:
        self.text = text
        self.facts = facts
        self.meta = facts.meta
        self.slug = slug
        self.report = mint("report", slug)
        self.g = Graph()
        self.g.bind("rol", ROL)
        self.g.bind("skos", SKOS)
        self.g.bind("dcterms", DCTERMS)
        self.g.bind("oa", OA)
        self.g.bind("org", ORG)
        self.items: dict[tuple[int, ...], URIRef] = {}
        self.titles = resolve_titles([d.title for d, _ in facts.documents])
        self.all_items = facts.items()
        # A mention's owner: the innermost initiative holding it (pilots are not owners).
        self._owner = Innermost(
            [it for it in self.all_items if it.kind in ("initiative", "planned")], lambda it: it.span
        )
        self._bodies_in = Within(self.facts.bodies, lambda b: b.span)
        self._documents_in = Within(self.facts.documents, lambda d: d[0].span)
        self.place = place_slug(facts.meta.jurisdiction or facts.meta.issuer or "")

    # -- helpers ---------------------------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.g.add((s, p, o))

    def evidence(self, subject: URIRef, span: Span) -> URIRef:
        """Attach an evidence node quoting ``text[span]`` to ``subject``."""
        ev = mint("evidence", f"{self.slug}-{span.start}-{span.end}")
        if (ev, RDF.type, ROL.Evidence) not in self.g:
            self.add(ev, RDF.type, ROL.Evidence)
            self.add(ev, ROL.report, self.report)
            self.add(ev, OA.exact, Literal(span.quote(self.text)))
            self.add(ev, OA.start, Literal(span.start, datatype=XSD.integer))
            self.add(ev, OA.end, Literal(span.end, datatype=XSD.integer))
        self.add(subject, ROL.evidence, ev)
        return ev

    def label(self, s: URIRef, text: str) -> None:
        self.add(s, RDFS.label, zh(text))

    def item_iri(self, path: tuple[int, ...]) -> URIRef:
        return mint("initiative", f"{self.slug}-{'-'.join(map(str, path))}")

    def link(
        self, s: URIRef, p: URIRef, o: URIRef, spans: tuple[Span, ...], score: float | None = None
    ) -> None:
        """Assert a lineage triple and reify it with its evidence (and its score, when texts were compared)."""
        node = add_link(self.g, self.report, self.slug, s, p, o)
        if score is not None:
            self.add(node, ROL.score, score_literal(score))
        for span in spans:
            self.evidence(node, span)

    # -- the report ------------------------------------------------------------------------------
    def build(self) -> None:
        self.report_node()
        for section in self.facts.sections:
            sec = mint("section", f"{self.slug}-{section.number}")
            self.add(sec, RDF.type, ROL.Section)
            self.label(sec, section.label)
            self.add(sec, ROL.report, self.report)
            self.add(sec, ROL.order, Literal(section.number))
            self.add(sec, ROL.sectionKind, Literal(section.kind))
            self.evidence(sec, section.label_span)
            for area in section.areas:
                a = mint("area", f"{self.slug}-{'-'.join(map(str, area.path))}")
                self.add(a, RDF.type, ROL.FocusArea)
                self.label(a, area.label)
                self.add(a, ROL.partOf, sec)
                self.add(a, ROL.order, Literal(area.path[-1] or 1))
                self.add(a, ROL.report, self.report)
                self.evidence(a, area.label_span)
                for item in area.items:
                    self.item(item, a)
        self.bodies()
        self.documents()
        self.metrics()
        self.facilities()
        self.programmes()
        self.recognitions()
        self.lineage()
        self.scripts()

    def lineage(self) -> None:
        for link in link_plans(self.facts, self.titles):
            prop = ROL.continues if link.relation == "continues" else ROL.addresses
            target = (
                self.items[link.target.path]
                if link.relation == "continues"
                else mint("shortcoming", f"{self.slug}-{link.target.span.start}")
            )
            self.link(self.items[link.subject.path], prop, target, link.evidence, link.score)

    def scripts(self) -> None:
        """A report published in traditional characters: every name in the published form, with the
        simplified form as skos:altLabel, so that a search in either script finds it. IRIs stay those of
        the simplified names, so the report's resources are the same as its simplified twin's."""
        script = Script(self.text, self.facts.layout.view or self.text)
        if not script.traditional:
            return
        names = (RDFS.label, SKOS.prefLabel, DCTERMS.title, SKOS.altLabel)
        for s, p, o in list(self.g):
            if p not in names or not isinstance(o, Literal) or o.language != "zh":
                continue
            written = str(o)
            simplified = script.simplified(written)
            if simplified != written:  # already as published (taken from the original text)
                self.add(s, SKOS.altLabel, Literal(simplified, lang="zh"))
                continue
            published = script.published(written)
            if published != written:
                self.g.remove((s, p, o))
                self.add(s, p, Literal(published, lang="zh"))
                self.add(s, SKOS.altLabel, o)

    def report_node(self) -> None:
        r, m = self.report, self.meta
        self.add(r, RDF.type, ROL.Report)
        if m.title:
            self.add(r, DCTERMS.title, zh(m.title))
            self.label(r, m.title)
        else:
            # No title line: a label for display, never presented as the report's own title.
            self.label(r, f"{m.issuer} {m.year}年度报告（无标题）")
        self.add(r, ROL.year, Literal(m.year))
        self.add(r, ROL.text, Literal(self.text))
        if self.facts.jurisdiction is not None:
            unit = self.facts.jurisdiction.unit
            self.add(r, ROL.jurisdiction, self.place_node(unit))
            for place in mentioned_places(self.facts):
                if place != unit:
                    self.add(r, DCTERMS.spatial, self.place_node(place))
        if m.source:
            self.add(r, DCTERMS.source, URIRef(m.source))
        if m.issued:
            self.add(r, DCTERMS.issued, Literal(m.issued, datatype=XSD.date))
        self.add(r, DCTERMS.publisher, self.body_iri(m.issuer or ""))

    def item(self, item: ItemFacts, parent: URIRef) -> None:
        if item.kind == "shortcoming":
            s = mint("shortcoming", f"{self.slug}-{item.span.start}")
            self.add(s, RDF.type, ROL.Shortcoming)
            self.label(s, item.label)
            self.add(s, DCTERMS.description, Literal(item.span.quote(self.text), lang="zh"))
            self.add(s, ROL.order, Literal(item.path[-1]))
            self.add(s, ROL.report, self.report)
            self.evidence(s, item.span)
            return
        i = self.item_iri(item.path)
        self.items[item.path] = i
        self.add(i, RDF.type, ROL.Initiative)
        if item.planned:
            self.add(i, RDF.type, ROL.PlannedInitiative)
        if item.kind == "pilot":
            self.add(i, RDF.type, ROL.Pilot)
        self.label(i, item.label)
        self.add(i, DCTERMS.description, Literal(item.span.quote(self.text), lang="zh"))
        self.add(i, ROL.partOf, parent)
        self.add(i, ROL.order, Literal(item.path[-1]))
        self.add(i, ROL.report, self.report)
        year = (self.meta.year or 0) + (1 if item.planned else 0)
        self.add(i, ROL.year, Literal(year))
        self.evidence(i, item.span)
        for body in item.lead:
            self.add(i, ROL.leadBody, self.body_iri(body))
        for body in item.partners:
            self.add(i, ROL.partnerBody, self.body_iri(body))
        for theme in item.themes:
            self.add(i, ROL.theme, theme)
        for child in item.children:
            self.item(child, i)
            pilot = self.items[child.path]
            if child.scaled:
                self.link(i, ROL.scaledFrom, pilot, (child.span,))
            else:
                self.link(i, ROL.produces, pilot, (child.span,))

    # -- shared resources ------------------------------------------------------------------------
    def place_node(self, place: Place) -> URIRef:
        """The place's IRI, with its description and its chain up to the country (once per graph)."""
        iri = place_iri(place)
        if (iri, RDF.type, ROL.Place) in self.g:
            return iri
        self.add(iri, RDF.type, ROL.Place)
        self.add(iri, RDFS.label, Literal(place.name, lang="zh"))
        # Romanised name as an alternative, so the zh label stays the one display label.
        self.add(iri, DCTERMS.alternative, Literal(place.pinyin, lang="en"))
        self.add(iri, SKOS.altLabel, Literal(gazetteer().path(place), lang="zh"))
        self.add(iri, DCTERMS.identifier, Literal(place.code))
        self.add(iri, ROL.level, Literal(place.level))
        parent = gazetteer().parent(place)
        if parent is not None:
            self.add(iri, ROL.within, self.place_node(parent))
        return iri

    def body_iri(self, canonical: str) -> URIRef:
        return mint("body", _slug(canonical))

    def bodies(self) -> None:
        seen: set[URIRef] = set()
        issuer = self.body_iri(self.meta.issuer or "")
        for b in self.facts.bodies:
            if b.canonical in GENERIC_BODIES:
                continue  # "in trade associations and chambers": sectors, not one organisation
            iri = self.body_iri(b.canonical)
            if iri not in seen:
                seen.add(iri)
                self.add(iri, RDF.type, ROL.Body)
                self.add(iri, SKOS.prefLabel, zh(b.canonical))
                self.label(iri, b.canonical)
                self.add(iri, ROL.level, Literal(b.level))
                self.add(iri, ROL.mentionedIn, self.report)
                if b.parent:
                    self.add(iri, ORG.subOrganizationOf, self.body_iri(b.parent))
            if b.surface != b.canonical:
                self.add(iri, SKOS.altLabel, zh(b.surface))
            self.evidence(iri, b.span)
        # Bodies named only as leads/partners/creators/parents still need their core triples.
        for ref in {o for o in self.g.objects(None, None) if isinstance(o, URIRef)}:
            if str(ref).startswith(str(mint("body", ""))) and ref not in seen:
                self.orphan_body(ref, issuer)

    def orphan_body(self, iri: URIRef, issuer: URIRef) -> None:
        """A body referred to but not matched in the text (the issuer given by metadata)."""
        name = self.meta.issuer if iri == issuer else None
        if name is None:
            return
        self.add(iri, RDF.type, ROL.Body)
        self.add(iri, SKOS.prefLabel, zh(name))
        self.label(iri, name)
        self.add(iri, ROL.mentionedIn, self.report)
        title = self.facts.layout.title
        seen = self.facts.layout.view or self.text  # the simplified view: the issuer's name is simplified
        if title and name in title.quote(seen):
            at = title.start + title.quote(seen).index(name)
            self.evidence(iri, Span(at, at + len(name)))

    def documents(self) -> None:
        for d, relation in self.facts.documents:
            canonical = self.titles.get(d.title, d.title)
            iri = mint("document", _slug(canonical))
            self.add(iri, RDF.type, ROL.Document)
            self.add(iri, DCTERMS.title, zh(canonical))
            self.label(iri, canonical)
            self.add(iri, ROL.documentKind, Literal(d.kind))
            self.add(iri, ROL.mentionedIn, self.report)
            if d.title != canonical:
                self.add(iri, SKOS.altLabel, zh(d.title))
            if d.count is not None:
                self.add(iri, ROL["count"], Literal(d.count))
            owner = self.owner(d.span)
            creator = d.creator
            if creator is None and relation == "produces" and owner is not None:
                creator = owner.lead[0] if owner.lead else None
            if creator:
                self.add(iri, DCTERMS.creator, self.body_iri(creator))
            self.evidence(iri, d.span)
            if owner is not None and relation:
                prop = ROL.produces if relation == "produces" else ROL.implements
                self.link(self.items[owner.path], prop, iri, (self.clause(d.span),))

    def owner(self, span: Span) -> ItemFacts | None:
        """The innermost non-pilot initiative whose text holds ``span``."""
        return self._owner(span)

    def clause(self, span: Span) -> Span:
        """The sentence part around ``span``, for link evidence."""
        norm = self.facts.layout.norm
        s = max(norm.rfind(c, 0, span.start) for c in ",;。:\n") + 1
        ends = [i for i in (norm.find(c, span.end) for c in ",;。\n") if i != -1]
        e = min(ends) if ends else len(norm)
        return Span(s, e)

    def metrics(self) -> None:
        iris = [mint("metric", f"{self.slug}-{m.span.start}") for m in self.facts.metrics]
        for m, iri in zip(self.facts.metrics, iris, strict=True):
            self.add(iri, RDF.type, ROL.Metric)
            self.add(iri, RDF.value, Literal(m.value, datatype=XSD.decimal))
            self.add(iri, ROL.unit, Literal(m.unit))
            indicator = m.indicator or m.unit
            self.add(iri, ROL.indicator, zh(indicator))
            self.label(iri, f"{indicator} {m.span.quote(self.text)}")
            for q in m.qualifiers:
                self.add(iri, ROL.qualifier, Literal(q))
            if m.change_of is not None and 0 <= m.change_of < len(iris):
                self.add(iri, ROL.changeOf, iris[m.change_of])
            self.add(iri, ROL.report, self.report)
            owner = self.owner(m.span)
            if owner is not None:
                self.add(iri, ROL.measures, self.items[owner.path])
            self.evidence(iri, m.span)
        add_observations(
            self.g,
            self.facts.layout.view or self.text,  # simplified characters: the scheme's forms are simplified
            self.facts.metrics,
            iris,
            slug=self.slug,
            year=self.meta.year or 0,
            jurisdiction=self.meta.jurisdiction,
            evidence=self.evidence,
        )

    def facility_iri(self, name: str) -> URIRef:
        """A facility is one place's: the same name in two places is two facilities."""
        return mint("facility", f"{self.place}-{slugify(name)}")

    def facilities(self) -> None:
        for f in self.facts.facilities:
            iri = self.facility_iri(f.name)
            self.add(iri, RDF.type, ROL.Facility)
            self.label(iri, f.name)
            self.add(iri, ROL.facilityType, Literal(f.kind))
            kind = facility_kind(f.name)
            if kind is not None:
                self.add(iri, ROL.facilityKind, kind)
            if f.count is not None:
                self.add(iri, ROL["count"], Literal(f.count))
            self.add(iri, ROL.mentionedIn, self.report)
            self.evidence(iri, f.span)
            owner = self.owner(f.span)
            if owner is not None:
                self.link(self.items[owner.path], ROL.produces, iri, (self.clause(f.span),))

    def programmes(self) -> None:
        """Recurring programmes (法治体检, 民主法治示范村 …) a measure names get their kind."""
        text = self.facts.layout.norm
        for it in self.all_items:
            if it.kind not in ("initiative", "planned") or it.path not in self.items:
                continue
            for m in programme_kinds(text[it.span.start : it.span.end], it.span.start):
                if self.owner(Span(m.start, m.end)) is it:
                    self.add(self.items[it.path], ROL.measureKind, m.kind)

    def recognitions(self) -> None:
        for r in self.facts.recognitions:
            iri = mint("recognition", f"{self.slug}-{r.span.start}")
            self.add(iri, RDF.type, ROL.Recognition)
            self.label(iri, r.label)
            self.add(iri, ROL.report, self.report)
            self.evidence(iri, r.span)
            for b in self._bodies_in(r.span):
                if b.canonical not in GENERIC_BODIES:
                    self.add(iri, ROL.recognizedBy, self.body_iri(b.canonical))
            # The works named in the clause are what was recognized; a publication is where, not what.
            docs = [d for d, _ in self._documents_in(r.span) if d.kind != "publication"]
            if docs:
                for d in docs:
                    self.add(iri, ROL.recognizes, mint("document", _slug(self.titles.get(d.title, d.title))))
                continue
            owner = self.owner(r.span)
            if owner is not None:
                self.add(iri, ROL.recognizes, self.items[owner.path])
            else:
                self.add(iri, ROL.recognizes, self.body_iri(self.meta.issuer or ""))
