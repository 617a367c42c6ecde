"""Retention as the platform sees it, and the instrument versions with the scans using them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from roer.scans.models import ScanState
from tests.factories import ScanFactory

pytestmark = pytest.mark.django_db


def closed_scan(organisation, version, *, closed_days_ago: int, retention_days: int, title: str, removed=False):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    closed_at = timezone.now() - datetime.timedelta(days=closed_days_ago)
    return ScanFactory(
        organisation=organisation,
        instrument_version=version,
        title=title,
        opens_on=today - datetime.timedelta(days=closed_days_ago + 20),
        closes_on=today - datetime.timedelta(days=closed_days_ago),
        state=ScanState.FIGURES_READY,
        closed_at=closed_at,
        retention_days=retention_days,
        personal_data_removed_at=closed_at + datetime.timedelta(days=retention_days) if removed else None,
    )


def test_each_closed_scan_shows_when_its_personal_data_goes(petra_client, organisation, instrument_version, scan):
    waiting = closed_scan(organisation, instrument_version, closed_days_ago=10, retention_days=90, title="Wacht")
    due = closed_scan(organisation, instrument_version, closed_days_ago=100, retention_days=90, title="Verlopen")
    closed_scan(organisation, instrument_version, closed_days_ago=200, retention_days=30, title="Weg", removed=True)
    response = petra_client.get("/platform/retention/")
    assert response.status_code == 200
    shown = {scan.title: is_due for scan, is_due in response.context["rows"]}
    assert shown == {"Wacht": False, "Verlopen": True, "Weg": False}  # the open scan is not listed
    # closed by hand on its last day, 6 March; 90 days on: 25 in March, 30 in April, 31 in May, 4 in June
    assert waiting.personal_data_due_on == datetime.date(2026, 6, 4)
    content = response.content.decode()
    assert "to be removed on 4 Jun 2026" in content
    # removed 30 days after closing on 28 August 2025 (the day 200 days before the clock's day)
    assert "removed on 27 Sep 2025" in content
    assert f"due since {due.personal_data_due_on:%-d %b %Y}" in content


def test_the_instrument_versions_count_their_scans(petra_client, organisation, instrument_version, scan, other_scan):
    response = petra_client.get("/platform/instruments/")
    assert response.status_code == 200
    versions = list(response.context["versions"])
    assert [(version.pk, version.scan_count) for version in versions] == [(instrument_version.pk, 2)]
    assert instrument_version.source_name.encode() in response.content


def test_a_cancelled_scans_personal_data_goes_too(petra_client, organisation, instrument_version):
    cancelled = closed_scan(organisation, instrument_version, closed_days_ago=100, retention_days=90, title="Gestopt")
    cancelled.state = ScanState.CANCELLED
    cancelled.save(update_fields=["state"])
    response = petra_client.get("/platform/retention/")
    assert [(scan.title, due) for scan, due in response.context["rows"]] == [("Gestopt", True)]
    assert b"(cancelled)" in response.content
    assert petra_client.get("/platform/").context["due"] == 1
