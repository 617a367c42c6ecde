"""The directors' choice of focus after a scan: two or three dimensions, recorded under the scan's
lock, because only a scan whose figures are published can be discussed and chosen from.

A new choice replaces the previous one (the session may be held again); the actions already planned
stay in the plan, since they belong to the organisation, not to the choice.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lib.errors import DomainError
from roer.lifecycle.scan_life import guarded
from roer.plans.models import FOCUS_MAX, FOCUS_MIN, FocusDimension
from roer.scans.models import Scan, ScanState


class FocusError(DomainError):
    """A choice of focus that cannot be recorded; the message says why."""


def focus_problem(scan: Scan, codes: Sequence[str]) -> str | None:
    """What is wrong with this choice, in the active language; None when it can be recorded."""
    known = {dimension.code for _pillar, dimension in scan.instrument_version.parsed.dimensions()}
    if len(set(codes)) != len(codes):
        return _("Choose each dimension once.")
    if any(code not in known for code in codes):
        return _("Choose dimensions of this scan's instrument.")
    if not FOCUS_MIN <= len(codes) <= FOCUS_MAX:
        return ngettext(
            "Choose %(low)s to %(high)s focus dimensions; %(count)s was chosen.",
            "Choose %(low)s to %(high)s focus dimensions; %(count)s were chosen.",
            len(codes),
        ) % {"low": FOCUS_MIN, "high": FOCUS_MAX, "count": len(codes)}
    return None


def focus_choose(*, scan: Scan, codes: Sequence[str], user: User) -> list[FocusDimension]:
    """Record the session's focus dimensions for a scan with published figures, in the order given."""
    problem = focus_problem(scan, codes)
    if problem:
        raise FocusError(problem)
    try:
        return _recorded(scan, codes, user)
    except Scan.DoesNotExist as gone:  # deleted between the page and the choice
        raise FocusError(_("This scan no longer exists.")) from gone


def _recorded(scan: Scan, codes: Sequence[str], user: User) -> list[FocusDimension]:
    with guarded(scan, ScanState.FIGURES_READY) as locked:
        FocusDimension.objects.filter(scan=locked).delete()
        chosen = FocusDimension.objects.bulk_create(
            FocusDimension(scan=locked, dimension_code=code, position=position, chosen_by=user)
            for position, code in enumerate(codes)
        )
        audit_record(
            user=user, organisation=locked.organisation, action=AuditAction.FOCUS_CHOSEN, subject=", ".join(codes)
        )
    return chosen


def focus_of(scan: Scan) -> list[str]:
    """The dimension codes chosen for a scan, in the order chosen (empty: no choice yet)."""
    return list(FocusDimension.objects.filter(scan=scan).order_by("position").values_list("dimension_code", flat=True))
