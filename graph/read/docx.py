"""Word files (.docx): paragraphs and table rows in document order (python-docx)."""

from __future__ import annotations

import io

from rolkg.graph.read.base import MAX_DOCUMENT_BYTES, Provenance, ReportText, tidy_lines
from rolkg.graph.read.errors import ReportReadError

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read_docx(data: bytes, name: str = "<input>") -> ReportText:
    """The text of a .docx file, one paragraph per line; raises :class:`ReportReadError` when unreadable."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if len(data) > MAX_DOCUMENT_BYTES:
        raise ReportReadError(f"{name}: larger than the {MAX_DOCUMENT_BYTES // 1048576} MB limit for a file")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx surfaces zip, XML and package errors of several types
        raise ReportReadError(f"{name}: not a readable Word (.docx) file ({error})") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                # merged cells repeat the same cell object; keep each cell's text once
                cells: list[str] = []
                for cell in row.cells:
                    if not cells or cells[-1] != cell.text:
                        cells.append(cell.text)
                lines.append(" ".join(c.strip() for c in cells))
    text = tidy_lines(lines)
    if not text:
        raise ReportReadError(f"{name}: the Word file has no text")
    return ReportText(text, "docx", [], Provenance.of(data, MEDIA_TYPE, file_name=name))
