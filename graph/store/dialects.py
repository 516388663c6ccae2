"""What differs between remote SPARQL stores: how to pass a timeout and a row cap, how each says
"I gave up" or "I cut this", and how to recognise the store.

``SparqlDialect`` is any SPARQL 1.1 Protocol store (the Oxigraph server among them: it takes neither a
per-query timeout nor a row cap, so rolkg stops reading at the cap, which ends the server's work, and
relies on the server's ``--timeout-s``). :class:`VirtuosoDialect` knows Virtuoso 7.2's parameters and
headers.
"""

from __future__ import annotations

import math

import httpx

from rolkg.errors import QuerySyntaxError, QueryTimeout, StoreError


class SparqlDialect:
    """A plain SPARQL 1.1 Protocol store."""

    name = "sparql"

    def query_params(self, timeout: float | None, max_rows: int | None) -> dict[str, str]:
        """Extra request parameters that carry the timeout and the row cap (none in the standard)."""
        return {}

    def check(self, response: httpx.Response, url: str) -> None:
        """Raise :class:`QueryTimeout` when a 200 answer says the store stopped the query early."""

    def store_capped(self, response: httpx.Response, max_rows: int | None) -> bool:
        """Whether the store itself cut the answer at fewer rows than ``max_rows`` allows."""
        return False

    def refusal(self, status: int, detail: str, what: str) -> StoreError | None:
        """The error a server-error answer stands for when it is really about the query (else None)."""
        if is_timeout_message(status, detail):
            return QueryTimeout(f"the store refused or stopped the {what} as too slow: {detail}")
        return None


class VirtuosoDialect(SparqlDialect):
    """Virtuoso 7.2: ``timeout`` (ms) and ``maxrows`` parameters; an "anytime" timeout answers 200 with
    partial results and ``X-SQL-State: S1TAT``; its own ``ResultSetMaxRows`` cap shows only as an
    ``X-SPARQL-MaxRows`` header."""

    name = "virtuoso"

    def query_params(self, timeout: float | None, max_rows: int | None) -> dict[str, str]:
        params: dict[str, str] = {}
        if timeout is not None:
            params["timeout"] = str(max(1, math.ceil(timeout * 1000)))
        if max_rows is not None:
            params["maxrows"] = str(max_rows + 1)  # one more than allowed tells "there was more"
        return params

    def check(self, response: httpx.Response, url: str) -> None:
        if response.headers.get("x-sql-state") == "S1TAT":
            raise QueryTimeout(
                f"the store at {url} stopped the query at its time limit and sent partial results"
            )

    def refusal(self, status: int, detail: str, what: str) -> StoreError | None:
        # SQL state class 37000 is a query Virtuoso cannot compile (syntax, unsupported transitive paths
        # …): the query's fault, answered 500 by Virtuoso.
        if status == 500 and detail.startswith("Virtuoso 37000"):
            return QuerySyntaxError(f"the store cannot run this {what}: {detail}")
        return super().refusal(status, detail, what)

    def store_capped(self, response: httpx.Response, max_rows: int | None) -> bool:
        header = response.headers.get("x-sparql-maxrows", "")
        if not header.isdigit():
            return False
        # Virtuoso sends the header whenever the answer reached its cap: ours is max_rows + 1.
        return max_rows is None or int(header) <= max_rows


def detect(response: httpx.Response) -> SparqlDialect:
    """The dialect of the store that sent ``response`` (by its ``Server`` header)."""
    if "virtuoso" in response.headers.get("server", "").lower():
        return VirtuosoDialect()
    return SparqlDialect()


def is_timeout_message(status: int, text: str) -> bool:
    """Whether an error answer says the query would take, or took, too long (Virtuoso's estimate refusal
    ``42000 … estimated execution time … exceeds the limit``, Fuseki's 503 …)."""
    lowered = text.lower()
    return status in (500, 503, 504) and ("exceeds the limit" in lowered or "timeout" in lowered)
