"""Writes for scans: creating and changing a scan, adding invitees, sending invitations and reminders."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from roer.accounts.models import User
from roer.instruments.models import InstrumentVersion
from roer.lib.emails import BATCH_SIZE, TemplatedEmail, send_templated
from roer.lib.tokens import new_token
from roer.organisations.models import Organisation
from roer.scans.invitees import Invitee, LineProblem
from roer.scans.models import AccessToken, GroupKind, Invitation, RespondentGroup, Scan


class ScanClosedError(Exception):
    """The scan no longer accepts this change because it is closed."""


@transaction.atomic
def scan_create(
    *,
    organisation: Organisation,
    created_by: User | None,
    instrument_version: InstrumentVersion,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    thresholds: Mapping[GroupKind, int],
    retention_days: int | None = None,
) -> Scan:
    """A new scan with one respondent group per chosen kind, each with its anonymity threshold."""
    if not thresholds:
        raise ValueError("a scan needs at least one respondent group")
    scan = Scan(
        organisation=organisation,
        created_by=created_by,
        instrument_version=instrument_version,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    if retention_days is not None:
        scan.retention_days = retention_days
    scan.full_clean()
    scan.save()
    groups = [
        RespondentGroup(scan=scan, kind=kind.value, threshold=threshold) for kind, threshold in thresholds.items()
    ]
    for group in groups:
        group.full_clean(exclude=["scan"])
    RespondentGroup.objects.bulk_create(groups)
    return scan


@transaction.atomic
def scan_update(
    *,
    scan: Scan,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    thresholds: Mapping[str, int],
    retention_days: int | None = None,
) -> Scan:
    """Change title, dates and thresholds; the instrument and the set of groups stay as they were.

    Raises ValidationError, keyed by the edit form's field names, for a change that would break
    anonymity: see `_anonymity_problems`."""
    scan = Scan.objects.select_for_update().get(pk=scan.pk)
    groups = list(scan.groups.all())
    problems = _anonymity_problems(scan, groups, opens_on=opens_on, closes_on=closes_on, thresholds=thresholds)
    if problems:
        raise ValidationError(problems)
    scan.title = title
    scan.opens_on = opens_on
    scan.closes_on = closes_on
    if retention_days is not None:
        scan.retention_days = retention_days
    scan.full_clean()
    scan.save(update_fields=["title", "opens_on", "closes_on", "retention_days"])
    for group in groups:
        if group.kind in thresholds and thresholds[group.kind] != group.threshold:
            group.threshold = thresholds[group.kind]
            group.full_clean(exclude=["scan"])
            group.save(update_fields=["threshold"])
    return scan


def _anonymity_problems(
    scan: Scan,
    groups: list[RespondentGroup],
    *,
    opens_on: datetime.date,
    closes_on: datetime.date,
    thresholds: Mapping[str, int],
) -> dict[str, str]:
    """Changes that would let a reader combine two views of the same answers.

    Results are shown once a scan closes. Reopening it, or changing a threshold afterwards, shows a
    second set of figures beside the first, and the difference between them can single out a person
    that each set on its own protects. Lowering a threshold after people answered breaks the promise
    they answered under."""
    problems: dict[str, str] = {}
    closed = scan.is_closed
    if closed:
        frozen = _("A closed scan keeps its dates and thresholds, so that results already read cannot change.")
        if opens_on != scan.opens_on:
            problems["opens_on"] = frozen
        if closes_on != scan.closes_on:
            problems["closes_on"] = frozen
    elif closes_on != scan.closes_on and closes_on < timezone.localdate():
        problems["closes_on"] = _(
            "The closing date cannot lie in the past. To stop answering now, close the scan on its page."
        )
    answered = scan.invitations.filter(submitted=True).exists()
    for group in groups:
        wanted = thresholds.get(group.kind, group.threshold)
        if wanted == group.threshold:
            continue
        if closed:
            problems[f"threshold_{group.kind}"] = frozen
        elif answered and wanted < group.threshold:
            problems[f"threshold_{group.kind}"] = _(
                "People have already answered under a threshold of %(threshold)s: it can be raised, not lowered."
            ) % {"threshold": group.threshold}
    return problems


@transaction.atomic
def scan_foreword_set(*, scan: Scan, foreword: str) -> Scan:
    scan = Scan.objects.select_for_update().get(pk=scan.pk)
    scan.report_foreword = foreword.strip()
    scan.full_clean()
    scan.save(update_fields=["report_foreword"])
    return scan


def scan_close(*, scan: Scan) -> Scan:
    """Close the scan, then compute its figures and refresh the benchmarks it takes part in, so that no
    reader waits for them. A closed scan receives no more answers, so the figures never go stale."""
    from roer.results.benchmarks import refresh_benchmarks
    from roer.results.figures import figures_for

    with transaction.atomic():
        scan = Scan.objects.select_for_update().get(pk=scan.pk)
        if scan.closed_at is not None:
            return scan
        scan.closed_at = timezone.now()
        scan.save(update_fields=["closed_at"])
    figures_for(scan)
    if scan.organisation.benchmark_opt_in:
        refresh_benchmarks(scan.instrument_version)
    return scan


@dataclass
class InviteesAdded:
    added: int = 0
    already_invited: int = 0
    problems: list[LineProblem] = field(default_factory=list)


@transaction.atomic
def invitees_add(
    *, scan: Scan, invitees: Iterable[Invitee], default_group: RespondentGroup, default_language: str
) -> InviteesAdded:
    """Add new invitees; an address already invited in the same group is skipped, in another group refused."""
    scan = Scan.objects.select_for_update().get(pk=scan.pk)
    if scan.is_closed:
        raise ScanClosedError
    groups = {group.kind: group for group in scan.groups.all()}
    existing = dict(scan.invitations.values_list("email", "group__kind"))
    result = InviteesAdded()
    new: list[Invitation] = []
    for invitee in invitees:
        group = groups[invitee.group] if invitee.group else default_group
        earlier_kind = existing.get(invitee.email)
        if earlier_kind == group.kind:
            result.already_invited += 1
            continue
        if earlier_kind is not None:
            reason = _("already invited in the group %(group)s; a person answers in one group") % {
                "group": GroupKind(earlier_kind).label
            }
            result.problems.append(LineProblem(invitee.line, invitee.email, reason))
            continue
        existing[invitee.email] = group.kind
        new.append(
            Invitation(scan=scan, group=group, email=invitee.email, language=invitee.language or default_language)
        )
    Invitation.objects.bulk_create(new, batch_size=500)
    result.added = len(new)
    return result


@transaction.atomic
def invitation_remove(*, invitation: Invitation) -> None:
    """Only an invitation that was never sent can be removed (to correct a typing error)."""
    if invitation.sent_at is not None:
        raise ValueError("a sent invitation cannot be removed")
    invitation.delete()


def answer_url(token: str, base_url: str | None = None) -> str:
    return (base_url or settings.ROER_BASE_URL) + reverse("responses:start", args=[token])


class SendingFailedError(Exception):
    """The mail server refused a batch; earlier batches were sent and are marked as sent."""

    def __init__(self, sent: int) -> None:
        self.sent = sent
        super().__init__(f"sending stopped after {sent} messages")


def _email_with_new_link(
    invitation: Invitation, *, template: str, scan: Scan, base_url: str | None
) -> tuple[AccessToken, TemplatedEmail]:
    token, token_hash = new_token()
    return AccessToken(invitation=invitation, token_hash=token_hash), TemplatedEmail(
        template=template,
        to=str(invitation.email),
        language=invitation.language,
        context={
            "scan": scan,
            "organisation": scan.organisation,
            "group": invitation.group,
            "link": answer_url(token, base_url),
            "closes_on": scan.closes_on,
        },
    )


def _send_in_batches(scan: Scan, *, reminder: bool, base_url: str | None) -> int:
    """Each batch creates its links, sends and is marked sent in one transaction, so a mail server that
    fails halfway leaves earlier batches sent and the failed batch ready to be tried again."""
    if not scan.is_open:
        raise ScanClosedError
    template = "scans/emails/reminder" if reminder else "scans/emails/invitation"
    sent = 0
    done: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(
                Invitation.objects.select_for_update()
                .filter(scan=scan, sent_at__isnull=not reminder, submitted=False, email__isnull=False)
                .exclude(pk__in=done)
                .select_related("group")
                .order_by("pk")[:BATCH_SIZE]
            )
            if not batch:
                return sent
            links = [_email_with_new_link(item, template=template, scan=scan, base_url=base_url) for item in batch]
            AccessToken.objects.bulk_create([token for token, _email in links])
            emails = [email for _token, email in links]
            try:
                count = send_templated(emails)
            except OSError as error:
                raise SendingFailedError(sent) from error
            now = timezone.now()
            for invitation in batch:
                if reminder:
                    invitation.reminded_at = now
                    invitation.reminder_count += 1
                else:
                    invitation.sent_at = now
            fields = ["reminded_at", "reminder_count"] if reminder else ["sent_at"]
            Invitation.objects.bulk_update(batch, fields)
        sent += count
        done.update(invitation.pk for invitation in batch)


def invitations_send(*, scan: Scan, base_url: str | None = None) -> int:
    """Send a first invitation to everyone who has none yet; returns how many were sent."""
    return _send_in_batches(scan, reminder=False, base_url=base_url)


def reminders_send(*, scan: Scan, base_url: str | None = None) -> int:
    """Remind everyone who was invited and has not answered yet; each reminder carries a fresh link that
    works beside the earlier ones."""
    return _send_in_batches(scan, reminder=True, base_url=base_url)
