from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from roer.organisations.access import check_access
from roer.organisations.models import Role
from roer.responses.models import Response
from roer.scans.models import Invitation, Scan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from roer.accounts.models import User


@dataclass(frozen=True)
class ScanAccess:
    scan: Scan
    role: str

    @property
    def can_manage(self) -> bool:
        return self.role == Role.BEHEERDER


def get_scan_for_user(user: User | AnonymousUser, code: uuid.UUID, *, manage: bool = False) -> ScanAccess:
    scan = Scan.objects.select_related("organisation", "instrument_version__instrument").filter(code=code).first()
    if scan is None:
        raise Http404
    role = check_access(user, scan.organisation, manage=manage)
    return ScanAccess(scan, role)


def get_invitation_in_scan(scan: Scan, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.filter(scan=scan, pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def _count_per_scan(queryset: QuerySet) -> Coalesce:
    counts = queryset.filter(scan=OuterRef("pk")).order_by().values("scan").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def scans_with_counts(scans: QuerySet[Scan]) -> QuerySet[Scan]:
    """Scans annotated with how many were invited and how many answered, in one query."""
    return scans.annotate(
        invited=_count_per_scan(Invitation.objects.all()),
        responded=_count_per_scan(Response.objects.all()),
    ).select_related("instrument_version__instrument")


def invitation_counts(scan: Scan) -> dict[str, int]:
    """How many invitations still have to go out, and how many invitees have not answered yet."""
    return scan.invitations.aggregate(
        not_sent=Count("pk", filter=Q(sent_at__isnull=True, submitted=False)),
        waiting=Count("pk", filter=Q(sent_at__isnull=False, submitted=False)),
    )
