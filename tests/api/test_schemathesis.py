"""Fuzz the whole live API of a town against its own OpenAPI schema (schemathesis).

The schema is read from /api/schema/ on town A's host, so every module that
ships endpoints is covered without being listed here. Requests go through
Django's real WSGI application (middleware, tenant routing, auth): anonymously,
with an API token of an organisation's editor and with one of the town's admin.
Checks: no 5xx, and status codes, content types, headers and bodies as the
schema documents them.
"""

from __future__ import annotations

import json
import time

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.capabilities import call, module_capabilities
from core.modules import SampleObject, all_modules
from tests.api.helpers import issue_token
from tests.helpers import admin_of, host_of
from tests.town.factories import MembershipFactory

# Examples per identity are shared out over the operations, so the run stays
# well under a minute on two cores as modules add endpoints; each operation
# still gets at least a few.
EXAMPLE_BUDGET = 130
MIN_EXAMPLES, MAX_EXAMPLES = 3, 12
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """Django's production WSGI handler, kept from closing the test's transaction-wrapped connection.

    Django's test client does the same around each of its requests (and
    reconnects afterwards, which is why this happens on every call): between
    requests Django would otherwise close the connection and lose the test's
    transaction.
    """
    handler = WSGIHandler()

    def app(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return handler(environ, start_response)

    yield app
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def sample_path_parameters(town_a, organisations_a) -> list[dict]:
    """Real objects in town A, so detail routes are also exercised with ids that exist."""
    samples = [{"slug": organisations_a["feuerwehr"].slug}]
    with schema_context(town_a.schema_name):
        for module in all_modules().values():
            for sample in module_capabilities(module, SampleObject):
                samples.append(call(sample.create))
    return samples


def _run(schema, *, base_url: str, headers: dict[str, str], samples: list[dict], app) -> dict[str, int]:
    counts = {"operations": 0, "examples": 0, "invalid_examples": 0}
    operations = [result.ok() for result in schema.get_all_operations()]
    per_operation = max(MIN_EXAMPLES, min(MAX_EXAMPLES, EXAMPLE_BUDGET // max(len(operations), 1)))
    for operation in operations:
        counts["operations"] += 1

        # Explicit cases first: every fitting sample object's path parameters.
        names = {p.name for p in operation.path_parameters}
        for sample in samples:
            if names and names <= sample.keys():
                case = operation.Case(path_parameters={name: sample[name] for name in names}, headers=dict(headers))
                case.call_and_validate(app=app, base_url=base_url, checks=CHECKS)
                counts["examples"] += 1

        @settings(
            max_examples=per_operation,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(headers=dict(headers)))
        def fuzz(case) -> None:
            case.call_and_validate(app=app, base_url=base_url, checks=CHECKS)
            counts["examples"] += 1

        fuzz()

        # Invalid input (wrong types, missing fields, bad enums): a clear 4xx, never a 5xx.
        @settings(
            max_examples=max(MIN_EXAMPLES, per_operation // 2),
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(GenerationMode.NEGATIVE, headers=dict(headers)))
        def fuzz_invalid(case) -> None:
            case.call_and_validate(app=app, base_url=base_url, checks=NEGATIVE_CHECKS)
            counts["invalid_examples"] += 1

        # Only query parameters and bodies can be made invalid in a way a URL or JSON can carry.
        if list(operation.query) or list(operation.body):
            fuzz_invalid()
    return counts


def _load_schema(client) -> schemathesis.BaseSchema:
    raw = json.loads(client.get("/api/schema/?format=json").content)
    return schemathesis.openapi.from_dict(raw)


def test_the_whole_api_holds_to_its_schema_anonymously_as_editor_and_as_admin(
    town_a, client_a, wsgi_app, sample_path_parameters, organisations_a
):
    # given
    schema = _load_schema(client_a)
    base_url = f"http://{host_of(town_a)}"
    with schema_context(town_a.schema_name):
        editor = MembershipFactory(organisation=organisations_a["feuerwehr"], user__email="editor@example.org",
                                   user__name="Erna Editor", role="editor").user
    identities = {
        "anonymous": {},
        "editor": {"Authorization": f"Token {issue_token(town_a, editor)}"},
        "admin": {"Authorization": f"Token {issue_token(town_a, admin_of(town_a))}"},
    }
    started = time.monotonic()

    # when / then (call_and_validate raises on the first failing check)
    counts = {
        who: _run(schema, base_url=base_url, headers=headers, samples=sample_path_parameters, app=wsgi_app)
        for who, headers in identities.items()
    }

    # then
    elapsed = time.monotonic() - started
    print(f"schemathesis: {counts}, {elapsed:.1f} s")
    assert counts["anonymous"]["operations"] >= 5
    assert all(c["operations"] == counts["anonymous"]["operations"] for c in counts.values())
    # (a time limit here would be a timed test; the run time shows in --durations)
