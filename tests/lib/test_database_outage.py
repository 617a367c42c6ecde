"""A database outage gets a calm 503 page with Retry-After, wherever the request meets it (a view, or the
session read by the session and authentication middleware), logged as one warning line; any other error
still gets the 500 page. The outage is real: the connection points at a database that cannot be opened
(SQLite: a file in a folder that does not exist; PostgreSQL: a port nothing listens on)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from roer.lib import errors
from tests.conftest import link_for
from tests.factories import InvitationFactory


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def database_down(transactional_db) -> Iterator[Callable[[], None]]:  # type: ignore[no-untyped-def]
    """Call it to take the database away: the open connection is closed and the next one cannot be made."""
    kept = dict(connection.settings_dict)

    def down() -> None:
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = str(Path(kept["NAME"]).parent / "gone" / "roer.sqlite3")
        else:
            connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_free_port()))

    yield down
    # Back before pytest-django empties the database for the next test.
    connection.close()
    connection.settings_dict.update(kept)


def _client(language: str | None = None) -> Client:
    client = Client(raise_request_exception=False)  # as in production: Django's handler answers
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _assert_calm_503(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS) == "30"
    assert "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert "<h1>" in page
    assert "//" not in page  # no asset from another site


def test_a_logged_in_page_gets_the_503_page_when_the_database_is_down(alice, database_down, caplog):
    client = _client("en")
    client.force_login(alice)
    database_down()
    with caplog.at_level(logging.WARNING):
        response = client.get("/")
    _assert_calm_503(response)
    page = response.content.decode()
    assert "Roer is briefly unavailable" in page
    assert "Something went wrong" not in page
    assert response["Content-Language"] == "en"
    outage = [record for record in caplog.records if record.name == "roer.errors"]
    assert len(outage) == 1
    assert outage[0].levelno == logging.WARNING
    assert outage[0].exc_info is None
    assert "GET /" in outage[0].getMessage()
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_questionnaire_link_gets_the_503_page_in_dutch_when_the_database_is_down(scan, database_down):
    path = link_for(InvitationFactory(scan=scan, group=scan.groups.get(kind="medewerkers")))
    assert _client().get(path).status_code in (200, 302)
    database_down()
    response = _client().get(path)
    _assert_calm_503(response)
    assert '<html lang="nl">' in response.content.decode()
    assert _client().post(f"{path}1/", {"answer": "3"}).status_code == 503


def test_ready_says_503_and_health_stays_ok_when_the_database_is_down(database_down):
    database_down()
    ready = _client().get("/ready/")
    assert ready.status_code == 503
    assert ready["Retry-After"] == "30"
    assert ready.json() == {
        "status": "unavailable",
        "checks": {
            "database": {"status": "unavailable"},
            "task_queue": {"status": "unknown"},
            "workers": {"status": "unknown"},
        },
    }
    health = _client().get("/health/")
    assert (health.status_code, health.content) == (200, b"ok")


def test_the_login_page_and_a_login_get_the_503_page_when_the_database_is_down(alice, database_down):
    database_down()
    _assert_calm_503(_client().post("/login/", {"username": "alice@alfa.example", "password": "x"}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [OperationalError("database is locked"), InterfaceError("connection already closed")],
    ids=["locked", "connection-closed"],
)
def test_a_database_error_while_the_session_is_read_gets_the_503_page(alice, monkeypatch, error):
    client = _client()
    client.force_login(alice)

    def fail(self):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr(SessionStore, "load", fail)
    _assert_calm_503(client.get("/"))


@pytest.mark.django_db
def test_a_database_error_in_the_session_middleware_itself_gets_the_503_page(alice, monkeypatch, settings, caplog):
    settings.SESSION_SAVE_EVERY_REQUEST = True  # SessionMiddleware saves after the view, outside it
    client = _client()
    client.force_login(alice)

    def fail(self, must_create=False):  # type: ignore[no-untyped-def]
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", fail)
    with caplog.at_level(logging.WARNING):
        response = client.get("/")
    _assert_calm_503(response)
    assert len([record for record in caplog.records if record.name == "roer.errors"]) == 1
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.django_db
def test_any_other_error_still_gets_the_500_page_and_its_stack_trace(alice, monkeypatch, caplog):
    client = _client()
    client.force_login(alice)

    def fail(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr(SessionStore, "load", fail)
    with caplog.at_level(logging.WARNING):
        response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert [record.exc_info is not None for record in caplog.records if record.name == "django.request"] == [True]


@pytest.mark.django_db
def test_a_mistake_sqlite_reports_as_operational_error_is_no_outage(alice, monkeypatch):
    client = _client()
    client.force_login(alice)

    def fail(self):  # type: ignore[no-untyped-def]
        raise OperationalError("no such table: django_session")

    monkeypatch.setattr(SessionStore, "load", fail)
    assert client.get("/").status_code == 500


def test_the_503_page_needs_no_database(rf):
    # No database access is allowed in this test: pytest-django fails any query.
    request = rf.get("/a/some-token/")
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = errors.server_error(request)
    _assert_calm_503(response)
    assert "Roer is briefly unavailable" in response.content.decode()
