"""The audit log: filters checked against a log counted by hand, a CSV no spreadsheet runs as a formula,
and bad filter input shown as an error."""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest

from roer.audit.models import AuditAction, AuditEvent
from roer.audit.services import audit_record

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def event(user, organisation, action, subject, day):  # type: ignore[no-untyped-def]
    recorded = audit_record(user=user, organisation=organisation, action=action, subject=subject)
    at = datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=AMSTERDAM)
    AuditEvent.objects.filter(pk=recorded.pk).update(at=at)
    return recorded


@pytest.fixture
def log(alice, bob, charlie, organisation, other_organisation):  # type: ignore[no-untyped-def]
    """Seven events: Alfa 4 (Alice 3, Bob 1), Bravo 2 (Charlie), the platform 1; on 1, 5, 10 and 15 March."""
    march = lambda day: datetime.date(2026, 3, day)  # noqa: E731
    event(alice, organisation, AuditAction.REPORT_VIEWED, "Scan 2026: summary", march(1))
    event(alice, organisation, AuditAction.REPORT_DOWNLOADED, "Scan 2026: summary.pdf", march(5))
    event(alice, organisation, AuditAction.MEMBER_INVITED, '=HYPERLINK("x")', march(10))
    event(bob, organisation, AuditAction.REPORT_VIEWED, "Scan 2026: full", march(10))
    event(charlie, other_organisation, AuditAction.REPORT_VIEWED, "Bravo: summary", march(5))
    event(charlie, other_organisation, AuditAction.EXPORT_DOWNLOADED, "Bravo: scores.csv", march(15))
    event(alice, None, AuditAction.USER_DEACTIVATED, "eve@alfa.example", march(15))


def count(client, query: str) -> int:  # type: ignore[no-untyped-def]
    response = client.get(f"/platform/audit/?{query}")
    assert response.status_code == 200, response.content
    return response.context["page"].paginator.count


def test_the_filters_give_the_numbers_counted_by_hand(petra_client, log, organisation, other_organisation):
    assert count(petra_client, "") == 7
    assert count(petra_client, f"organisation={organisation.code}") == 4
    assert count(petra_client, f"organisation={other_organisation.code}") == 2
    assert count(petra_client, "action=report_viewed") == 3
    assert count(petra_client, "email=alice") == 4  # three in Alfa, one on the platform
    assert count(petra_client, "email=ALFA.EXAMPLE") == 5
    assert count(petra_client, "since=2026-03-05") == 6
    assert count(petra_client, "until=2026-03-05") == 3
    assert count(petra_client, "since=2026-03-05&until=2026-03-10") == 4
    assert count(petra_client, "since=2026-03-10&until=2026-03-10") == 2
    assert count(petra_client, f"organisation={organisation.code}&action=report_viewed&email=bob") == 1
    assert count(petra_client, "action=user_deactivated") == 1


def test_the_newest_event_comes_first_and_the_platform_is_named(petra_client, log):
    response = petra_client.get("/platform/audit/")
    events = list(response.context["page"])
    assert events[0].at >= events[-1].at
    assert b"platform" in response.content


@pytest.mark.parametrize(
    "query",
    [
        "since=16-03-2026",
        "until=gisteren",
        "since=2026-02-30",
        "since=2026-03-10&until=2026-03-01",
        "organisation=not-a-uuid",
        "organisation=00000000-0000-0000-0000-000000000000",
        "action=nothing",
        "email=" + "x" * 300,
    ],
)
def test_bad_filters_are_form_errors_not_failures(petra_client, log, query):
    response = petra_client.get(f"/platform/audit/?{query}")
    assert response.status_code == 400
    assert b"error-summary" in response.content
    assert response.context["page"].paginator.count == 0
    assert petra_client.get(f"/platform/audit.csv?{query}").status_code == 400


def test_a_bad_date_says_what_a_date_looks_like(petra_client):
    response = petra_client.get("/platform/audit/?since=morgen")
    assert b"Enter a date such as 2026-03-16." in response.content


def rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_holds_the_filtered_log_and_no_formula(petra_client, log, organisation):
    response = petra_client.get(f"/platform/audit.csv?organisation={organisation.code}&email=alice")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    header, *lines = rows(response)
    assert header == ["When", "E-mail address", "Organisation", "Action", "What"]
    assert len(lines) == 3
    assert [line[4] for line in lines] == ['\'=HYPERLINK("x")', "Scan 2026: summary.pdf", "Scan 2026: summary"]
    assert lines[0][:4] == ["2026-03-10 12:00:00", "alice@alfa.example", "Gemeente Alfa", "Member invited"]


def test_the_whole_log_as_csv_names_the_platforms_own_events(petra_client, log):
    _header, *lines = rows(petra_client.get("/platform/audit.csv"))
    assert len(lines) == 7
    platform_line = next(line for line in lines if line[4] == "eve@alfa.example")
    assert platform_line[2] == ""
    assert platform_line[3] == "User account blocked"


def test_the_audit_log_pages(petra_client, alice, organisation):
    for number in range(51):
        audit_record(user=alice, organisation=organisation, action=AuditAction.REPORT_VIEWED, subject=f"{number}")
    response = petra_client.get(f"/platform/audit/?organisation={organisation.code}&page=2")
    assert len(response.context["page"].object_list) == 1
    assert f"organisation={organisation.code}&amp;page=1".encode() in response.content


def test_the_csv_for_dutch_excel_has_semicolons_and_a_byte_order_mark(petra_client, log, organisation):
    response = petra_client.get(f"/platform/audit.csv?organisation={organisation.code}&dialect=excel-nl")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="audit-log-excel-nl.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffWhen;E-mail address;Organisation;Action;What\r\n")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(lines) == 5  # the header and Alfa's four events


def test_the_plain_csv_has_no_byte_order_mark_and_an_unknown_dialect_is_not_found(petra_client, log):
    text = b"".join(petra_client.get("/platform/audit.csv").streaming_content).decode("utf-8")
    assert text.startswith("When,E-mail address,")
    assert petra_client.get("/platform/audit.csv?dialect=tsv").status_code == 404


def test_the_page_links_both_downloads_with_its_filters(petra_client, log, organisation):
    response = petra_client.get(f"/platform/audit/?organisation={organisation.code}")
    assert f'href="/platform/audit.csv?organisation={organisation.code}"'.encode() in response.content
    assert f'href="/platform/audit.csv?organisation={organisation.code}&amp;dialect=excel-nl"'.encode() in (
        response.content
    )
