"""Invitations and reminders: one e-mail per person, a fresh working link in each, nothing sent twice."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from roer.lib.tokens import hash_token
from roer.scans import services
from roer.scans.models import AccessToken, GroupKind, Invitation
from tests.factories import InvitationFactory
from tests.helpers import links_in_outbox


@pytest.fixture
def invitees(scan):
    staff = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    return [InvitationFactory(scan=scan, group=staff, sent_at=None, email=f"p{n}@x.nl") for n in range(3)]


def test_invitations_go_to_everyone_not_yet_invited_once(alice_client, scan, invitees):
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    assert sorted(message.to[0] for message in mail.outbox) == ["p0@x.nl", "p1@x.nl", "p2@x.nl"]
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    assert len(mail.outbox) == 3
    assert Invitation.objects.filter(scan=scan, sent_at__isnull=True).count() == 0


def test_each_email_has_text_and_html_and_only_the_token_hash_is_stored(alice_client, scan, invitees):
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    message = mail.outbox[0]
    assert scan.organisation.name in message.subject
    assert message.alternatives[0].mimetype == "text/html"
    path = links_in_outbox()[message.to[0]]
    token = path.split("/")[2]
    assert len(token) == 43
    assert not AccessToken.objects.filter(token_hash=token).exists()
    assert AccessToken.objects.filter(token_hash=hash_token(token)).exists()


def test_an_invitation_is_written_in_the_invitees_language(alice_client, scan, invitees):
    invitees[0].language = "en"
    invitees[0].save()
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["p0@x.nl"].startswith("Your view on digital leadership")
    assert "digitaal leiderschap" in subjects["p1@x.nl"]


def test_reminders_go_only_to_those_who_have_not_answered_and_old_links_keep_working(
    alice_client, client, scan, invitees
):
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    first_links = links_in_outbox()
    Invitation.objects.filter(email="p1@x.nl").update(submitted=True)
    mail.outbox.clear()
    alice_client.post(f"/scans/{scan.code}/send/reminders/")
    assert sorted(message.to[0] for message in mail.outbox) == ["p0@x.nl", "p2@x.nl"]
    new_links = links_in_outbox()
    assert new_links["p0@x.nl"] != first_links["p0@x.nl"]
    assert client.get(first_links["p0@x.nl"]).status_code == 302
    assert client.get(new_links["p0@x.nl"]).status_code == 302
    assert Invitation.objects.get(email="p0@x.nl").reminder_count == 1


def test_the_invitee_list_does_not_tell_who_answered_or_was_reminded(alice_client, scan, invitees):
    """Reminders go only to those who have not answered, so per-person counts would date each answer."""
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    Invitation.objects.filter(email="p1@x.nl").update(submitted=True)
    alice_client.post(f"/scans/{scan.code}/send/reminders/")
    page = alice_client.get(f"/scans/{scan.code}/invitees/").content.decode()
    rows = {
        email: re.sub(r"<[^>]+>|\s+", " ", row)
        for email, row in re.findall(r"<tr>\s*<td>([^<]+@x\.nl)</td>(.*?)</tr>", page, flags=re.S)
    }
    assert set(rows) == {"p0@x.nl", "p1@x.nl", "p2@x.nl"}
    # the reminded and the answered person's rows say the same things
    assert rows["p0@x.nl"].replace("p0@x.nl", "") == rows["p1@x.nl"].replace("p1@x.nl", "")


def test_nothing_is_sent_for_a_scan_that_is_not_open(alice_client, scan, invitees):
    scan.opens_on = timezone.localdate() + datetime.timedelta(days=3)
    scan.save()
    response = alice_client.post(f"/scans/{scan.code}/send/invitations/", follow=True)
    assert mail.outbox == []
    assert response.status_code == 200


def test_a_failing_mail_server_leaves_earlier_batches_sent_and_the_rest_to_retry(scan, invitees, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 1)
    calls = {"n": 0}
    real_send = services.send_templated

    def flaky(emails):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionRefusedError("mail server down")
        return real_send(emails)

    monkeypatch.setattr(services, "send_templated", flaky)
    with pytest.raises(services.SendingFailedError) as caught:
        services.invitations_send(scan=scan)
    assert caught.value.sent == 1
    assert Invitation.objects.filter(scan=scan, sent_at__isnull=False).count() == 1
    # the failed batch left no orphan links behind, and a retry sends the rest
    assert AccessToken.objects.count() == 1
    assert services.invitations_send(scan=scan) == 2
    assert Invitation.objects.filter(scan=scan, sent_at__isnull=True).count() == 0


def test_the_scan_page_shows_how_many_invitations_and_reminders_are_waiting(alice_client, scan, invitees):
    response = alice_client.get(f"/scans/{scan.code}/")
    assert response.context["not_sent"] == 3
    assert response.context["waiting"] == 0
