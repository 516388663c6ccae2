"""PDF files: the text layer (pdfminer.six, which maps CJK CID fonts through their CMaps), with wrapped
lines joined back into paragraphs and page numbers dropped.

A PDF has lines, not paragraphs. Government reports are typeset with a first-line indent and full-width
lines, so a line ends its paragraph when it stops short of the right margin (by more than the ragged
right edge of unjustified CJK text, about two characters), when the next line is indented, or when a
larger gap follows; a paragraph that runs over a page break is joined too.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from rolkg.graph.read.base import MAX_DOCUMENT_BYTES, Provenance, ReportText, tidy_lines
from rolkg.graph.read.errors import ReportReadError

MEDIA_TYPE = "application/pdf"
# "— 3 —", "- 3 -", "3", "第3页", "第 3 页 共 9 页", "3/9": a page number alone on its line
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:/|共)\s*\d{1,4}\s*(?:页)?)?[\s\-—–－_]*$"
)


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float  # distance from the page's top edge
    size: float


def read_pdf(data: bytes, name: str = "<input>") -> ReportText:
    """The text layer of a PDF, one paragraph per line; raises :class:`ReportReadError` when there is none."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ReportReadError(f"{name}: larger than the {MAX_DOCUMENT_BYTES // 1048576} MB limit for a file")
    paragraphs = _paragraphs(_pages(data, name))
    text = tidy_lines(paragraphs)
    if not text:
        raise ReportReadError(
            f"{name}: the PDF has no text layer (a scanned image?); run OCR on it or give the text as a .txt file"
        )
    return ReportText(text, "pdf", [], Provenance.of(data, MEDIA_TYPE, file_name=name))


def _paragraphs(pages: list[list[_Line]]) -> list[str]:
    """Wrapped lines joined into paragraphs (see the module notes for when a line ends one)."""
    paragraphs: list[str] = []
    current = ""
    previous: _Line | None = None
    for page in pages:
        lines = [line for line in page if not _PAGE_NUMBER.match(line.text)]
        if not lines:
            continue
        left = min(line.x0 for line in lines)
        right = max(line.x1 for line in lines)
        for index, line in enumerate(lines):
            indented = line.x0 > left + 0.8 * line.size
            short = previous is not None and previous.x1 < right - 3 * previous.size
            gap = index > 0 and line.top - lines[index - 1].top > 2.2 * line.size
            if current and (indented or short or gap):
                paragraphs.append(current)
                current = ""
            # a wrapped English word needs its space back; Chinese lines join directly
            joint = (
                " " if current[-1:].isascii() and current[-1:].isalpha() and line.text[:1].isascii() else ""
            )
            current += joint + line.text
            previous = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _pages(data: bytes, name: str) -> list[list[_Line]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pages: list[list[_Line]] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            lines: list[_Line] = []
            for element in page:
                if not isinstance(element, LTTextContainer):
                    continue
                for line in element:
                    if isinstance(line, LTTextLine) and line.get_text().strip():
                        lines.append(
                            _Line(
                                line.get_text().strip(), line.x0, line.x1, page.height - line.y1, line.height
                            )
                        )
            lines.sort(key=lambda line: (round(line.top), line.x0))
            pages.append(lines)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReportReadError(f"{name}: the PDF is encrypted; give an unprotected copy") from None
    except Exception as error:  # pdfminer raises many unrelated types on damaged files
        raise ReportReadError(f"{name}: not a readable PDF ({type(error).__name__}: {error})") from None
    return pages
