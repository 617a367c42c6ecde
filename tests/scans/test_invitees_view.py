"""Adding invitees in the browser: valid lines are kept, bad ones come back for correction."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import InvitationFactory
from tests.groups import GroupKind


@pytest.fixture
def staff(scan):
    return scan.groups.get(kind=GroupKind.MEDEWERKERS)


def paste(client, scan, group, text):
    return client.post(
        f"/scans/{scan.code}/invitees/",
        {"source": "paste", "paste-addresses": text, "paste-group": group.pk, "paste-language": "nl"},
    )


def upload(client, scan, group, content: bytes, name="invitees.csv"):
    return client.post(
        f"/scans/{scan.code}/invitees/",
        {
            "source": "upload",
            "upload-file": SimpleUploadedFile(name, content),
            "upload-group": group.pk,
            "upload-language": "en",
        },
    )


def test_valid_addresses_are_added_and_the_manager_returns_to_the_scan(alice_client, scan, staff):
    response = paste(alice_client, scan, staff, "a@x.nl\nb@x.nl\na@x.nl")
    assert response.status_code == 302
    assert sorted(scan.invitations.values_list("email", flat=True)) == ["a@x.nl", "b@x.nl"]
    assert all(invitation.group == staff for invitation in scan.invitations.all())


def test_bad_lines_are_listed_and_only_they_come_back_in_the_text_box(alice_client, scan, staff):
    response = paste(alice_client, scan, staff, "a@x.nl\nnonsense\nb@x.nl\nc@@x.nl")
    assert response.status_code == 200
    assert sorted(scan.invitations.values_list("email", flat=True)) == ["a@x.nl", "b@x.nl"]
    assert [problem.line for problem in response.context["problems"]] == [2, 4]
    assert response.context["paste_form"]["addresses"].value() == "nonsense\nc@@x.nl"
    page = response.content.decode()
    assert "2 regels zijn niet toegevoegd" in page


def test_adding_the_same_people_again_adds_nobody_twice(alice_client, scan, staff):
    paste(alice_client, scan, staff, "a@x.nl")
    paste(alice_client, scan, staff, "a@x.nl\nb@x.nl")
    assert scan.invitations.count() == 2


def test_a_person_cannot_be_in_two_groups_of_one_scan(alice_client, scan, staff):
    directors = scan.groups.get(kind=GroupKind.DIRECTIE)
    paste(alice_client, scan, staff, "a@x.nl")
    response = paste(alice_client, scan, directors, "a@x.nl")
    assert "al uitgenodigd in de groep Medewerkers" in response.content.decode()
    assert scan.invitations.get().group == staff


def test_a_csv_upload_uses_its_group_column_and_the_chosen_group_for_the_rest(alice_client, scan, staff):
    content = b"email;groep\ndir@x.nl;directie\nstaff@x.nl;\n"
    assert upload(alice_client, scan, staff, content).status_code == 302
    groups = dict(scan.invitations.values_list("email", "group__kind"))
    assert groups == {"dir@x.nl": "directie", "staff@x.nl": "medewerkers"}
    assert set(scan.invitations.values_list("language", flat=True)) == {"en"}


def test_a_spreadsheet_uploaded_instead_of_a_csv_gets_a_clear_message(alice_client, scan, staff):
    response = upload(alice_client, scan, staff, b"PK\x03\x04\x14\x00\x00\x00binary", name="list.xlsx")
    assert response.status_code == 200
    assert "Dit is geen CSV-tekstbestand" in response.content.decode()
    assert not scan.invitations.exists()


def test_a_file_that_is_too_large_is_refused(alice_client, scan, staff, settings):
    settings.ROER_MAX_UPLOAD_BYTES = 1024
    response = upload(alice_client, scan, staff, b"email\n" + b"a@x.nl\n" * 400)
    assert "groter dan" in response.content.decode()
    assert not scan.invitations.exists()


def test_an_empty_submission_asks_for_input(alice_client, scan, staff):
    response = paste(alice_client, scan, staff, "")
    assert response.status_code == 200
    assert response.context["paste_form"].errors["addresses"]


def test_a_group_of_another_scan_is_refused(alice_client, scan, other_scan):
    foreign = other_scan.groups.get(kind=GroupKind.MEDEWERKERS)
    response = paste(alice_client, scan, foreign, "a@x.nl")
    assert response.status_code == 200
    assert "groepen van deze scan" in " ".join(response.context["paste_form"].errors["group"])
    assert not scan.invitations.exists()


def test_nobody_can_be_added_to_a_closed_scan(alice_client, scan, staff):
    scan.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    scan.opens_on = scan.closes_on - datetime.timedelta(days=10)
    scan.save()
    response = paste(alice_client, scan, staff, "a@x.nl")
    assert response.status_code == 302
    assert not scan.invitations.exists()


def test_an_unsent_invitation_can_be_removed_but_a_sent_one_cannot(alice_client, scan, staff):
    from tests.factories import InvitationFactory

    unsent = InvitationFactory(scan=scan, group=staff, sent_at=None)
    sent = InvitationFactory(scan=scan, group=staff)
    alice_client.post(f"/scans/{scan.code}/invitees/{unsent.pk}/remove/")
    alice_client.post(f"/scans/{scan.code}/invitees/{sent.pk}/remove/")
    assert list(scan.invitations.all()) == [sent]


def test_the_invitee_list_is_paginated(alice_client, scan, staff):
    from roer.scans.models import Invitation

    Invitation.objects.bulk_create(Invitation(scan=scan, group=staff, email=f"p{n:04d}@x.nl") for n in range(250))
    response = alice_client.get(f"/scans/{scan.code}/invitees/?page=3")
    assert len(response.context["invitations"].object_list) == 50
    assert alice_client.get(f"/scans/{scan.code}/invitees/?page=abc").status_code == 200


def test_the_invitee_list_shows_neither_language_nor_when_each_person_was_invited(alice_client, scan):
    """The only English speaker of a group would be the one English open answer; an invitation sent days
    before the others would date that person's answers."""
    staff = scan.groups.get(kind="medewerkers")
    InvitationFactory(scan=scan, group=staff, email="english@x.nl", language="en")
    InvitationFactory(scan=scan, group=staff, email="dutch@x.nl", language="nl")
    page = alice_client.get(f"/scans/{scan.code}/invitees/").content.decode()
    rows = [row for row in page.split("<tr>") if "@x.nl" in row]
    assert len(rows) == 2
    for row in rows:
        assert "English" not in row
        assert "Nederlands" not in row
        assert not re.search(r"\d{1,2}:\d{2}", row)  # no time of day
