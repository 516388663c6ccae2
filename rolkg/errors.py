"""Every error rolkg raises on purpose, in one tree under :class:`RolkgError`.

The CLI and the API map these to what their users see, from two class attributes and the message:
``exit_code`` (the CLI's exit status) and ``http_status`` (the API's status code). A new error gets a
place here, never a class of its own in some module, so both front ends know what to do with it.

    RolkgError
    ├── ConfigError            a setting has a value rolkg cannot use
    ├── InputError             bad input from the user (a file, a term, a parameter)
    │   ├── ReportReadError, ReportsIndexError, TermError, QueryParameterError
    │   └── QueryNotFound      no named query has that name
    ├── IngestError            a report could not be ingested; nothing was written
    │   ├── ExtractionError
    │   └── ValidationFailed
    ├── NotAcceptable          no offered media type is acceptable
    │   └── NotWritable        this answer cannot be written in the chosen syntax
    ├── QueryRefused           the endpoint's guard refused a query
    ├── StoreError             the store cannot do what was asked
    │   ├── StoreMissing, StoreLocked, StoreReadOnly, StoreIncomplete, StoreUnreachable
    │   ├── LoadError          a dump cannot be bulk-loaded; nothing was written
    │   ├── QuerySyntaxError   the store rejected the query or update text
    │   └── QueryTimeout       the query ran out of time (in the store or in a worker)
    └── QueryServiceError      the worker pool could not run the query
        ├── PoolUnavailable
        │   └── PoolBusy       every worker busy and the waiting line full
        └── WorkerDied
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

USAGE = 2  # exit status for a command line rolkg cannot use


class RolkgError(Exception):
    """Root of rolkg's errors. The message is one line that says what went wrong and, if it can, what to do."""

    exit_code = 1
    http_status = 500


# ---- settings and input ----------------------------------------------------------------------------


class ConfigError(RolkgError, ValueError):
    """A setting has a value rolkg cannot use; the message names the setting and the value."""

    exit_code = USAGE
    http_status = 500  # a server misconfigured is the server's fault


class InputError(RolkgError, ValueError):
    """The user's input cannot be used (a file, a term, a parameter); nothing was changed."""

    http_status = 400


class ReportReadError(InputError):
    """The input cannot be read as a report (missing, too large, not a form or encoding rolkg knows);
    the message names it and says what to do."""


class ReportsIndexError(InputError):
    """``reports.tsv`` is malformed; the message gives the line."""


class TermError(InputError):
    """A term cannot be written into SPARQL safely (an IRI with spaces or ``>``, a bad language tag …)."""


class QueryParameterError(InputError):
    """A parameter value is not an RDF term or cannot be written safely into the query."""


class QueryNotFound(InputError, LookupError):
    """No ``.rq`` file has that name in any queries folder."""

    exit_code = USAGE
    http_status = 404


# ---- ingest ----------------------------------------------------------------------------------------


class IngestError(RolkgError):
    """Base of everything that stops a report from being ingested; nothing was written."""

    http_status = 422


class ExtractionError(IngestError, ValueError):
    """The text cannot be turned into a report graph (empty, no structure …); the message says why."""


class ValidationFailed(IngestError):
    """The extracted graph does not conform to the SHACL shapes; ``outcome.text()`` has the report."""

    def __init__(self, message: str, outcome: Any):
        super().__init__(message)
        self.outcome = outcome


# ---- serving ---------------------------------------------------------------------------------------


class NotAcceptable(RolkgError):
    """None of the offered media types is acceptable; the message lists what can be given."""

    http_status = 406

    def __init__(self, offers: Sequence[str]) -> None:
        self.offers = tuple(offers)
        super().__init__("cannot answer in any accepted media type; available: " + ", ".join(self.offers))


class NotWritable(NotAcceptable):
    """The answer cannot be written in the syntax asked for (RDF/XML has no QName for ``http://ex.org/123``)."""

    def __init__(self, message: str, offers: Sequence[str] = ()) -> None:
        RolkgError.__init__(self, message)
        self.offers = tuple(offers)


class QueryRefused(RolkgError):
    """The query may not run; ``status`` is the HTTP status to answer with, the message says why."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.http_status = status


# ---- stores ----------------------------------------------------------------------------------------


class StoreError(RolkgError):
    """The store cannot do what was asked; the message says why and, when it can, what to do."""

    http_status = 503


class StoreMissing(StoreError):
    """There is no store where the settings point (``rolkg build`` makes one)."""


class StoreLocked(StoreError):
    """Another process holds the embedded store; ``holder`` is its pid when known."""

    def __init__(self, message: str, holder: int | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class StoreReadOnly(StoreError):
    """A write was asked of a store opened read-only (or of a remote store without an update URL)."""


class StoreIncomplete(StoreError):
    """The store holds an unfinished build; ``rolkg build`` (or ``rolkg serve``) completes it."""


class LoadError(StoreError):
    """A dump cannot be bulk-loaded (``rolkg load``); nothing was written."""


class StoreUnreachable(StoreError):
    """A remote store did not answer, or answered with a server error."""

    http_status = 502


class QuerySyntaxError(StoreError):
    """The store rejected the query or update text."""

    http_status = 400


class QueryTimeout(StoreError):
    """The query ran out of time: the store said so, cut its answer short, or its worker was stopped."""

    http_status = 503


# ---- the SPARQL worker pool ------------------------------------------------------------------------


class QueryServiceError(RolkgError):
    """The worker pool could not run the query (busy, shutting down, a worker died)."""

    http_status = 503


class PoolUnavailable(QueryServiceError):
    """No worker could take the query (all busy until the deadline, or the pool is closed)."""


class PoolBusy(PoolUnavailable):
    """Every worker is busy and the waiting line is full: answer 503 with Retry-After at once."""


class WorkerDied(QueryServiceError):
    """The worker exited while running the query (out of memory, crash)."""
