"""The report states the day the scan really stopped taking answers, not the day the schedule gave."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.formats import date_format

from roer.lifecycle.scan_life import scan_close, scans_follow_clock
from roer.scans.models import Invitation
from tests.factories import ScanFactory
from tests.groups import GroupKind
from tests.helpers import answer_directly
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def _dutch(day: datetime.date) -> str:
    with translation.override("nl"):
        return date_format(day, "j F Y")


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _answered(organisation, version, *, closes_in: int):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    scan = ScanFactory(
        organisation=organisation,
        instrument_version=version,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=closes_in),
        groups=["medewerkers"],
    )
    group = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    for number in range(5):
        invitation = Invitation.objects.create(scan=scan, group=group, email=f"m{number}@alfa.example")
        answer_directly(invitation, {item.code: 3 for item in version.parsed.items()})
    return scan


def test_a_scan_closed_by_hand_three_weeks_early_is_reported_closed_that_day(
    organisation, instrument_version, bob_client
):
    today = timezone.localdate()
    scan = _answered(organisation, instrument_version, closes_in=21)
    scan_close(scan=scan)
    run_tasks()
    page = _text(bob_client.get(f"/scans/{scan.code}/report/summary/"))
    closed, scheduled = _dutch(today), _dutch(scan.closes_on)  # 16 maart 2026 and 6 april 2026
    assert f"de scan die op {closed} is gesloten" in page
    assert scheduled not in page


def test_a_scan_closed_by_the_calendar_is_reported_closed_on_its_last_day(organisation, instrument_version, bob_client):
    """The clock closes it just after midnight, the day after its closing date: its last day is the closing date."""
    scan = _answered(organisation, instrument_version, closes_in=2)
    next_morning = datetime.datetime.combine(
        scan.closes_on + datetime.timedelta(days=1), datetime.time(0, 5), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(next_morning, tick=False):
        assert scans_follow_clock() == 1
        run_tasks()
        scan.refresh_from_db()
        assert timezone.localdate(scan.closed_at) == scan.closes_on + datetime.timedelta(days=1)
    page = _text(bob_client.get(f"/scans/{scan.code}/report/summary/"))
    assert f"de scan die op {_dutch(scan.closes_on)} is gesloten" in page
