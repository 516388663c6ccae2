"""Reading a report in any of the forms it is published in — ``.txt``, a saved ``.html`` page, ``.pdf``,
``.docx`` or an ``http(s)://`` address — into one :class:`ReportText` with provenance.

One entry point, :func:`read_report`; one module per form. The form is told by the bytes' own signature
first (a PDF or Word file saved as ``.txt`` is still read as what it is), then by the media type a server
names, then by the file's suffix; anything else is read as plain text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from rolkg.graph.read.base import MAX_DOCUMENT_BYTES, MAX_TEXT_BYTES, Provenance, ReportText
from rolkg.graph.read.errors import ReportReadError
from rolkg.graph.read.url import fetch, is_url

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_TEXT_BYTES",
    "Provenance",
    "ReportReadError",
    "ReportText",
    "is_url",
    "read_bytes",
    "read_report",
]

_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
_MEDIA_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "txt",
}


def read_report(source: str | Path) -> ReportText:
    """Read the report at ``source`` (a file path or an ``http(s)://`` address).

    Raises :class:`ReportReadError` with a one-line message for anything that cannot be read.
    """
    if isinstance(source, str) and is_url(source):
        data, media_type, final = fetch(source)
        result = read_bytes(data, source, media_type=media_type, suffix=Path(final.split("?")[0]).suffix)
        result.provenance = dataclasses.replace(result.provenance, file_name=None, url=source)
        if final != source:
            result.notices.append(f"{source}: redirected to {final}")
        return result
    path = Path(source)
    data = _read_file(path)
    result = read_bytes(data, str(path), suffix=path.suffix)
    result.provenance = dataclasses.replace(result.provenance, file_name=path.name)
    return result


def read_bytes(data: bytes, name: str, *, media_type: str = "", suffix: str = "") -> ReportText:
    """Read report bytes of any supported form; ``name`` is used in messages."""
    kind = _sniff(data, name) or _MEDIA_TYPES.get(media_type) or _SUFFIXES.get(suffix.lower(), "txt")
    return _reader(kind)(data, name)


def _read_file(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ReportReadError(f"{path}: is a folder, not a report file")
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise ReportReadError(
                f"{path}: {size / 1048576:.0f} MB is larger than the {MAX_DOCUMENT_BYTES // 1048576} MB limit "
                "for one report file"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise ReportReadError(f"{path}: no such file") from None
    except PermissionError:
        raise ReportReadError(f"{path}: cannot read the file (permission denied)") from None
    except OSError as error:
        raise ReportReadError(f"{path}: cannot read the file ({error.strerror or error})") from None


def _sniff(data: bytes, name: str) -> str | None:
    """The form the bytes announce themselves, if they do."""
    head = data[:1024]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # the Word reader says so clearly when the archive is something else
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ReportReadError(f"{name}: an old Word (.doc) file; save it as .docx or PDF and try again")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")) or (start.startswith(b"<?xml") and b"<html" in start):
        return "html"
    return None


def _reader(kind: str) -> Callable[[bytes, str], ReportText]:
    # imported on demand: the PDF, Word and HTML libraries are heavy and most runs read one form
    if kind == "pdf":
        from rolkg.graph.read.pdf import read_pdf

        return read_pdf
    if kind == "docx":
        from rolkg.graph.read.docx import read_docx

        return read_docx
    if kind == "html":
        from rolkg.graph.read.html import read_html

        return read_html
    from rolkg.graph.read.txt import read_txt

    return read_txt
