"""The one error every reader raises: the input cannot be read as a report (the message says why)."""

from __future__ import annotations


class ReportReadError(ValueError):
    """The input cannot be read as a report; the message names it and says what to do.

    Kept in its own module so that it can be re-parented under the project's exception root in one place.
    """
