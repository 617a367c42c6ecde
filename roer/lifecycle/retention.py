"""Retention: when a scan's retention period has passed, the personal data of its invitees goes.

What is deleted: each invitee's e-mail address, every link token, and answers that were saved but never
submitted (drafts are tied to a person). What stays: the invitations as anonymous counts (so response
rates stay right), the anonymous responses, and every figure computed from them, so published results
can still be recomputed.

A cancelled scan (nobody answered) keeps its invitees' addresses and links for the same period, counted
from the day it was cancelled, so that its links say "cancelled" and the scan can still be copied with its
invitees for a new date; then they go as for a closed scan, and the scan itself stays as an empty record
until a manager deletes it.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.utils import timezone
from django_tasks import task

from roer.lifecycle.scan_life import CLOSED, guarded
from roer.responses.models import ResponseDraft
from roer.scans.models import AccessToken, Invitation, Scan, ScanState

logger = logging.getLogger("roer.retention")


@dataclass(frozen=True)
class Removed:
    scan: Scan
    email_addresses: int
    tokens: int
    drafts: int


def scan_personal_data_remove(*, scan: Scan) -> Removed:
    with guarded(scan, *CLOSED, ScanState.CANCELLED) as locked:
        return _remove(locked)


def _remove(scan: Scan) -> Removed:
    invitations = Invitation.objects.filter(scan=scan)
    tokens, _kinds = AccessToken.objects.filter(invitation__scan=scan).delete()
    drafts, _kinds = ResponseDraft.objects.filter(invitation__scan=scan).delete()
    addresses = invitations.exclude(email__isnull=True).update(email=None)
    scan.personal_data_removed_at = timezone.now()
    scan.save(update_fields=["personal_data_removed_at"])
    removed = Removed(scan, addresses, tokens, drafts)
    logger.info(
        "removed personal data of scan %s: %d e-mail addresses, %d link tokens, %d unsent drafts",
        scan.code,
        addresses,
        tokens,
        drafts,
    )
    return removed


def scans_due(today: datetime.date | None = None) -> list[Scan]:
    """Closed and cancelled scans whose retention period has ended and whose personal data is still there."""
    today = today or timezone.localdate()
    ended = Scan.objects.closed() | Scan.objects.filter(state=ScanState.CANCELLED)
    candidates = ended.filter(personal_data_removed_at__isnull=True)
    return [scan for scan in candidates if scan.personal_data_due_on is not None and scan.personal_data_due_on <= today]


def personal_data_purge(*, dry_run: bool = False) -> list[Removed]:
    """Remove what is due; running it again removes nothing more (safe for cron)."""
    due = scans_due()
    if dry_run:
        return [Removed(scan, scan.invitations.exclude(email__isnull=True).count(), 0, 0) for scan in due]
    return [scan_personal_data_remove(scan=scan) for scan in due]


@task()
def purge_personal_data() -> int:
    """The scheduled job (daily): returns the number of scans whose personal data went."""
    return len(personal_data_purge())
