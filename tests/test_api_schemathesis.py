"""Property-based requests generated from the OpenAPI schema: no operation may answer 5xx.

Bounded (a few examples per operation) so it finishes well within a minute. /sparql is left out: its
503 for a query that runs too long is intended, and its input is covered by the protocol tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rolkg.api.app import create_app
from schemathesis.checks import not_a_server_error


@pytest.fixture(scope="module")
def api_schema(api_stores: dict[str, object], serve_app) -> Iterator[schemathesis.BaseSchema]:
    with serve_app(create_app(api_stores["embedded-fixture"], workers=1)) as base:  # type: ignore[arg-type]
        schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
        yield schema.exclude(path="/sparql")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error], timeout=10)
