"""Invitations and reminders: sent by a worker, one e-mail per person per round, a fresh working link in
each, nobody twice: not when the round is asked for twice, not when its task runs twice, not when the
mail server refuses halfway, and not when a worker dies between sending a message and marking it."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from roer.lib.tokens import hash_token
from roer.lifecycle.mailing import MailServerError, mailing_plan, mailing_request, mailings_follow_clock, send_mailing
from roer.lifecycle.queue import requeue_failed
from roer.lifecycle.scan_life import scan_close
from roer.scans.models import AccessToken, Invitation, Mailing, MailingKind, MailingRecipient
from tests import mailbox
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import links_in_outbox
from tests.tasks import queued, run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitees(scan):
    staff = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    return [InvitationFactory(scan=scan, group=staff, sent_at=None, email=f"p{n}@x.nl") for n in range(3)]


def recipients() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


def test_a_round_is_queued_by_the_request_and_sent_by_a_worker(alice_client, scan, invitees):
    response = alice_client.post(f"/scans/{scan.code}/send/invitations/", follow=True)
    assert "3 uitnodigingen worden verstuurd" in response.content.decode()
    assert mail.outbox == []  # nothing is sent inside the request
    assert len(queued("send_mailing")) == 1
    run_tasks()
    assert recipients() == ["p0@x.nl", "p1@x.nl", "p2@x.nl"]
    mailing = Mailing.objects.get(scan=scan)
    assert (mailing.status, mailing.sent, mailing.total, mailing.unconfirmed) == ("done", 3, 3, 0)
    assert not MailingRecipient.objects.exists()  # who was written to is forgotten once the round is over
    assert Invitation.objects.filter(scan=scan, sent_at__isnull=True).count() == 0


def test_invitations_go_to_everyone_not_yet_invited_once(alice_client, scan, invitees):
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    run_tasks()
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    run_tasks()
    assert recipients() == ["p0@x.nl", "p1@x.nl", "p2@x.nl"]


def test_a_second_round_while_one_is_queued_is_refused(alice_client, scan, invitees):
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    page = alice_client.post(f"/scans/{scan.code}/send/reminders/", follow=True).content.decode()
    assert "Er worden al e-mails voor deze scan verstuurd" in page
    assert Mailing.objects.filter(scan=scan).count() == 1


def test_running_the_same_round_twice_sends_nobody_twice(scan, invitees):
    mailing = mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=None, base_url="https://x")
    assert send_mailing.call(mailing.pk) == 3
    assert send_mailing.call(mailing.pk) == 0
    assert recipients() == ["p0@x.nl", "p1@x.nl", "p2@x.nl"]


def test_each_email_has_text_and_html_and_only_the_token_hash_is_stored(alice_client, scan, invitees):
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    run_tasks()
    message = mail.outbox[0]
    assert scan.organisation.name in message.subject
    assert message.alternatives[0].mimetype == "text/html"
    path = links_in_outbox()[message.to[0]]
    assert path.startswith("/a/")
    token = path.split("/")[2]
    assert len(token) == 43
    assert not AccessToken.objects.filter(token_hash=token).exists()
    assert AccessToken.objects.filter(token_hash=hash_token(token)).exists()
    assert "http://testserver/a/" in message.body  # the address of the request that asked for the round


def test_an_invitation_is_written_in_the_invitees_language(alice_client, scan, invitees):
    invitees[0].language = "en"
    invitees[0].save()
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    run_tasks()
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["p0@x.nl"].startswith("Your view on digital leadership")
    assert "digitaal leiderschap" in subjects["p1@x.nl"]


def test_reminders_go_only_to_those_who_have_not_answered_and_old_links_keep_working(
    alice_client, client, scan, invitees
):
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    run_tasks()
    first_links = links_in_outbox()
    Invitation.objects.filter(email="p1@x.nl").update(submitted=True)
    mail.outbox.clear()
    alice_client.post(f"/scans/{scan.code}/send/reminders/")
    run_tasks()
    assert recipients() == ["p0@x.nl", "p2@x.nl"]
    new_links = links_in_outbox()
    assert new_links["p0@x.nl"] != first_links["p0@x.nl"]
    assert client.get(first_links["p0@x.nl"]).status_code == 302
    assert client.get(new_links["p0@x.nl"]).status_code == 302
    assert Invitation.objects.get(email="p0@x.nl").reminder_count == 1


def test_the_invitee_list_does_not_tell_who_answered_or_was_reminded(alice_client, scan, invitees):
    """Reminders go only to those who have not answered, so per-person counts would date each answer."""
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    run_tasks()
    Invitation.objects.filter(email="p1@x.nl").update(submitted=True)
    alice_client.post(f"/scans/{scan.code}/send/reminders/")
    run_tasks()
    page = alice_client.get(f"/scans/{scan.code}/invitees/").content.decode()
    rows = {
        email: re.sub(r"<[^>]+>|\s+", " ", row)
        for email, row in re.findall(r"<tr>\s*<td[^>]*>([^<]+@x\.nl)</td>(.*?)</tr>", page, flags=re.S)
    }
    assert set(rows) == {"p0@x.nl", "p1@x.nl", "p2@x.nl"}
    assert rows["p0@x.nl"].replace("p0@x.nl", "") == rows["p1@x.nl"].replace("p1@x.nl", "")


def test_nothing_is_sent_for_a_scan_that_is_not_open(alice_client, scan, invitees):
    scan.opens_on = timezone.localdate() + datetime.timedelta(days=3)
    scan.save()
    response = alice_client.post(f"/scans/{scan.code}/send/invitations/", follow=True)
    assert "alleen worden verstuurd zolang de scan open is" in response.content.decode()
    run_tasks()
    assert mail.outbox == []


def test_a_round_stops_when_the_scan_closes_under_it(scan, invitees):
    mailing = mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=None, base_url="https://x")
    scan_close(scan=scan)
    run_tasks()
    mailing.refresh_from_db()
    assert (mailing.status, mailing.sent) == ("stopped", 0)
    assert mail.outbox == []


def test_a_refusing_mail_server_stops_the_round_and_the_retry_carries_on_where_it_stopped(scan, invitees, settings):
    settings.EMAIL_BACKEND = "tests.mailbox.RefusingMailbox"
    mailbox.RefusingMailbox.accept = 1
    mailing = mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=None, base_url="https://x")
    run_tasks(allow_failures=True)
    mailing.refresh_from_db()
    assert (mailing.status, mailing.sent) == ("sending", 1)
    assert "451" in mailing.error
    # the refused message left no link and no claim behind; the two not yet sent wait for the retry
    assert AccessToken.objects.count() == 1
    assert MailingRecipient.objects.filter(mailing=mailing).count() == 1
    mailbox.RefusingMailbox.accept = 10
    assert requeue_failed() == 1
    assert run_tasks() == 0  # the retry waits a minute first
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert run_tasks() == 1
    mailing.refresh_from_db()
    assert (mailing.status, mailing.sent, mailing.error) == ("done", 3, "")
    assert recipients() == ["p0@x.nl", "p1@x.nl", "p2@x.nl"]


def test_a_message_a_dead_worker_may_have_sent_is_not_sent_again(alice_client, scan, invitees):
    """The worker claimed p0 (link stored, recipient recorded), sent the message, and died before marking
    it: the resumed round counts p0 as unconfirmed and writes only to the other two."""
    mailing = mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=None, base_url="https://x")
    Mailing.objects.filter(pk=mailing.pk).update(status="sending")
    MailingRecipient.objects.create(mailing=mailing, invitation=invitees[0])
    run_tasks()
    mailing.refresh_from_db()
    assert (mailing.status, mailing.sent, mailing.unconfirmed) == ("done", 2, 1)
    assert recipients() == ["p1@x.nl", "p2@x.nl"]
    assert Invitation.objects.get(pk=invitees[0].pk).sent_at is not None  # a reminder will reach p0
    assert "1 niet bevestigd" in alice_client.get(f"/scans/{scan.code}/").content.decode()


def test_a_superseded_run_stops_before_its_next_message(scan, invitees):
    """Two runs of one round (a worker taken for dead that was not): the older one stops at its next claim."""
    mailing = mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=None, base_url="https://x")
    from roer.lifecycle import mailing as module

    older = module._start(mailing.pk)
    newer = module._start(mailing.pk)
    assert older is not None
    assert newer is not None
    with pytest.raises(module._SupersededError):
        module._claim_next(older)
    assert module._claim_next(newer) is not None


@pytest.mark.django_db(transaction=True)
def test_no_message_is_sent_while_a_database_transaction_is_open(scan, invitees, settings):
    """Sending inside a transaction would hold SQLite's write lock for a whole SMTP conversation."""
    settings.EMAIL_BACKEND = "tests.mailbox.RecordingMailbox"
    mailbox.SENT_INSIDE_A_TRANSACTION.clear()
    mailing = mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=None, base_url="https://x")
    send_mailing.call(mailing.pk)
    assert mailbox.SENT_INSIDE_A_TRANSACTION == [False, False, False]


def test_a_planned_reminder_goes_out_on_its_day_at_the_hour(alice_client, scan, invitees):
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    run_tasks()
    mail.outbox.clear()
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = alice_client.post(
        f"/scans/{scan.code}/mailings/plan/", {"kind": "reminders", "send_on": day.isoformat()}, follow=True
    )
    assert "Gepland." in response.content.decode()
    planned = Mailing.objects.get(status="planned")
    zone = timezone.get_current_timezone()
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(8, 59), tzinfo=zone)):
        assert mailings_follow_clock() == 0
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 0, 30), tzinfo=zone)):
        assert mailings_follow_clock() == 1
        assert mailings_follow_clock() == 0
        run_tasks()
    planned.refresh_from_db()
    assert (planned.status, planned.sent) == ("done", 3)
    assert recipients() == ["p0@x.nl", "p1@x.nl", "p2@x.nl"]


def test_a_planned_round_can_be_cancelled_and_a_day_outside_the_scan_is_refused(alice_client, scan):
    too_late = (scan.closes_on + datetime.timedelta(days=1)).isoformat()
    page = alice_client.post(
        f"/scans/{scan.code}/mailings/plan/", {"kind": "reminders", "send_on": too_late}, follow=True
    ).content.decode()
    assert "Kies een dag waarop de scan open is" in page
    bad = alice_client.post(f"/scans/{scan.code}/mailings/plan/", {"kind": "reminders", "send_on": "volgende week"})
    assert bad.status_code == 302
    assert not Mailing.objects.exists()
    planned = mailing_plan(
        scan=scan, kind=MailingKind.REMINDERS, send_on=scan.closes_on, requested_by=None, base_url=""
    )
    alice_client.post(f"/scans/{scan.code}/mailings/{planned.pk}/cancel/")
    assert not Mailing.objects.exists()


def test_a_planned_round_of_a_scan_that_closed_is_stopped(scan, invitees):
    planned = mailing_plan(
        scan=scan, kind=MailingKind.REMINDERS, send_on=scan.closes_on, requested_by=None, base_url=""
    )
    scan_close(scan=scan)
    with time_machine.travel(
        datetime.datetime.combine(scan.closes_on, datetime.time(10), tzinfo=timezone.get_current_timezone())
    ):
        mailings_follow_clock()
    planned.refresh_from_db()
    assert planned.status == "stopped"


def test_the_scan_page_shows_the_round_under_way_and_what_is_waiting(alice_client, scan, invitees):
    response = alice_client.get(f"/scans/{scan.code}/")
    assert (response.context["not_sent"], response.context["waiting"]) == (3, 0)
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    page = alice_client.get(f"/scans/{scan.code}/").content.decode()
    assert "3 berichten wachten op verzending" in page
    buttons = re.findall(r'<button type="submit" class="button[^"]*"( disabled)?>([^<]+)</button>', page)
    assert (" disabled", "3 uitnodigingen versturen") in buttons  # no second round while one is queued


def test_a_server_error_is_a_mail_server_error_for_the_queue(scan, invitees, settings):
    settings.EMAIL_BACKEND = "tests.mailbox.RefusingMailbox"
    mailbox.RefusingMailbox.accept = 0
    mailing = mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=None, base_url="https://x")
    with pytest.raises(MailServerError):
        send_mailing.call(mailing.pk)
