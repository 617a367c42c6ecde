"""A scan copied for the next round: the same groups and thresholds on the newest version of its
instrument, and (if asked) the same invitees, as a new planned scan. Answers, figures, mailings and the
scan's own mail texts stay behind: they belong to the round they were made for."""

from __future__ import annotations

import datetime

from django.db import transaction

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.instruments.models import InstrumentVersion
from roer.instruments.selectors import usable_versions
from roer.lifecycle.scan_life import NOT_CLOSED, guarded
from roer.scans import services
from roer.scans.invitees import Invitee
from roer.scans.models import Scan, default_threshold


def newest_version(scan: Scan) -> InstrumentVersion:
    """The instrument's latest version published for the organisation (the scan's own when there is no
    newer one: a draft, or a version published for other organisations only, is not taken)."""
    newest = (
        usable_versions(scan.organisation_id)
        .filter(instrument_id=scan.instrument_version.instrument_id)
        .order_by("-number")
        .first()
    )
    return newest if newest is not None and newest.number > scan.instrument_version.number else scan.instrument_version


def scan_copy(
    *,
    scan: Scan,
    user: User,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    with_invitees: bool,
) -> Scan:
    """The new scan; its invitees are added unsent, through the same rules as an upload. Addresses that
    the retention period already removed from the source are gone for good, and are not copied."""
    groups = sorted(scan.groups.all(), key=lambda group: group.sort_key)
    version = newest_version(scan)
    # The newest version may name other groups: those it still has keep their thresholds (a version that
    # shares none gets its own groups with their usual thresholds).
    offered = version.parsed.respondent_groups()
    thresholds = {group.kind: group.threshold for group in groups if version.parsed.group(group.kind)}
    with transaction.atomic():
        copy = services.scan_create(
            organisation=scan.organisation,
            created_by=user,
            instrument_version=version,
            title=title,
            opens_on=opens_on,
            closes_on=closes_on,
            thresholds=thresholds or {group.code: default_threshold(group) for group in offered},
            retention_days=scan.retention_days,
        )
        copied = 0
        if with_invitees:
            source = scan.invitations.exclude(email__isnull=True).select_related("group").order_by("pk")
            invitees = [
                Invitee(line, invitation.email, invitation.group.kind, invitation.language)
                for line, invitation in enumerate(source, start=1)
                if invitation.email and invitation.group.kind in thresholds  # not a group the copy lacks
            ]
            with guarded(copy, *NOT_CLOSED) as locked:
                default_group = locked.groups.order_by("pk").first()
                if invitees and default_group is not None:
                    copied = services.invitees_add(
                        scan=locked, invitees=invitees, default_group=default_group, default_language="nl"
                    ).added
        audit_record(
            user=user,
            organisation=scan.organisation,
            action=AuditAction.SCAN_COPIED,
            subject=f"{scan.title} -> {copy.title} ({copied} invitees)",
        )
    return copy
