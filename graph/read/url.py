"""Reports at ``http(s)://`` addresses: fetched with httpx (timeout, size limit, redirects), then read by
the reader for the media type the server names, or the address's suffix, or the bytes' own signature.

``ROLKG_FETCH_TIMEOUT`` (seconds, default 30) bounds connecting and each read.
"""

from __future__ import annotations

import os

import httpx
from rolkg.graph.read.base import MAX_DOCUMENT_BYTES
from rolkg.graph.read.errors import ReportReadError

DEFAULT_TIMEOUT = 30.0
USER_AGENT = "rolkg (report reader)"


def is_url(source: str) -> bool:
    """True for an ``http://`` or ``https://`` address."""
    return source.lower().startswith(("http://", "https://"))


def fetch_timeout() -> float:
    """The fetch timeout in seconds (``ROLKG_FETCH_TIMEOUT``); raises :class:`ReportReadError` if malformed."""
    value = os.environ.get("ROLKG_FETCH_TIMEOUT", "").strip()
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ReportReadError(f"ROLKG_FETCH_TIMEOUT must be a positive number of seconds, got {value!r}")
    return seconds


def fetch(
    url: str, *, max_bytes: int = MAX_DOCUMENT_BYTES, timeout: float | None = None
) -> tuple[bytes, str, str]:
    """The body, media type (lower case, no parameters) and final address of ``url``.

    Raises :class:`ReportReadError` with one line for refused connections, HTTP errors, timeouts and
    bodies larger than ``max_bytes`` (checked on the announced length and while reading).
    """
    seconds = fetch_timeout() if timeout is None else timeout
    try:
        with (
            httpx.Client(
                timeout=seconds, follow_redirects=True, max_redirects=5, headers={"User-Agent": USER_AGENT}
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise ReportReadError(f"{url}: the server answered HTTP {response.status_code} {reason}")
            announced = response.headers.get("content-length", "")
            if announced.isdigit() and int(announced) > max_bytes:
                raise ReportReadError(_too_big(url, max_bytes))
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise ReportReadError(_too_big(url, max_bytes))
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return bytes(body), media_type, str(response.url)
    except httpx.TimeoutException:
        raise ReportReadError(f"{url}: no answer within {seconds:g} s (timeout); try again later") from None
    except httpx.ConnectError as error:
        raise ReportReadError(f"{url}: cannot connect ({_reason(error)})") from None
    except httpx.TooManyRedirects:
        raise ReportReadError(f"{url}: too many redirects") from None
    except httpx.InvalidURL as error:
        raise ReportReadError(f"{url}: not a valid address ({error})") from None
    except httpx.HTTPError as error:
        raise ReportReadError(f"{url}: the download failed ({_reason(error)})") from None


def _too_big(url: str, max_bytes: int) -> str:
    return f"{url}: larger than the {max_bytes // 1048576} MB download limit for one report"


def _reason(error: Exception) -> str:
    """The innermost OS-level reason (e.g. 'Connection refused'), on one line."""
    text = str(error) or type(error).__name__
    return " ".join(text.split())
