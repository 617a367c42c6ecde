"""Retention: when a scan's retention period has passed, the personal data of its invitees goes.

What is deleted: each invitee's e-mail address, every link token, and answers that were saved but never
submitted (drafts are tied to a person). What stays: the invitations as anonymous counts (so response
rates stay right), the anonymous responses, and every figure computed from them, so published results
can still be recomputed.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from roer.responses.models import ResponseDraft
from roer.scans.models import AccessToken, Invitation, Scan

logger = logging.getLogger("roer.retention")


@dataclass(frozen=True)
class Removed:
    scan: Scan
    email_addresses: int
    tokens: int
    drafts: int


@transaction.atomic
def scan_personal_data_remove(*, scan: Scan) -> Removed:
    scan = Scan.objects.select_for_update().get(pk=scan.pk)
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
    """Closed scans whose retention period has ended and whose personal data is still there."""
    today = today or timezone.localdate()
    candidates = Scan.objects.filter(personal_data_removed_at__isnull=True).filter(
        Q(closed_at__isnull=False) | Q(closes_on__lt=today)
    )
    return [scan for scan in candidates if scan.personal_data_due_on is not None and scan.personal_data_due_on <= today]


def personal_data_purge(*, dry_run: bool = False) -> list[Removed]:
    """Remove what is due; running it again removes nothing more (safe for cron)."""
    due = scans_due()
    if dry_run:
        return [Removed(scan, scan.invitations.exclude(email__isnull=True).count(), 0, 0) for scan in due]
    return [scan_personal_data_remove(scan=scan) for scan in due]
