"""What every reader returns: the report's text, what the input said about itself, and provenance."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

MAX_TEXT_BYTES = 5 * 1024 * 1024  # a plain-text report; real ones are tens of kB
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a PDF, Word file or saved page with images


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where the text came from: the raw bytes' SHA-256, their media type, and the file name or address."""

    sha256: str
    media_type: str
    file_name: str | None = None
    url: str | None = None

    @classmethod
    def of(
        cls, data: bytes, media_type: str, *, file_name: str | None = None, url: str | None = None
    ) -> Provenance:
        """Provenance of ``data`` (hashes it)."""
        return cls(hashlib.sha256(data).hexdigest(), media_type, file_name, url)


@dataclass(slots=True)
class ReportText:
    """A report's text as read, with what the input says about itself and anything the user should know.

    ``title`` and ``issued`` are the input's own metadata (a web page's title and publication date), used
    only when neither the options nor the index give them.
    """

    text: str
    encoding: str
    notices: list[str] = field(default_factory=list)
    provenance: Provenance | None = None
    title: str | None = None
    issued: str | None = None  # ISO date


_SPACES_IN_CJK = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) +(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)


def tidy_lines(lines: list[str]) -> str:
    """One paragraph per line, stripped, no blank lines; spaces a layout engine put between Chinese
    characters (justified text) removed."""
    kept = (_SPACES_IN_CJK.sub("", " ".join(line.split())) for line in lines)
    return "\n".join(line for line in kept if line)
