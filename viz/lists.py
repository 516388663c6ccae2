"""List pages: the resources of one class with facets (place, year, theme, report, kind), sorting, paging
and CSV. Where answers are kept for the store's life, a filtered list's items and facets come from the
class's index in memory (:mod:`rolkg.viz.list_index`), the items cut from the class's kept order; elsewhere
(and for a class too big to index) from SPARQL (``read/list``, ``read/list-facets``). The items and their
sort keys are sorted, counted and paged here (:func:`order`)."""

from __future__ import annotations

import contextvars
import csv
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from rdflib import Literal, URIRef
from rolkg.graph.classes import registry
from rolkg.graph.namespaces import ROL
from rolkg.viz.i18n import pick, t
from rolkg.viz.kg import kind_slug
from rolkg.viz.list_index import ListIndex, list_index
from rolkg.viz.source import Cached, Selector, number, text

ANY = URIRef("urn:rolkg:any")
PAGE = 50
CSV_MAX = 10_000
SORTS = ("label", "year", "report")
FACETS = (
    ("place", ("地区", "place")),
    ("year", ("年份", "year")),
    ("theme", ("主题", "theme")),
    ("report", ("报告", "report")),
    ("kind", ("类型", "kind")),
)


class BadListRequest(ValueError):
    """A filter value that cannot be one of ours (the page answers 404/422 with the message)."""


@dataclass(frozen=True)
class ListQuery:
    """One list request: class, filters, sort, page."""

    cls: str
    report: str = ""
    year: int = 0
    place: str = ""
    theme: str = ""
    kind: str = ""
    q: str = ""
    sort: str = "label"
    desc: bool = False
    offset: int = 0
    limit: int = PAGE

    def reports(self, sel: Selector) -> list[URIRef] | None:
        """The reports passing the report, year and place filters (read/list-reports, kept per store
        version); None when none of the three is set."""
        if not (self.report or self.year or self.place):
            return None
        found = Cached(sel).select(
            "read/list-reports",
            report=URIRef(self.report) if self.report else ANY,
            year=Literal(self.year),
            place=Literal(self.place),
        )
        return [r["r"] for r in found if "r" in r]  # type: ignore[misc]

    def classes(self) -> list[URIRef]:
        """The list's class and its subclasses."""
        return [ROL[c] for c in registry().subclasses(self.cls)]

    def params(self, sel: Selector) -> dict[str, Any]:
        """The parameters of read/list and read/list-facets; the report, year and place
        filters become the set of reports passing them."""
        reports = self.reports(sel)
        return {
            "classes": self.classes(),
            "allReports": Literal(reports is None),
            "reports": reports or [],
            "theme": URIRef(self.theme) if self.theme else ANY,
            "kind": Literal(self.kind),
            "q": Literal(self.q),
        }

    def filters(self) -> dict[str, str]:
        """The filters that are set, as URL parameters."""
        raw = {"report": self.report, "year": str(self.year or ""), "place": self.place, "theme": self.theme}
        raw |= {"kind": self.kind, "q": self.q}
        return {k: v for k, v in raw.items() if v}

    def url(self, **change: Any) -> str:
        """This list's URL with some parameters changed (``None`` removes one)."""
        state: dict[str, Any] = self.filters() | {"sort": self.sort, "desc": "1" if self.desc else ""}
        state |= {"offset": str(self.offset) if self.offset else ""}
        for key, value in change.items():
            state[key] = "" if value is None else str(value)
        if state.get("sort") == "label":
            state["sort"] = ""
        return f"/list/{self.cls}" + (
            ("?" + urlencode({k: v for k, v in state.items() if v})) if any(state.values()) else ""
        )


def check(query: ListQuery) -> None:
    """Raise :class:`BadListRequest` for a class or filter that cannot be right."""
    if query.cls not in registry():
        raise BadListRequest(f"no class named {query.cls!r}; classes: {', '.join(registry().names())}")
    for name in ("report", "theme"):
        value = getattr(query, name)
        if value and not value.startswith("https://w3id.org/rolkg/id/"):
            raise BadListRequest(f"{name} must be a rolkg IRI (https://w3id.org/rolkg/id/…), got {value!r}")
    if query.sort not in SORTS:
        raise BadListRequest(f"sort must be one of {', '.join(SORTS)}")


ORDER_KEPT = 100_000  # a list's whole order is kept per store version up to this many items (the 68k evidence
# nodes at 1M: ~25 MB; all kept answers together are capped by QueryLayer's CACHE_ROWS); a longer one (evidence
# at 10M) is read again for each page rather than held in memory

Order = list[tuple[str, str, str, str]]  # (item, label, year, first report): what a list sorts by


def order(sel: Selector, query: ListQuery) -> Order:
    """Every item passing ``query``'s filters with its sort keys, sorted as ``query`` asks: by label, year
    or report (code-point order, items without the key first), then by IRI; reversed with ``desc``."""
    found = _found(sel, query)
    at = 1 + SORTS.index(query.sort)
    # sorted() is stable, reversed too: items with the same key stay in IRI order
    return sorted(found, key=lambda r: (r[at] != "", r[at]), reverse=query.desc)


INDEX_MAX = 30_000  # a class with more resources (the 68k evidence nodes at 1M) is filtered by the store: its
# index took 6.4 s to read at 1M and the web process's RSS rose by 240 MB while reading it


def _index(sel: Selector, query: ListQuery) -> ListIndex | None:
    """The class's in-memory index where answers are kept for the store's life; None elsewhere and for a
    class of over :data:`INDEX_MAX` resources."""
    if not Cached(sel).keeps():
        return None
    whole = _found(sel, ListQuery(query.cls))
    if len(whole) > INDEX_MAX:
        return None
    return list_index(sel, query.classes(), lambda: whole)


def _passing(sel: Selector, query: ListQuery, index: ListIndex) -> int | None:
    """The filter's bit set, kept per filter: the facets and the order of one page both need it."""

    def compute() -> int | None:
        reports = query.reports(sel)
        chosen = None if reports is None else [str(r) for r in reports]
        lower_q = text(Cached(sel).select("read/lcase", q=Literal(query.q))[0], "lower") if query.q else ""
        return index.passing(chosen, query.theme, query.kind, lower_q)

    return Cached(sel).kept("list passing " + _filters_key(query), compute)


def _found(sel: Selector, query: ListQuery) -> Order:
    """The items passing the filters with their sort keys, in IRI order. With an index, the filtered items
    are cut from the whole class's order (their sort keys do not depend on the filters)."""
    index = _index(sel, query) if query.filters() else None
    if index is not None:
        passing = _passing(sel, query, index)
        whole = _found(sel, ListQuery(query.cls))
        return whole if passing is None else [whole[at] for at in index.positions(passing)]
    key = "list order " + _filters_key(query)
    cache = Cached(sel)
    if cache.holds(key):
        return cache.kept(key, lambda: _read_order(sel, query))
    found = _read_order(sel, query)
    if len(found) <= ORDER_KEPT:
        cache.kept(key, lambda: found)
    return found


def _filters_key(query: ListQuery) -> str:
    return repr(replace(query, sort="label", desc=False, offset=0, limit=PAGE))


def _read_order(sel: Selector, query: ListQuery) -> Order:
    # A year or a report is shared by thousands of items: one string each, not one per row (the kept order
    # of the 68k evidence nodes at 1M: 32 -> 21 MB).
    shared: dict[str, str] = {}
    found = [
        (
            str(r["item"]),
            text(r, "klabel"),
            shared.setdefault(text(r, "kyear"), text(r, "kyear")),
            shared.setdefault(text(r, "kreport"), text(r, "kreport")),
        )
        for r in sel.select("read/list", **query.params(sel))
        if "item" in r
    ]
    return sorted(found)


def rows(
    sel: Selector, query: ListQuery, limit: int, offset: int, ordered: Order | None = None
) -> list[dict[str, Any]]:
    """Rows ``offset … offset + limit`` of the list (of ``ordered`` when the caller has read it), as plain
    values; a page of the HTML list is kept as the counts are (every visitor asks for the same first pages)."""

    def compute() -> list[dict[str, Any]]:
        return _plain_rows(
            sel, query, (order(sel, query) if ordered is None else ordered)[offset : offset + limit]
        )

    if limit > PAGE:  # CSV downloads: up to CSV_MAX rows, too big to keep
        return [_shown(r) for r in compute()]
    return [_shown(dict(r)) for r in Cached(sel).kept(_rows_key(query, limit, offset), compute)]


def _rows_key(query: ListQuery, limit: int, offset: int) -> str:
    return f"list rows {limit} {offset} {query!r}"


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with what depends on the page's language: the label and class name it shows."""
    reg = registry()
    row["shown"] = pick(row["label"], row.pop("label_en", ""))  # the page's language where English exists
    row["cls_label"] = pick(reg.label(row["cls"]), reg.label(row["cls"], "en"))
    return row


def _plain_rows(sel: Selector, query: ListQuery, found: Order) -> list[dict[str, Any]]:
    reg = registry()
    items = [URIRef(f[0]) for f in found]
    details = {text(r, "item"): r for r in sel.select_chunked("read/list-details", "items", items)}
    out = []
    for iri, label, _, _ in found:
        r = details.get(iri, {})
        kind, slug = kind_slug(iri)
        cls = reg.most_specific(text(r, "types").split()) or query.cls
        label = label or slug  # the label the list is sorted by
        out.append(
            {
                "iri": iri,
                "href": f"/id/{kind}/{slug}" if kind else "",
                "label": label,
                "label_en": text(r, "labelEn"),
                "cls": cls,
                "value": text(r, "value"),
                "unit": text(r, "unit"),
                "year": number(r, "year"),
                "place": text(r, "place"),
                "kind": text(r, "kind"),
                "reports": text(r, "reports").split(),
            }
        )
    return out


def count(sel: Selector, query: ListQuery, ordered: Order | None = None) -> int:
    """How many items pass the filters (the length of the list's order, kept even where the order is not)."""
    key = "list count " + _filters_key(query)
    return Cached(sel).kept(key, lambda: len(order(sel, query) if ordered is None else ordered))


def facets(sel: Selector, query: ListQuery) -> dict[str, list[dict[str, Any]]]:
    """Facet values with counts, each with the URL that selects it (or clears it when selected)."""
    reg = registry()
    by_facet: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in FACETS}
    current = {"report": query.report, "year": str(query.year or ""), "place": query.place}
    current |= {"theme": query.theme, "kind": query.kind}
    below = [ROL[c] for c in reg.subclasses(query.cls) if c != query.cls]
    for facet, value, n, label in _facet_values(sel, query, below):
        label = label or value
        if facet == "kind" and reg.short(value):
            label = t(reg.label(reg.short(value) or ""), reg.label(reg.short(value) or "", "en"))
        selected = current.get(facet) == value
        by_facet.setdefault(facet, []).append(
            {
                "value": value,
                "label": label,
                "n": n,
                "selected": selected,
                "url": query.url(**{facet: None if selected else value, "offset": None}),
            }
        )
    return by_facet


def _facet_values(sel: Selector, query: ListQuery, below: list[URIRef]) -> list[tuple[str, str, int, str]]:
    """(facet, value, count, label) as read/list-facets gives them: for a filtered list, from the class's
    index where there is one (an unfiltered list's facets are read once per store version, at warm-up)."""
    index = _index(sel, query) if query.filters() else None
    if index is not None:
        passing = _passing(sel, query, index)
        return [
            (facet, value, n, index.label(facet, value))
            for facet, value, n in index.facet_counts(passing, {str(c) for c in below})
        ]
    return [
        (text(r, "facet"), text(r, "value"), int(number(r, "n") or 0), text(r, "label"))
        for r in Cached(sel).select("read/list-facets", **query.params(sel), subclasses=below)
    ]


def list_page(sel: Selector, query: ListQuery) -> dict[str, Any]:
    """Context of ``list.html``."""
    reg = registry()
    check(query)
    # A filtered list reads its class's index (and the class's order it is numbered by) first, once; the
    # facets and the order are then cut from them in memory. Without an index the facets and the order each
    # read the filtered class: side by side they take the time of the slower (the store's queries release
    # the GIL), not the sum.
    if query.filters():
        _index(sel, query)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rolkg-list") as pool:
        faceting = pool.submit(contextvars.copy_context().run, facets, sel, query)
        kept = Cached(sel)
        known = kept.holds(_rows_key(query, query.limit, query.offset)) and kept.holds(
            "list count " + _filters_key(query)
        )
        ordered = None if known else order(sel, query)  # read once for the count and the page
        total = count(sel, query, ordered)
        page = rows(sel, query, query.limit, query.offset, ordered)
        found = faceting.result()
    titles = {f["value"]: f["label"] for f in found.get("report", [])}
    for row in page:
        row["report_links"] = [
            {"href": "/id/" + "/".join(kind_slug(r)), "title": titles.get(r, kind_slug(r)[1])}
            for r in row["reports"]
        ]
    info = reg.by_name[query.cls]
    nxt = query.offset + query.limit
    return {
        "cls": query.cls,
        "title": t(info.zh, info.en),
        "total": total,
        "rows": page,
        "facets": [{"name": n, "label": t(*lab), "values": found.get(n, [])} for n, lab in FACETS],
        "query": query,
        "sorts": [
            {
                "name": s,
                "label": lab,
                "url": query.url(
                    sort=s, desc="1" if s == query.sort and not query.desc else None, offset=None
                ),
                "on": s == query.sort,
            }
            for s, lab in (
                ("label", t("名称", "label")),
                ("year", t("年份", "year")),
                ("report", t("报告", "report")),
            )
        ],
        "prev_url": query.url(offset=max(0, query.offset - query.limit) or None) if query.offset else None,
        "next_url": query.url(offset=nxt) if nxt < total else None,
        "first": query.offset + 1 if total else 0,
        "last": min(nxt, total),
        "csv_url": query.url(offset=None).replace(f"/list/{query.cls}", f"/list/{query.cls}.csv", 1),
        "show_value": query.cls == "Metric",
        "classes": [{"name": c.name, "label": t(c.zh, c.en), "on": c.name == query.cls} for c in reg.ordered],
    }


def _cell(value: object) -> str:
    """A text cell; text a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with '."""
    out = "" if value is None else str(value)
    return "'" + out if out[:1] in {"=", "+", "-", "@", "\t", "\r"} else out


CSV_COLUMNS = ("iri", "label", "class", "value", "unit", "year", "place", "kind", "reports")


def list_csv(sel: Selector, query: ListQuery) -> str:
    """Every row of the list (up to ``CSV_MAX``) as CSV, filters and sort applied."""
    check(query)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for row in rows(sel, query, CSV_MAX, 0):
        values = [row["iri"], _cell(row["label"]), row["cls"], row["value"], row["unit"], row["year"] or ""]
        values += [_cell(row["place"]), _cell(row["kind"]), " ".join(row["reports"])]
        writer.writerow(values)
    return buf.getvalue()
