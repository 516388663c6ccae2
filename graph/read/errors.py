"""The one error every reader raises: the input cannot be read as a report (the message says why).

It lives in the project's exception tree (:mod:`rolkg.errors`); this module names it for the readers.
"""

from __future__ import annotations

from rolkg.errors import ReportReadError

__all__ = ["ReportReadError"]
