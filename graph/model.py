"""Plain records of what the extractor finds, before they become RDF.

Every record carries a :class:`Span` into the report's original text, so that each fact in the graph
can point at the exact words it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open code-point offsets ``[start, end)`` into the original report text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def quote(self, text: str) -> str:
        return text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(slots=True)
class ReportMeta:
    """What is known of a report before or after reading it; ``None`` = not given, detect from text."""

    title: str | None = None
    issuer: str | None = None
    jurisdiction: str | None = None
    year: int | None = None
    source: str | None = None
    issued: str | None = None  # ISO date
    slug: str | None = None


@dataclass(slots=True)
class Metric:
    """A figure: ``value`` normalised (1.62亿元 → 162000000, unit 元)."""

    value: Decimal
    unit: str
    indicator: str
    span: Span
    qualifiers: list[str] = field(default_factory=list)
    change_of: int | None = None  # index (in the same list) of the figure this one is a change of


@dataclass(slots=True)
class BodyMention:
    surface: str  # as written: 市司法局, 我局
    canonical: str  # full name within the jurisdiction: 慈溪市司法局
    level: str
    span: Span
    parent: str | None = None  # canonical name of the body it belongs to


@dataclass(slots=True)
class DocumentMention:
    title: str  # inside 《》, as written
    kind: str
    span: Span  # the 《…》 including brackets
    count: int | None = None
    creator: str | None = None  # canonical body name
    canonical: str | None = None  # resolved title when it is a variant of another


@dataclass(slots=True)
class FacilityMention:
    name: str
    kind: str
    span: Span
    count: int | None = None


@dataclass(slots=True)
class RecognitionMention:
    label: str
    span: Span
    by: str | None = None  # canonical body name
    recognizes: list[str] = field(default_factory=list)  # document titles recognized, if named


@dataclass(slots=True)
class Item:
    """An initiative (一是…), a focus area heading, a shortcoming or a planned measure."""

    kind: str  # "initiative" | "planned" | "pilot" | "shortcoming"
    label: str
    span: Span  # the whole item text
    label_span: Span
    path: tuple[int, ...]  # (section, area, item[, sub])
    children: list[Item] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    bodies: list[BodyMention] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    documents: list[DocumentMention] = field(default_factory=list)
    facilities: list[FacilityMention] = field(default_factory=list)
    recognitions: list[RecognitionMention] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
