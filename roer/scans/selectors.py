from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.http import Http404

from roer.organisations.access import check_access
from roer.organisations.models import MANAGING_ROLES
from roer.scans.invitees import GroupWords
from roer.scans.models import Invitation, Mailing, Scan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from roer.accounts.models import User


@dataclass(frozen=True)
class ScanAccess:
    scan: Scan
    role: str

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGING_ROLES


def get_scan_for_user(user: User | AnonymousUser, code: uuid.UUID, *, manage: bool = False) -> ScanAccess:
    scan = (
        Scan.objects.select_related("organisation", "instrument_version__instrument")
        .prefetch_related("groups")
        .filter(code=code)
        .first()
    )
    if scan is None:
        raise Http404
    role = check_access(user, scan.organisation, manage=manage)
    return ScanAccess(scan, role)


def get_invitation_in_scan(scan: Scan, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.filter(scan=scan, pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_counts(scan: Scan) -> dict[str, int]:
    """How many invitations still have to go out, and how many invitees have not answered yet."""
    return scan.invitations.aggregate(
        not_sent=Count("pk", filter=Q(sent_at__isnull=True, submitted=False)),
        waiting=Count("pk", filter=Q(sent_at__isnull=False, submitted=False)),
    )


def mailings_of(scan: Scan) -> list[Mailing]:
    """The scan's rounds of e-mail, newest first: planned ones, the one under way, and finished ones."""
    return list(scan.mailings.order_by("-requested_at")[:20])


def get_mailing_in_scan(scan: Scan, mailing_id: int) -> Mailing:
    mailing = Mailing.objects.filter(scan=scan, pk=mailing_id).first()
    if mailing is None:
        raise Http404
    return mailing


def group_words(scan: Scan) -> GroupWords:
    """What an invitee list for this scan may write in its group column: any group of its instrument is
    recognised, and one the scan does not have is refused by name."""
    return GroupWords.of(
        scan.instrument_version.parsed.respondent_groups(), (group.kind for group in scan.groups.all())
    )
