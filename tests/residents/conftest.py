import datetime

import pytest
from django.test import Client
from django.utils import timezone

from roer.lifecycle.resident_life import survey_create


@pytest.fixture
def survey(scan, alice):  # type: ignore[no-untyped-def]
    """An open residents' survey beside Alice's scan (the clock is fixed, see tests/conftest.py)."""
    today = timezone.localdate()
    return survey_create(
        scan=scan,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=20),
        user=alice,
    )


@pytest.fixture
def module(survey):  # type: ignore[no-untyped-def]
    return survey.scan.instrument_version.parsed.residents


def resident_client(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address)
