"""The list pages' facets in memory: for one class, which resources each report, year, place, theme and kind
holds, so that any choice of those filters is counted, faceted and cut from the class's kept order without
asking the store (``read/list`` and ``read/list-facets`` took 0.5-1.8 s per choice at 1M quads).

Built once per class and store version from four small reads (``read/list-index``,
``read/list-index-reports``, ``read/list-index-themes``, ``read/list-index-texts``: the labelling values the
label search ``q`` looks in, lower-cased by the store, as ``q`` is by ``read/lcase``) and kept with the
query layer's answers; used only where answers are kept for the store's life (a read-only embedded store,
as ``rolkg serve`` opens it). Elsewhere the lists ask the store as before.

A resource is its position in the class's order (sorted by IRI), and each (facet, value) is a bit set of
positions held as one Python integer: a filter is an AND of such sets (an OR within one facet), a facet
value's count the ``bit_count`` of its set ANDed with the filtered one, all in C. The 68k evidence nodes at
1M take 1 bit each per value (8 KB), and no resource's IRI is held twice. The answers are those of the
SPARQL queries, which ``tests/test_list_index.py`` checks for every filter over several reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import URIRef
from rolkg.graph.namespaces import ROL
from rolkg.viz.source import Cached, Selector, text

REPORT = str(ROL.Report)
_IRI_SCHEMES = ("https://", "http://", "urn:")


@dataclass
class ListIndex:
    """Per (facet, value), the bit set of the positions (in the class's order) of the resources that have it.

    Facets: ``report`` (a resource's reports, or itself when it is a report), ``year`` and ``place`` (its
    reports' years and jurisdiction labels), ``theme``, ``kind`` (kind values) and ``type`` (its classes).
    """

    size: int
    bits: dict[tuple[str, str], int]
    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # report titles, theme labels
    texts: list[tuple[str, ...]] = field(
        default_factory=list
    )  # per position: its labelling values, lower-cased

    @property
    def weight(self) -> int:
        """What the index counts against the query layer's cap on kept rows: its bytes, as rows of ~500."""
        return 1 + (len(self.bits) * (self.size // 8 + 64) + sum(map(_text_bytes, self.texts))) // 500

    def passing(self, reports: Sequence[str] | None, theme: str, kind: str, lower_q: str = "") -> int | None:
        """The bit set of the resources that pass: one of ``reports`` (None: no report filter), ``theme``
        and ``kind`` ("" = any; a kind value or a class, matched by its text) and ``lower_q`` (a lower-cased
        text one of its labelling values contains; "" = any). None: every resource."""
        chosen: list[int] = []
        if lower_q:
            chosen.append(self._containing(lower_q))
        if reports is not None:
            chosen.append(self._any("report", reports))
        if theme:
            chosen.append(self.bits.get(("theme", theme), 0))
        if kind:
            chosen.append(self._any("kind", [kind]) | self._any("type", [kind]))
        if not chosen:
            return None
        found = chosen[0]
        for other in chosen[1:]:
            found &= other
        return found

    def _containing(self, lower_q: str) -> int:
        bits = bytearray(self.size // 8 + 1)
        for at, texts in enumerate(self.texts):
            if any(lower_q in text for text in texts):
                bits[at >> 3] |= 1 << (at & 7)
        return int.from_bytes(bits, "little")

    def _any(self, facet: str, values: Sequence[str]) -> int:
        found = 0
        for value in values:
            found |= self.bits.get((facet, value), 0)
        return found

    def facet_counts(self, passing: int | None, subclasses: set[str]) -> list[tuple[str, str, int]]:
        """(facet, value, count) of every value some passing resource has, in ``read/list-facets``' order:
        by facet, most resources first, then by value (IRIs before words, as SPARQL orders terms)."""
        out = []
        for (facet, value), bits in self.bits.items():
            if facet == "type":
                if value not in subclasses:
                    continue
                facet = "kind"
            n = (bits if passing is None else bits & passing).bit_count()
            if n:
                out.append((facet, value, n))
        out.sort(key=lambda f: (f[0], -f[2], not f[1].startswith(_IRI_SCHEMES), f[1]))
        return out

    def positions(self, bits: int) -> Iterator[int]:
        """The positions set in ``bits``, ascending (so the class's order is kept)."""
        for at, byte in enumerate(bits.to_bytes(self.size // 8 + 1, "little")):
            while byte:
                low = byte & -byte
                yield at * 8 + low.bit_length() - 1
                byte ^= low

    def label(self, facet: str, value: str) -> str:
        """A report's title or a theme's zh label; "" when it has none."""
        return self.labels.get((facet, value), "")


def list_index(
    sel: Selector, classes: list[URIRef], order: Callable[[], Sequence[tuple[str, ...]]]
) -> ListIndex:
    """The index of the resources of ``classes`` (a class and its subclasses), kept per store version;
    ``order()`` gives the class's rows in IRI order (item IRI first), whose positions the index uses."""
    key = "list index " + " ".join(sorted(str(c) for c in classes))
    return Cached(sel).kept(key, lambda: build(sel, classes, order()))


def build(sel: Selector, classes: list[URIRef], order: Sequence[tuple[str, ...]]) -> ListIndex:
    """Read the index of the resources of ``classes`` from the store, numbered by their place in ``order``."""
    position = {row[0]: at for at, row in enumerate(order)}
    size = len(order)
    reports: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in Cached(sel).select("read/list-index-reports"):
        reports[text(r, "report")][text(r, "facet")].add(text(r, "value"))
    members: dict[tuple[str, str], bytearray] = {}

    def add(key: tuple[str, str], at: int) -> None:
        bits = members.get(key)
        if bits is None:
            bits = members[key] = bytearray(size // 8 + 1)
        bits[at >> 3] |= 1 << (at & 7)

    for r in sel.select("read/list-index", classes=classes):
        at = position.get(text(r, "item"), -1)
        if at < 0:
            continue
        types = text(r, "types").split()
        own = [rep for rep in text(r, "reports").split() if rep in reports]
        if REPORT in types:
            own.append(text(r, "item"))
        for rep in own:
            add(("report", rep), at)
        for theme in text(r, "themes").split():
            add(("theme", theme), at)
        for value in text(r, "kinds").split("\n"):
            if value:
                add(("kind", value), at)
        for ty in types:
            add(("type", ty), at)
    bits = {key: int.from_bytes(value, "little") for key, value in members.items()}
    labels: dict[tuple[str, str], str] = {}
    for rep, facets in reports.items():
        holders = bits.get(("report", rep))
        if holders is None:
            continue
        for facet in ("year", "place"):
            for value in facets.get(facet, ()):
                bits[(facet, value)] = bits.get((facet, value), 0) | holders
        if facets.get("title"):
            labels[("report", rep)] = min(facets["title"])
    found: list[list[str]] = [[] for _ in order]
    for r in sel.select("read/list-index-texts", classes=classes):
        at = position.get(text(r, "item"), -1)
        if at >= 0:
            found[at].append(text(r, "text"))
    texts = [tuple(values) for values in found]
    themes = [URIRef(value) for facet, value in bits if facet == "theme"]
    for r in sel.select_chunked("read/list-index-themes", "themes", themes):
        key, label = ("theme", text(r, "theme")), text(r, "label")
        labels[key] = min(labels[key], label) if key in labels else label
    return ListIndex(size, bits, labels, texts)


def _text_bytes(texts: tuple[str, ...]) -> int:
    return 56 + sum(
        49 + 3 * len(t) for t in texts
    )  # a tuple and its strings (CJK: up to 4 bytes a character)
