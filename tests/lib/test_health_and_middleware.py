"""/health/ (liveness) answers without the database and skips the middleware it does not need (readiness,
/ready/, is in tests/lib/test_readiness.py); the Content Security Policy built once is the header
django-csp builds."""

from __future__ import annotations

import pytest
from csp.middleware import CSPMiddleware
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from roer.lib import health
from roer.lib.middleware import FixedPolicyCSPMiddleware

pytestmark = pytest.mark.django_db


def test_health_says_ok_without_asking_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/")
    assert (response.status_code, response.content, response["Content-Type"]) == (200, b"ok", "text/plain")
    assert not queries
    assert "no-cache" in response["Cache-Control"]


def test_health_stays_ok_when_the_database_does_not_answer(client, monkeypatch):
    def broken():  # type: ignore[no-untyped-def]
        raise OperationalError("unable to open database file")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/health/")
    assert (response.status_code, response.content) == (200, b"ok")


def test_health_skips_sessions_csrf_csp_and_the_host_check_but_keeps_the_security_headers(client):
    response = client.get("/health/", HTTP_HOST="10.0.0.7")  # a load balancer asking by address
    assert response.status_code == 200
    assert not response.cookies
    assert "Content-Security-Policy" not in response
    assert "Vary" not in response  # no session, language or cookie looked at
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_only_get_and_head_of_health_are_answered_early(client):
    from django.test import Client

    assert client.head("/health/").status_code == 200
    assert Client(enforce_csrf_checks=True).post("/health/").status_code == 403  # down the stack: CSRF
    assert client.get("/health/x/").status_code == 404


def test_the_health_view_is_still_reachable_by_its_url_without_the_middleware(rf: RequestFactory):
    assert health.health(rf.get("/health/")).content == b"ok"


def test_the_policy_built_once_is_the_policy_django_csp_builds(rf: RequestFactory):
    def ok(request):  # type: ignore[no-untyped-def]
        return HttpResponse("ok")

    fixed, original = FixedPolicyCSPMiddleware(ok), CSPMiddleware(ok)
    built, expected = fixed(rf.get("/login/")), original(rf.get("/login/"))
    assert built["Content-Security-Policy"] == expected["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in built


def test_a_response_that_changes_the_policy_takes_django_csps_way(rf: RequestFactory):
    def changed(request):  # type: ignore[no-untyped-def]
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://example.org"]}  # type: ignore[attr-defined]
        return response

    response = FixedPolicyCSPMiddleware(changed)(rf.get("/"))
    assert "https://example.org" in response["Content-Security-Policy"]


def test_a_nonce_asked_for_takes_django_csps_way_and_one_asked_for_too_late_is_an_error(rf: RequestFactory):
    from csp.exceptions import CSPNonceError

    def with_nonce(request):  # type: ignore[no-untyped-def]
        request.nonce_used = str(request.csp_nonce)
        return HttpResponse("ok")

    request, theirs = rf.get("/"), rf.get("/")
    response = FixedPolicyCSPMiddleware(with_nonce)(request)
    assert response["Content-Security-Policy"] == CSPMiddleware(with_nonce)(theirs)["Content-Security-Policy"]
    late = rf.get("/")
    FixedPolicyCSPMiddleware(lambda request: HttpResponse("ok"))(late)
    with pytest.raises(CSPNonceError):
        str(late.csp_nonce)


def test_an_exempt_response_gets_no_policy(rf: RequestFactory):
    def exempt(request):  # type: ignore[no-untyped-def]
        response = HttpResponse("ok")
        response._csp_exempt = True  # type: ignore[attr-defined]
        return response

    assert "Content-Security-Policy" not in FixedPolicyCSPMiddleware(exempt)(rf.get("/"))
