"""Invitations and reminders, sent in the background, to each person at most once per round.

A round (`Mailing`) is asked for by a scan manager, or planned for a day, and sent by `send_mailing` in
a worker. For each person in turn:

1. claim, in a short transaction holding the scan (shared): a fresh link is stored (its hash only) and
   the person is recorded as a recipient of the round;
2. send the message, outside any transaction, so no database lock waits on an SMTP conversation;
3. mark the recipient sent, in another short transaction.

A worker killed between 1 and 3 leaves one recipient claimed and unmarked. When the round resumes (its
task is queued again, see `roer.lifecycle.queue`) that person may have had the message, so they are
counted as unconfirmed and not sent it again; a later reminder reaches them. Everyone else gets exactly
one message. A mail server that refuses stops the round with its error; the task is tried again later
and carries on where it stopped. A round stops, too, when the scan closes.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lib.emails import TemplatedEmail
from roer.lib.errors import DomainError
from roer.lib.tokens import hash_token, new_token
from roer.lifecycle.queue import enqueue_once, gave_up
from roer.lifecycle.scan_life import ANSWERABLE, NOT_CLOSED, ScanStateError, guarded
from roer.organisations.access import role_in
from roer.organisations.look import email_look
from roer.organisations.models import MANAGING_ROLES
from roer.scans import mail_texts
from roer.scans.models import (
    ACTIVE_MAILING,
    AccessToken,
    Invitation,
    Mailing,
    MailingKind,
    MailingRecipient,
    MailingStatus,
    RespondentGroup,
    Scan,
    ScanState,
)

logger = logging.getLogger("roer.mailing")


class MailingBusyError(DomainError):
    default_message = _("E-mails for this scan are being sent already. Wait until that round has finished.")


class MailingDayError(DomainError):
    default_message = _("Choose a day on which the scan is open, from today up to its closing date.")


class MailServerError(Exception):
    """The mail server refused a message; the round resumes when its task is tried again."""


def answer_url(token: str, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("responses:start", args=[token])


def targets(scan: Scan | int, kind: str) -> QuerySet[Invitation]:
    """Who a round of this kind writes to: invitees without an answer (and, for a reminder, invited)."""
    scan_id = scan if isinstance(scan, int) else scan.pk
    pending = Invitation.objects.filter(scan_id=scan_id, submitted=False, email__isnull=False)
    if kind == MailingKind.INVITATIONS:
        return pending.filter(sent_at__isnull=True)
    return pending.filter(sent_at__isnull=False)


def _queue(mailing: Mailing) -> None:
    mailing.status = MailingStatus.QUEUED
    mailing.total = targets(mailing.scan_id, mailing.kind).count()
    mailing.task_id = send_mailing.enqueue(mailing.pk).id
    mailing.save(update_fields=["status", "total", "task_id"])


def mailing_request(*, scan: Scan, kind: str, requested_by: User | None, base_url: str) -> Mailing:
    """A round to be sent now, while the scan is open; one round per scan at a time."""
    with guarded(scan, *ANSWERABLE) as locked:
        if Mailing.objects.filter(scan=locked, status__in=ACTIVE_MAILING).exists():
            raise MailingBusyError
        mailing = Mailing.objects.create(
            scan=locked, kind=kind, requested_by=requested_by, base_url=base_url, status=MailingStatus.QUEUED
        )
        _queue(mailing)
        return mailing


def mailing_plan(*, scan: Scan, kind: str, send_on: datetime.date, requested_by: User | None, base_url: str) -> Mailing:
    """A round planned for a day on which the scan is open (sent at ROER_MAILING_HOUR that day)."""
    with guarded(scan, *NOT_CLOSED) as locked:
        if not max(timezone.localdate(), locked.opens_on) <= send_on <= locked.closes_on:
            raise MailingDayError
        planned, _created = Mailing.objects.get_or_create(
            scan=locked,
            kind=kind,
            send_on=send_on,
            status=MailingStatus.PLANNED,
            defaults={"requested_by": requested_by, "base_url": base_url},
        )
        return planned


def mailing_cancel(*, mailing: Mailing) -> None:
    """Cancel a planned round that has not started."""
    with guarded(mailing.scan_id, *NOT_CLOSED):
        Mailing.objects.filter(pk=mailing.pk, status=MailingStatus.PLANNED).delete()


def _is_due(mailing: Mailing, now: datetime.datetime) -> bool:
    assert mailing.send_on is not None  # noqa: S101 - the database constraint says so for planned rounds
    local = timezone.localtime(now)
    return mailing.send_on < local.date() or local.hour >= settings.ROER_MAILING_HOUR


def mailings_follow_clock(now: datetime.datetime | None = None) -> int:
    """Start planned rounds whose day and hour have come, and give up on rounds whose task has used all
    its attempts (part of the scheduled clock job); returns how many started."""
    now = now or timezone.now()
    started = 0
    for planned in Mailing.objects.filter(status=MailingStatus.PLANNED, send_on__lte=timezone.localdate(now)):
        if not _is_due(planned, now):
            continue
        try:
            with guarded(planned.scan_id, *ANSWERABLE) as locked:
                if Mailing.objects.filter(scan=locked, status__in=ACTIVE_MAILING).exists():
                    continue  # the next minute
                current = Mailing.objects.select_for_update().filter(pk=planned.pk, status=MailingStatus.PLANNED)
                mailing = current.first()
                if mailing is not None:
                    _queue(mailing)
                    started += 1
        except ScanStateError as refused:
            if refused.state is ScanState.PLANNED:
                continue  # its opening day was moved later: it waits
            Mailing.objects.filter(pk=planned.pk).update(status=MailingStatus.STOPPED, finished_at=now)
    active = Mailing.objects.filter(status__in=ACTIVE_MAILING)
    for failed in gave_up(active.values_list("task_id", flat=True)):
        _end(Mailing.objects.get(task_id=failed), MailingStatus.FAILED, None)
    return started


@dataclass(frozen=True)
class _Claim:
    invitation: Invitation
    token: str


class _SupersededError(Exception):
    """Another run of the same round has started; this one stops."""


def _start(mailing_id: int) -> Mailing | None:
    """Take the round over for this run. Recipients a stopped run claimed but never marked sent are
    counted as unconfirmed: they may have had the message, so they are not sent it again."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().select_related("scan__organisation").filter(pk=mailing_id)
        found = mailing.first()
        if found is None or found.status not in ACTIVE_MAILING:
            return None
        in_flight = MailingRecipient.objects.filter(mailing=found, sent=False)
        unconfirmed = list(in_flight.values_list("invitation_id", flat=True))
        if unconfirmed:
            in_flight.update(sent=True)
            if found.kind == MailingKind.INVITATIONS:
                Invitation.objects.filter(pk__in=unconfirmed, sent_at__isnull=True).update(sent_at=timezone.now())
            logger.warning("mailing %s: %d message(s) unconfirmed after a stopped run", found.pk, len(unconfirmed))
        found.unconfirmed += len(unconfirmed)
        found.status = MailingStatus.SENDING
        found.started_at = found.started_at or timezone.now()
        found.run_id = uuid.uuid4()
        found.total = found.sent + found.unconfirmed + _remaining(found).count()
        found.save(update_fields=["unconfirmed", "status", "started_at", "run_id", "total"])
        return found


def _remaining(mailing: Mailing) -> QuerySet[Invitation]:
    claimed = MailingRecipient.objects.filter(mailing=mailing).values("invitation_id")
    return targets(mailing.scan_id, mailing.kind).exclude(pk__in=claimed)


def _claim_next(mailing: Mailing) -> _Claim | None:
    with guarded(mailing.scan_id, *ANSWERABLE, shared=True):
        if not Mailing.objects.filter(pk=mailing.pk, run_id=mailing.run_id, status=MailingStatus.SENDING).exists():
            raise _SupersededError
        invitation = _remaining(mailing).select_related("group").order_by("pk").first()
        if invitation is None:
            return None
        token, token_hash = new_token()
        AccessToken.objects.create(invitation=invitation, token_hash=token_hash)
        MailingRecipient.objects.create(mailing=mailing, invitation=invitation)
        return _Claim(invitation, token)


def _release(mailing: Mailing, claim: _Claim | None, error: Exception) -> None:
    """The server refused, so the message was not sent: free the person for the next attempt."""
    with transaction.atomic():
        if claim is not None:
            MailingRecipient.objects.filter(mailing=mailing, invitation=claim.invitation).delete()
            AccessToken.objects.filter(token_hash=hash_token(claim.token)).delete()
        Mailing.objects.filter(pk=mailing.pk).update(error=str(error)[:300] or type(error).__name__)


def _mark_sent(mailing: Mailing, invitation_id: int) -> None:
    now = timezone.now()
    with transaction.atomic():
        MailingRecipient.objects.filter(mailing=mailing, invitation_id=invitation_id).update(sent=True)
        invitation = Invitation.objects.filter(pk=invitation_id)
        if mailing.kind == MailingKind.INVITATIONS:
            invitation.update(sent_at=now)
        else:
            invitation.update(reminded_at=now, reminder_count=F("reminder_count") + 1)
        Mailing.objects.filter(pk=mailing.pk).update(sent=F("sent") + 1, error="")


def _end(mailing: Mailing, status: MailingStatus, run_id: uuid.UUID | None) -> None:
    with transaction.atomic():
        current = Mailing.objects.select_for_update().filter(pk=mailing.pk, status__in=ACTIVE_MAILING)
        if run_id is not None:
            current = current.filter(run_id=run_id)
        if not current.update(status=status, finished_at=timezone.now()):
            return
        # Who was written to is no longer needed once the round is over.
        MailingRecipient.objects.filter(mailing=mailing).delete()


def _group_sentence(scan: Scan, group: RespondentGroup | None, language: str) -> str | None:
    """What the instrument tells this group it does, when it words that itself."""
    found = scan.instrument_version.parsed.group(group.kind) if group is not None else None
    return found.invitation.get(language) if found is not None and found.invitation is not None else None


def scan_email(
    *, scan: Scan, kind: str, to: str, language: str, link: str, group: RespondentGroup | None
) -> TemplatedEmail:
    """A scan's invitation or reminder: Roer's text in the invitee's language, or the scan's own texts
    (see roer.scans.mail_texts), from the scan's sender name at the installation's address."""
    template = "scans/emails/reminder" if kind == MailingKind.REMINDERS else "scans/emails/invitation"
    address = urlsplit(link)
    context = {
        "scan": scan,
        "organisation": scan.organisation,
        "look": email_look(scan.organisation, f"{address.scheme}://{address.netloc}"),
        "group": group,
        "group_sentence": _group_sentence(scan, group, language),
        "link": link,
        "closes_on": scan.closes_on,
        **mail_texts.custom_context(scan, kind, link=link, language=language),
    }
    return TemplatedEmail(
        template=template,
        to=to,
        language=language,
        context=context,
        from_email=mail_texts.sender_address(scan.mail_sender_name),
    )


def _message(mailing: Mailing, claim: _Claim) -> TemplatedEmail:
    return scan_email(
        scan=mailing.scan,
        kind=mailing.kind,
        to=str(claim.invitation.email),
        language=claim.invitation.language,
        link=answer_url(claim.token, mailing.base_url or settings.ROER_BASE_URL),
        group=claim.invitation.group,
    )


# The link in a test mail: it opens the page for a link that does not work, so a test answers nothing.
SAMPLE_TOKEN = "voorbeeld"  # noqa: S105 - not a secret


def sample_mail_request(*, scan: Scan, kind: str, user: User, language: str, base_url: str) -> None:
    """Queue the scan's e-mail of this kind, with a sample link, to the user themself, in the language
    they are using (only while the scan is planned or open: afterwards nothing is sent any more)."""
    with guarded(scan, *NOT_CLOSED) as locked:
        audit_record(
            user=user,
            organisation=locked.organisation,
            action=AuditAction.TEST_MAIL_SENT,
            subject=f"{locked.title}: {MailingKind(kind).label} -> {user.email}",
        )
        enqueue_once(send_sample_mail, locked.pk, kind, user.pk, language, base_url)


@task()
def send_sample_mail(scan_id: int, kind: str, user_id: int, language: str, base_url: str) -> bool:
    """Send a test mail to the user who asked for it, if they may still manage the scan."""
    scan = Scan.objects.select_related("organisation").filter(pk=scan_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if scan is None or user is None or not user.email or role_in(user, scan.organisation) not in MANAGING_ROLES:
        return False
    message = scan_email(
        scan=scan,
        kind=kind,
        to=user.email,
        language=language,
        link=answer_url(SAMPLE_TOKEN, base_url or settings.ROER_BASE_URL),
        group=None,
    )
    message.build().send()
    return True


@task()
def send_mailing(mailing_id: int) -> int:
    """Send a round, or carry on with it; returns how many messages this run sent."""
    mailing = _start(mailing_id)
    if mailing is None:
        return 0
    sent = 0
    connection = get_connection()
    claim: _Claim | None = None
    try:
        connection.open()
        while (claim := _claim_next(mailing)) is not None:
            try:
                message = _message(mailing, claim).build()
            except Exception as error:  # not sent, so not to be counted as perhaps sent: released, raised
                _release(mailing, claim, error)
                raise
            connection.send_messages([message])
            _mark_sent(mailing, claim.invitation.pk)
            sent += 1
    except OSError as error:  # smtplib's errors are OSErrors too
        _release(mailing, claim, error)
        logger.error("mailing %s stopped after %d messages: %s", mailing.pk, sent, error)
        raise MailServerError(str(error)) from error
    except ScanStateError:
        _end(mailing, MailingStatus.STOPPED, mailing.run_id)
        return sent
    except _SupersededError:
        return sent
    finally:
        connection.close()
    _end(mailing, MailingStatus.DONE, mailing.run_id)
    logger.info("mailing %s: %d messages sent", mailing.pk, sent)
    return sent
