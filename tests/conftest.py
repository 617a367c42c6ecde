from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from roer.instruments.loader import DEFAULT_INSTRUMENT, read_instrument_file
from roer.instruments.models import InstrumentVersion
from roer.instruments.services import instrument_version_load
from roer.lib.tokens import new_token
from roer.organisations.models import Role
from roer.scans.models import AccessToken, Invitation
from tests.factories import MembershipFactory, OrganisationFactory, ScanFactory, UserFactory

# Every test runs on a fixed clock (a Monday morning in March 2026) that then ticks on, so dates worked out
# in a test and in the code under test agree, and nothing depends on the day the suite runs. Tests that run
# another process (a browser, whose cookies expire by its own clock, or a worker) keep the machine's clock
# and give every date relative to it.
FIXED_NOW = datetime.datetime(2026, 3, 16, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))

# Hypothesis: "ci" (the default under `make test`) is derandomised, so a run on CI is repeatable, and has no
# deadline, because a shared machine's timing is no property of the code.
hypothesis_settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=25)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _fixed_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(FIXED_NOW, tick=True):
        yield


def pytest_configure() -> None:
    # The SQLite test database is a file in var/ (see settings.py), and WhiteNoise expects STATIC_ROOT.
    django_settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    django_settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request with the English cookie activates English for its thread (as each request does); the next
    test must not inherit it."""
    yield
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _plain_static_files_and_mail(settings) -> None:  # type: ignore[no-untyped-def]
    # Tests run without collectstatic; e-mail goes to django.core.mail.outbox.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    settings.MEDIA_ROOT = str(django_settings.VAR_DIR / "test-files" / os.environ.get("PYTEST_XDIST_WORKER", "main"))
    from django.core.cache import cache

    cache.clear()  # rate-limit counters start at zero in every test
    # The questionnaire keeps instrument versions and rendered pages per process by database id. A real
    # database never hands out an id twice; the test database does, after each test's rollback, and the
    # same id may then be another instrument (the municipal one in one test, healthcare in the next).
    from roer.responses import pagecache
    from roer.responses import services as response_services

    response_services._VERSIONS.clear()
    pagecache._CACHE.clear()


@pytest.fixture
def instrument_version(db) -> InstrumentVersion:  # type: ignore[no-untyped-def]
    definition, text = read_instrument_file(DEFAULT_INSTRUMENT)
    return instrument_version_load(definition=definition, source_text=text, source_name=DEFAULT_INSTRUMENT.name).version


# Alice manages organisation A, Bob reads it, Charlie manages organisation B and must see nothing of A.
@pytest.fixture
def organisation(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Gemeente Alfa")


@pytest.fixture
def other_organisation(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Gemeente Bravo")


@pytest.fixture
def alice(organisation):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        user=UserFactory(email="alice@alfa.example"), organisation=organisation, role=Role.BEHEERDER
    ).user


@pytest.fixture
def bob(organisation):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        user=UserFactory(email="bob@alfa.example"), organisation=organisation, role=Role.LEZER
    ).user


@pytest.fixture
def charlie(other_organisation):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        user=UserFactory(email="charlie@bravo.example"), organisation=other_organisation, role=Role.BEHEERDER
    ).user


@pytest.fixture
def scan(organisation, instrument_version):  # type: ignore[no-untyped-def]
    return ScanFactory(organisation=organisation, instrument_version=instrument_version, title="Scan Alfa 2026")


@pytest.fixture
def other_scan(other_organisation, instrument_version):  # type: ignore[no-untyped-def]
    return ScanFactory(organisation=other_organisation, instrument_version=instrument_version, title="Scan Bravo 2026")


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice) -> Client:  # type: ignore[no-untyped-def]
    return client_for(alice)


@pytest.fixture
def bob_client(bob) -> Client:  # type: ignore[no-untyped-def]
    return client_for(bob)


@pytest.fixture
def charlie_client(charlie) -> Client:  # type: ignore[no-untyped-def]
    return client_for(charlie)


def link_for(invitation: Invitation) -> str:
    """Give an invitation a fresh token, as an e-mail would, and return the path it opens."""
    token, token_hash = new_token()
    AccessToken.objects.create(invitation=invitation, token_hash=token_hash)
    return f"/a/{token}/"


@pytest.fixture
def english() -> Iterator[None]:
    from django.utils import translation

    with translation.override("en"):
        yield


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start each run with empty screenshot and axe folders (once, in the controlling process)."""
    if hasattr(session.config, "workerinput"):
        return
    import shutil

    from tests.browser.conftest import ARTIFACTS

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shutil.rmtree(django_settings.VAR_DIR / "test-files", ignore_errors=True)  # PDFs and exports of earlier runs


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """After a run with browser tests: where the screenshots are, and every axe finding by rule."""
    from tests.browser.conftest import AXE_REPORT, SCREENSHOTS

    reports = sorted(AXE_REPORT.glob("*.json")) if AXE_REPORT.exists() else []
    if not reports:
        return
    counts: dict[tuple[str, str, str], int] = {}
    for report in reports:
        for finding in json.loads(report.read_text(encoding="utf-8")):
            key = (finding["kind"], finding["impact"] or "-", finding["rule"])
            counts[key] = counts.get(key, 0) + 1
    terminalreporter.section("browser tests: screenshots and accessibility")
    terminalreporter.write_line(f"screenshots of every step: {SCREENSHOTS}")
    terminalreporter.write_line(f"axe findings per test:     {AXE_REPORT}")
    if not counts:
        terminalreporter.write_line("axe-core (WCAG 2.1 A/AA): no violations and nothing left for review")
    for (kind, impact, rule), count in sorted(counts.items()):
        label = "violation" if kind == "violations" else "needs review"
        terminalreporter.write_line(f"axe {label}: {rule} ({impact}) on {count} page(s)")
