"""Adding invitees in bulk: checked line by line like the product's import, good lines kept, a closed
scan refused under its lock."""

from __future__ import annotations

import pytest

from roer.audit.models import AuditAction, AuditEvent
from roer.lifecycle.scan_life import scan_cancel, scan_close
from roer.scans.models import Invitation
from tests.factories import InvitationFactory
from tests.groups import GroupKind

pytestmark = pytest.mark.django_db


def test_bad_lines_are_reported_and_good_ones_kept(writer, scan):
    InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS), email="al@alfa.example")
    InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MANAGEMENT), email="mt@alfa.example")
    response = writer.post(
        f"/scans/{scan.code}/invitations",
        {
            "invitations": [
                {"email": "Anna@Alfa.example", "group": "medewerkers"},  # 1: good
                {"email": "geen-adres", "group": "medewerkers"},  # 2: not an address
                {"email": "bert@alfa.example", "group": "Directeuren", "language": "en"},  # 3: good, a synonym
                {"email": "cees@alfa.example", "group": "bestuur"},  # 4: no such group
                {"email": "anna@alfa.example", "group": "medewerkers"},  # 5: a duplicate of 1
                {"email": "anna@alfa.example", "group": "management"},  # 6: 1 again, in another group
                {"email": "al@alfa.example", "group": "medewerkers"},  # 7: already invited
                {"email": "mt@alfa.example", "group": "medewerkers"},  # 8: already invited elsewhere
                {"email": "dirk@alfa.example", "group": "medewerkers", "language": "fr"},  # 9: no such language
            ]
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["added"], body["already_invited"], body["duplicates"]) == (2, 1, 1)
    assert [problem["line"] for problem in body["problems"]] == [2, 4, 6, 8, 9]
    assert all(problem["reason"] for problem in body["problems"])
    added = {invitation.email: invitation for invitation in Invitation.objects.filter(scan=scan)}
    assert added["anna@alfa.example"].group.kind == "medewerkers"
    assert added["anna@alfa.example"].language == "nl"
    assert added["bert@alfa.example"].group.kind == "directie"
    assert added["bert@alfa.example"].language == "en"
    assert "cees@alfa.example" not in added
    assert "dirk@alfa.example" not in added
    [event] = AuditEvent.objects.filter(action=AuditAction.API_WRITE)
    assert event.subject.startswith("Personeelssysteem (")
    assert "2 invitees added" in event.subject
    assert "@" not in event.subject  # the audit names the key, not the invitees


def test_english_reasons_when_asked(write_key, scan):
    from tests.api.conftest import ApiClient

    response = ApiClient(write_key.token, language="en").post(
        f"/scans/{scan.code}/invitations", {"invitations": [{"email": "x@alfa.example", "group": "bestuur"}]}
    )
    assert response.json()["problems"][0]["reason"] == "unknown group bestuur"


def test_a_closed_or_cancelled_scan_is_refused(writer, scan, organisation, instrument_version, alice):
    scan_close(scan=scan)
    response = writer.post(
        f"/scans/{scan.code}/invitations", {"invitations": [{"email": "late@alfa.example", "group": "medewerkers"}]}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "Deze scan is gesloten."  # the lifecycle's own refusal, Dutch by default
    assert not Invitation.objects.filter(email="late@alfa.example").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.API_WRITE).exists()
    from tests.factories import ScanFactory

    other = ScanFactory(organisation=organisation, instrument_version=instrument_version)
    scan_cancel(scan=other, user=alice)
    assert (
        writer.post(
            f"/scans/{other.code}/invitations", {"invitations": [{"email": "x@alfa.example", "group": "medewerkers"}]}
        ).status_code
        == 409
    )


def test_the_state_is_checked_under_the_scans_lock(writer, scan, monkeypatch):
    """A scan that closes between the first look and the lock is refused by the lifecycle itself."""
    from roer.api import scans as api_scans
    from roer.scans.models import ScanState

    scan_close(scan=scan)
    monkeypatch.setattr(api_scans, "NOT_CLOSED", tuple(ScanState))  # the first look lets it by
    response = writer.post(
        f"/scans/{scan.code}/invitations", {"invitations": [{"email": "late@alfa.example", "group": "medewerkers"}]}
    )
    assert response.status_code == 409
    assert not Invitation.objects.filter(email="late@alfa.example").exists()


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({}, "body.invitations"),
        ({"invitations": []}, "body.invitations"),
        ({"invitations": [{"email": "a@alfa.example"}]}, "body.invitations.0.group"),
        ({"invitations": [{"email": "", "group": "medewerkers"}]}, "body.invitations.0.email"),
        ({"invitations": [{"email": "a@alfa.example", "group": "medewerkers", "x": 1}]}, "body.invitations.0.x"),
        ({"invitations": "a@alfa.example"}, "body.invitations"),
        ({"invitations": [{"email": "a@alfa.example", "group": "medewerkers"}] * 1001}, "body.invitations"),
    ],
)
def test_a_malformed_list_is_422_with_the_place(writer, scan, body, location):
    response = writer.post(f"/scans/{scan.code}/invitations", body)
    assert response.status_code == 422
    assert location in [error["location"] for error in response.json()["errors"]]
    assert not Invitation.objects.filter(scan=scan).exists()


@pytest.mark.parametrize("blank", ["   ", "\t"])
def test_a_group_of_only_spaces_is_refused_and_never_taken_for_the_first_group(writer, scan, blank):
    response = writer.post(
        f"/scans/{scan.code}/invitations", {"invitations": [{"email": "anna@alfa.example", "group": blank}]}
    )
    assert response.status_code == 422, response.json()
    assert not Invitation.objects.filter(scan=scan).exists()
