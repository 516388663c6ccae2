"""Reading a report file into text: size limit, encodings (UTF-8 with or without BOM, GB18030/GBK,
UTF-16 with BOM), and clear refusals for empty or binary files.

GBK files are common on Chinese government sites, so they are accepted: decoded as GB18030 (a superset
of GBK and GB2312) with a notice, but only when the result is mostly Chinese text — random bytes that
happen to decode are refused as binary.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from rolkg.errors import ReportFileError

MAX_BYTES = 5 * 1024 * 1024
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")




@dataclass(slots=True)
class ReportText:
    """A report's text as decoded, with the encoding found and anything the user should know."""

    text: str
    encoding: str
    notices: list[str] = field(default_factory=list)


def read_report_file(path: str | Path, max_bytes: int = MAX_BYTES) -> ReportText:
    """Read and decode ``path``; raises :class:`ReportFileError` for missing, huge, empty or binary files."""
    path = Path(path)
    if not path.is_file():
        raise ReportFileError(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise ReportFileError(
            f"{path}: {size / 1048576:.1f} MB is larger than the {max_bytes / 1048576:.0f} MB limit for one "
            "report; a report is a few tens of kB of text — is this the right file?"
        )
    return decode_report_bytes(path.read_bytes(), str(path))


def decode_report_bytes(data: bytes, name: str = "<input>") -> ReportText:
    """Decode report bytes (see the module notes for what is accepted)."""
    if len(data) > MAX_BYTES:
        raise ReportFileError(f"{name}: larger than the {MAX_BYTES // 1048576} MB limit for one report")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        result = ReportText(data.decode("utf-16"), "utf-16", [f"{name}: decoded as UTF-16 (byte order mark)"])
    elif b"\x00" in data:
        raise ReportFileError(f"{name}: contains NUL bytes, so it is a binary file, not report text")
    else:
        result = _decode_8bit(data, name)
    text = result.text
    if not text.strip():
        raise ReportFileError(f"{name}: the file is empty; give a file with the report's text")
    if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        raise ReportFileError(f"{name}: full of control characters, so it is a binary file, not report text")
    return result


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
        raise ReportFileError(
            f"{name}: neither UTF-8 nor GBK/GB18030 text (undecodable bytes); "
            "save the report as UTF-8 text and try again"
        ) from None
    visible = [c for c in text if not c.isspace()]
    cjk = sum(1 for c in visible if _CJK.match(c))
    if not visible or cjk / len(visible) < 0.3:
        raise ReportFileError(
            f"{name}: not UTF-8, and read as GBK it is not Chinese text; is it a binary file? "
            "Save the report as UTF-8 text and try again"
        )
    return ReportText(text, "gb18030", [f"{name}: not UTF-8; decoded as GBK/GB18030 Chinese text"])
