"""Property-based requests generated from the OpenAPI schema: no operation may answer 5xx.

Bounded (a few examples per operation) so it finishes well within a minute. /sparql is left out: its
503 for a query that runs too long is intended, and its input is covered by the protocol tests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from rolkg.api.app import create_app
from schemathesis.checks import not_a_server_error


@pytest.fixture(scope="module")
def api_schema(api_stores: dict[str, object]) -> Iterator[schemathesis.BaseSchema]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(api_stores["embedded-fixture"], workers=1),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )  # type: ignore[arg-type]
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    schema = schemathesis.openapi.from_url(f"http://127.0.0.1:{port}/openapi.json")
    yield schema.exclude(path="/sparql")
    server.should_exit = True
    thread.join(timeout=15)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error], timeout=10)
