"""Plain-text reports: UTF-8 with or without BOM, GB18030/GBK, UTF-16 with BOM; empty or binary refused.

GBK files are common on Chinese government sites, so they are accepted: decoded as GB18030 (a superset
of GBK and GB2312) with a notice, but only when the result is mostly Chinese text — random bytes that
happen to decode are refused as binary.
"""

from __future__ import annotations

import codecs
import re

from rolkg.graph.read.base import MAX_TEXT_BYTES, Provenance, ReportText
from rolkg.graph.read.errors import ReportReadError

MEDIA_TYPE = "text/plain"
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_txt(data: bytes, name: str = "<input>") -> ReportText:
    """Decode plain-text report bytes (see the module notes for what is accepted)."""
    result = decode_report_bytes(data, name)
    result.provenance = Provenance.of(data, MEDIA_TYPE, file_name=name)
    return result


def decode_report_bytes(data: bytes, name: str = "<input>") -> ReportText:
    """Decode report bytes to text; raises :class:`ReportReadError` for huge, empty or binary input."""
    if len(data) > MAX_TEXT_BYTES:
        raise ReportReadError(
            f"{name}: {len(data) / 1048576:.1f} MB is larger than the {MAX_TEXT_BYTES // 1048576} MB limit "
            "for one report; a report is a few tens of kB of text — is this the right file?"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        result = ReportText(_utf16(data, name), "utf-16", [f"{name}: decoded as UTF-16 (byte order mark)"])
    elif b"\x00" in data:
        raise ReportReadError(f"{name}: contains NUL bytes, so it is a binary file, not report text")
    else:
        result = _decode_8bit(data, name)
    text = result.text
    if not text.strip():
        raise ReportReadError(f"{name}: the file is empty; give a file with the report's text")
    if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        raise ReportReadError(f"{name}: full of control characters, so it is a binary file, not report text")
    return result


def _utf16(data: bytes, name: str) -> str:
    try:
        # the strict codec refuses lone surrogates and odd lengths, so no unpaired half reaches the graph
        return data.decode("utf-16")
    except UnicodeDecodeError as error:
        raise ReportReadError(
            f"{name}: broken UTF-16 at byte {error.start} ({error.reason}); save the report as UTF-8 text"
        ) from None


def _decode_8bit(data: bytes, name: str) -> ReportText:
    try:
        if data.startswith(codecs.BOM_UTF8):
            return ReportText(data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig")
        return ReportText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ReportReadError(
            f"{name}: neither UTF-8 nor GBK/GB18030 text (undecodable bytes); "
            "save the report as UTF-8 text and try again"
        ) from None
    visible = [c for c in text if not c.isspace()]
    cjk = sum(1 for c in visible if _CJK.match(c))
    if not visible or cjk / len(visible) < 0.3:
        raise ReportReadError(
            f"{name}: not UTF-8, and read as GBK it is not Chinese text; is it a binary file? "
            "Save the report as UTF-8 text and try again"
        )
    return ReportText(text, "gb18030", [f"{name}: not UTF-8; decoded as GBK/GB18030 Chinese text"])
