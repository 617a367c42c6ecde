"""Writes for scans: creating one, changing it, adding and removing invitees.

Everything but `scan_create` assumes its caller holds the scan's row and has checked its state: call
them through `roer.lifecycle` (`editing`, `invitees`), which does both in the same transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roer.accounts.models import User
from roer.instruments.models import InstrumentVersion
from roer.lib.errors import DomainError
from roer.organisations.models import Organisation
from roer.scans.invitees import Invitee, LineProblem
from roer.scans.models import Invitation, MailingRecipient, RespondentGroup, Scan, ScanState, instrument_groups


class InvitationSentError(DomainError):
    default_message = gettext_lazy("An invitation that has been sent cannot be removed.")


@transaction.atomic
def scan_create(
    *,
    organisation: Organisation,
    created_by: User | None,
    instrument_version: InstrumentVersion,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    thresholds: Mapping[str, int],
    retention_days: int | None = None,
) -> Scan:
    """A new scan with the instrument's groups chosen in `thresholds` (group code: anonymity threshold),
    in the instrument's order. It starts planned; `roer.lifecycle.scan_life` opens it on its opening day."""
    if not thresholds:
        raise ValueError("a scan needs at least one respondent group")
    unknown = set(thresholds) - {group.code for group in instrument_version.parsed.respondent_groups()}
    if unknown:
        raise ValidationError(
            _("The instrument %(instrument)s has no group %(groups)s.")
            % {"instrument": instrument_version, "groups": ", ".join(sorted(unknown))}
        )
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
    groups = instrument_groups(scan, codes=thresholds.keys(), thresholds=thresholds)
    for group in groups:
        group.full_clean(exclude=["scan"])
    RespondentGroup.objects.bulk_create(groups)
    return scan


def anonymity_problems(
    scan: Scan,
    groups: list[RespondentGroup],
    *,
    opens_on: datetime.date,
    closes_on: datetime.date,
    thresholds: Mapping[str, int],
) -> dict[str, str]:
    """Changes that would let a reader combine two views of the same answers, keyed by the edit form's
    field names.

    Results are shown once a scan closes. Reopening it, or changing a threshold afterwards, shows a
    second set of figures beside the first, and the difference between them can single out a person
    that each set on its own protects. Lowering a threshold after people answered breaks the promise
    they answered under."""
    problems: dict[str, str] = {}
    closed = scan.is_closed
    frozen = _("A closed scan keeps its dates and thresholds, so that results already read cannot change.")
    if closed:
        if opens_on != scan.opens_on:
            problems["opens_on"] = frozen
        if closes_on != scan.closes_on:
            problems["closes_on"] = frozen
    else:
        if opens_on != scan.opens_on and scan.state_on(timezone.localdate()) is ScanState.OPEN:
            problems["opens_on"] = _(
                "The scan has opened and people may have answered: its opening date stays as it was."
            )
        if closes_on != scan.closes_on and closes_on < timezone.localdate():
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


def scan_update(
    *,
    scan: Scan,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    thresholds: Mapping[str, int],
    retention_days: int | None = None,
) -> Scan:
    """Change title, dates and thresholds of the locked scan; the instrument and the set of groups stay.

    Raises ValidationError, keyed by the edit form's field names, for a change that would break
    anonymity: see `anonymity_problems`."""
    groups = list(scan.groups.all())
    problems = anonymity_problems(scan, groups, opens_on=opens_on, closes_on=closes_on, thresholds=thresholds)
    if problems:
        raise ValidationError(problems)
    scan.title = title
    scan.opens_on = opens_on
    scan.closes_on = closes_on
    if retention_days is not None:
        scan.retention_days = retention_days
    scan.full_clean()
    scan.revision = F("revision") + 1  # questionnaire pages show the title and dates
    scan.save(update_fields=["title", "opens_on", "closes_on", "retention_days", "revision"])
    scan.refresh_from_db(fields=["revision"])
    for group in groups:
        if group.kind in thresholds and thresholds[group.kind] != group.threshold:
            group.threshold = thresholds[group.kind]
            group.full_clean(exclude=["scan"])
            group.save(update_fields=["threshold"])
    return scan


@dataclass
class InviteesAdded:
    added: int = 0
    already_invited: int = 0
    problems: list[LineProblem] = field(default_factory=list)


def invitees_add(
    *, scan: Scan, invitees: Iterable[Invitee], default_group: RespondentGroup, default_language: str
) -> InviteesAdded:
    """Add new invitees to the locked scan; an address already invited in the same group is skipped, in
    another group refused."""
    groups = {group.kind: group for group in scan.groups.all()}
    existing = dict(scan.invitations.values_list("email", "group__kind"))
    names = {group.kind: group.label for group in groups.values()}
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
                "group": names.get(earlier_kind, earlier_kind)
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


def invitation_remove(*, invitation: Invitation) -> None:
    """Only an invitation that was never sent, nor is being sent, can be removed (to correct a typing
    error)."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.sent_at is not None or MailingRecipient.objects.filter(invitation=locked).exists():
        raise InvitationSentError
    locked.delete()
