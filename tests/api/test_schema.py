"""schemathesis against the schema the app serves: every operation, with a valid write key, inputs
generated from the schema (valid and invalid ones), half of them aimed at real scans and actions of the
key's organisation (an open scan with invitees, a published one). Schemathesis also tries the requests
without the key, and methods the schema does not list (405). No answer may be a server error, break
the schema or have an undocumented status.

Derandomised (the "ci" Hypothesis profile of tests/conftest.py) and 25 examples per operation, so that
it is the same run on CI every time and takes well under a minute."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from roer.api.keys import key_create
from roer.api.models import ApiKeyScope
from roer.plans.models import Action
from roer.wsgi import application
from tests.factories import InvitationFactory
from tests.helpers import closed_scan_with

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


# Loaded from the running app (no database is needed for the schema). Not a lazy fixture schema:
# schemathesis' from_fixture does not work with pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def _wsgi_in_the_tests_transaction(db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Requests go straight into Django's WSGI application; as Django's test client does, the test's
    transaction keeps its connection between them."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def world(_wsgi_in_the_tests_transaction, settings, organisation, alice, scan, instrument_version) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A write key of Alfa, an open scan with invitees, a published scan and an action; the rate limit
    out of the way."""
    settings.ROER_API_RATE = "100000/m"
    InvitationFactory(scan=scan, email="m1@alfa.example")
    closed = closed_scan_with(organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [3] * 5})
    action = Action.objects.create(
        organisation=organisation,
        instrument_code="digitaal_leiderschap",
        dimension_code="kennis",
        investment="kennis",
        title="Leertraject",
        due_on="2026-06-01",
    )
    token = key_create(organisation=organisation, user=alice, name="schemathesis", scope=ApiKeyScope.WRITE).token
    codes = itertools.cycle([None, str(scan.code), None, str(closed.code)])
    return {"token": token, "codes": codes, "action": action.pk}


@schema.parametrize()
@settings(max_examples=25, suppress_health_check=list(HealthCheck), deadline=None)
def test_the_api_keeps_to_its_schema(case, world):  # type: ignore[no-untyped-def]
    parameters = case.path_parameters or {}
    if "code" in parameters:
        real = next(world["codes"])
        if real is not None:
            parameters["code"] = real
    if "action_id" in parameters and next(world["codes"]) is not None:
        parameters["action_id"] = world["action"]
    if case.path.endswith("/plan/actions") and isinstance(case.body, dict) and next(world["codes"]) is not None:
        # a dimension of the instrument (which the schema cannot name), due within the plan's horizon
        case.body.update(dimension_code="kennis", due_on="2026-09-01")
    case.call_and_validate(headers={"Authorization": f"Bearer {world['token']}"}, checks=CHECKS)
