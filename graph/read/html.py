"""Saved web pages: the main text without navigation and site chrome (trafilatura), with the page's own
title and publication date as metadata.

Government sites put the report in one article block between menus, breadcrumbs, 索引号 tables, share
buttons and footers; trafilatura's main-text extraction keeps the article's paragraphs, one per line.
The title is usually a heading outside the paragraphs, so it is put back as the first line when the
text does not already start with it — the same layout a copied text file has.
"""

from __future__ import annotations

from rolkg.graph.read.base import MAX_DOCUMENT_BYTES, Provenance, ReportText, tidy_lines
from rolkg.graph.read.errors import ReportReadError

MEDIA_TYPE = "text/html"
MIN_MAIN_TEXT = 50  # characters; less is a menu or a link, not a report (even an opening is ~700)


def read_html(data: bytes, name: str = "<input>") -> ReportText:
    """The main text of a saved page; raises :class:`ReportReadError` when the page has none."""
    import trafilatura  # imported here: it loads lxml and its language data, which plain text never needs

    if len(data) > MAX_DOCUMENT_BYTES:
        raise ReportReadError(f"{name}: larger than the {MAX_DOCUMENT_BYTES // 1048576} MB limit for a page")
    if not data.strip():
        raise ReportReadError(f"{name}: the page is empty; save the page with its text and try again")
    try:
        doc = trafilatura.bare_extraction(
            data, with_metadata=True, include_tables=True, include_comments=False, include_images=False
        )
    except Exception as error:  # the library raises several unrelated types on malformed markup
        raise ReportReadError(f"{name}: cannot read the page as HTML ({error})") from None
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    if len("".join(body.split())) < MIN_MAIN_TEXT:
        raise ReportReadError(
            f"{name}: no main text found in the page (a page of links or a script-built page?); "
            "save the report's own page, or copy its text into a .txt file"
        )
    title = _clean(getattr(doc, "title", None))
    lines = body.splitlines()
    text = tidy_lines(lines)
    if title and not text.startswith(title):
        text = f"{title}\n{text}"
    return ReportText(
        text=text,
        encoding="html",
        notices=[],
        provenance=Provenance.of(data, MEDIA_TYPE, file_name=name),
        title=title,
        issued=_iso_date(getattr(doc, "date", None)),
    )


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` when the page gave a full date, else None (a bare year is not a publication date)."""
    value = (value or "").strip()[:10]
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.replace("-", "").isdigit():
        return value
    return None
