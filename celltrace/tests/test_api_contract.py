"""The API keeps its own contract: schemathesis calls every endpoint as every role.

Each endpoint gets a few generated requests from each role (and from a visitor), through
the real middleware with a real session and CSRF token. Every answer must be documented
in the OpenAPI schema: its status, its content type and its body. No answer may be a
server error. The number of examples is small so the run stays under a couple of minutes;
the point is that every status and body an endpoint gives is in its schema.
"""

import json

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.openapi import from_dict
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from celltrace.accounts.models import Role
from celltrace.api import api
from testkit.journey import make_lot, make_patient, make_plan, make_stay
from testkit.signin import sign_in

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 3  # a role each endpoint: enough to reach its refusals, few enough for CI


@pytest.fixture
def wsgi_app():
    """The WSGI application as a server runs it, inside the test's transaction.

    Like Django's test client, the request signals must not close the database
    connection, which holds the test's transaction (and its seeded clinic).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def clinic(site, other_site, doctor, nurse, lab_technician, quality_reviewer, catalog):
    """A little of everything at both sites, so lists and lookups have rows to answer with."""
    for at in (site, other_site):
        patient = make_patient(at)
        plan = make_plan(patient, doctor)
        make_lot(plan, lab_technician, reviewer=quality_reviewer)
        make_stay(plan, nurse)


def _schema(app):
    raw = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))
    schema = from_dict(raw)
    schema.app = app
    return schema


def _credentials(user) -> tuple[dict, dict]:
    """The cookies and headers of a browser signed in as the user (None: a visitor)."""
    token = get_random_string(32)
    cookies, headers = {settings.CSRF_COOKIE_NAME: token}, {"X-CSRFToken": token}
    if user is not None:
        client = sign_in(Client(), user)
        cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies, headers


def _failures(operation, cookies: dict, headers: dict, *, examples: int) -> tuple[str, set]:
    """Call the operation with generated requests; say what broke the contract, and the statuses."""
    statuses = set()

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        response = case.call(cookies=cookies, headers=headers)
        statuses.add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    try:
        call()
    except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - try every operation
        return f"{operation.label}: {failure}", statuses
    return "", statuses


def _contract_failures(operation, cookies: dict, headers: dict) -> tuple[str, set]:
    """One request first: a role the endpoint refuses (401, 403) needs no more than that."""
    failure, statuses = _failures(operation, cookies, headers, examples=1)
    if failure or statuses <= {401, 403}:
        return failure, statuses
    return _failures(operation, cookies, headers, examples=EXAMPLES)


ROLES = [None, *Role.values]


@pytest.mark.parametrize("role", ROLES, ids=[str(role or "visitor") for role in ROLES])
def test_every_answer_of_every_endpoint_is_in_the_schema(role, wsgi_app, clinic, site):
    from celltrace.accounts.models import User

    user = None
    if role is not None:
        user = User.objects.create_user(f"contract.{role}", password="x", role=role, site=site)
    cookies, headers = _credentials(user)
    schema = _schema(wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    results = [_contract_failures(operation, cookies, headers) for operation in operations]
    assert [failure for failure, _ in results if failure] == []
    # The run reached the endpoints: a visitor is asked to sign in, a patient (no API of
    # theirs) is refused, and staff get answers, not only refusals.
    seen = set().union(*(statuses for _, statuses in results))
    expected = {None: 401, Role.PATIENT: 403}.get(role, 200)
    assert expected in seen
