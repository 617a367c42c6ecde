"""Writes to an organisation's action plan, and who may make them.

A scan manager plans: adds, changes and removes actions. An action's owner (any member) keeps it up to
date: its status and progress notes. Every write is audited by the action's title, never its text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lib.errors import DomainError
from roer.organisations.access import is_platform_admin
from roer.organisations.models import MANAGING_ROLES, Membership, Organisation
from roer.plans.models import Action, ActionStatus, ProgressNote
from roer.scans.models import Scan

# A due date further away than this is a typing error, not a plan.
LONGEST_HORIZON = datetime.timedelta(days=5 * 366)


class PlanError(DomainError):
    default_message = gettext_lazy("This change to the plan cannot be made.")


@dataclass(frozen=True)
class PlanRights:
    """What one user may do with an organisation's plan (computed once per page)."""

    user: User
    role: str | None

    @property
    def can_plan(self) -> bool:
        return self.role in MANAGING_ROLES

    def can_update(self, action: Action) -> bool:
        """Status and progress notes: the scan managers and the action's own owner."""
        return self.can_plan or (self.role is not None and action.owner_id == self.user.pk)


def owner_problem(organisation: Organisation, owner: User | None) -> str | None:
    if owner is None:
        return None
    if is_platform_admin(owner) or Membership.objects.filter(organisation=organisation, user=owner).exists():
        return None
    return _("The owner must be a member of %(organisation)s.") % {"organisation": organisation.name}


def due_problem(due_on: datetime.date, today: datetime.date) -> str | None:
    if not today - LONGEST_HORIZON <= due_on <= today + LONGEST_HORIZON:
        return _("Choose a due date within five years.")
    return None


def _locked(action: Action) -> Action:
    """The action's row, held until the transaction ends; refused when it was removed meanwhile."""
    locked = Action.objects.select_for_update().select_related("organisation").filter(pk=action.pk).first()
    if locked is None:
        raise PlanError(_("This action has been removed from the plan."))
    return locked


def _checked(organisation: Organisation, owner: User | None, due_on: datetime.date, today: datetime.date) -> None:
    problem = owner_problem(organisation, owner) or due_problem(due_on, today)
    if problem:
        raise PlanError(problem)


@transaction.atomic
def action_create(
    *,
    organisation: Organisation,
    user: User,
    dimension_code: str,
    instrument_code: str,
    investment: str,
    title: str,
    due_on: datetime.date,
    today: datetime.date,
    owner: User | None = None,
    description: str = "",
    budget_euros: int | None = None,
    baseline_scan: Scan | None = None,
) -> Action:
    _checked(organisation, owner, due_on, today)
    if baseline_scan is not None and baseline_scan.organisation_id != organisation.pk:
        raise PlanError(_("An action is planned after a scan of its own organisation."))
    action = Action.objects.create(
        organisation=organisation,
        baseline_scan=baseline_scan,
        instrument_code=instrument_code,
        dimension_code=dimension_code,
        investment=investment,
        title=title,
        description=description,
        owner=owner,
        due_on=due_on,
        budget_euros=budget_euros,
        created_by=user,
    )
    audit_record(user=user, organisation=organisation, action=AuditAction.ACTION_CREATED, subject=title)
    return action


PLANNED_FIELDS = ("title", "description", "dimension_code", "investment", "owner", "due_on", "budget_euros", "status")


@transaction.atomic
def action_change(*, action: Action, user: User, today: datetime.date, **changes: object) -> Action:
    """Change the planned fields (scan managers; the caller checks `PlanRights.can_plan`)."""
    unknown = set(changes) - set(PLANNED_FIELDS)
    if unknown:  # pragma: no cover - a programming error, not a user's
        raise TypeError(f"not a planned field: {sorted(unknown)}")
    action = _locked(action)
    for name, value in changes.items():
        setattr(action, name, value)
    _checked(action.organisation, action.owner, action.due_on, today)
    action.save()
    audit_record(user=user, organisation=action.organisation, action=AuditAction.ACTION_CHANGED, subject=action.title)
    return action


@transaction.atomic
def action_status_set(*, action: Action, user: User, status: str) -> Action:
    if status not in ActionStatus.values:
        raise PlanError(_("Choose one of the statuses shown."))
    action = _locked(action)
    if action.status != status:
        action.status = status
        action.save(update_fields=["status", "updated_at"])
        audit_record(
            user=user,
            organisation=action.organisation,
            action=AuditAction.ACTION_CHANGED,
            subject=f"{action.title}: {ActionStatus(status).label}",
        )
    return action


@transaction.atomic
def note_add(*, action: Action, user: User, text: str, written_on: datetime.date, today: datetime.date) -> ProgressNote:
    if written_on > today:
        raise PlanError(_("Progress is recorded for today or a day before, not for a day to come."))
    if written_on < today - LONGEST_HORIZON:
        raise PlanError(_("Choose a date within the last five years."))
    action = _locked(action)
    note = ProgressNote.objects.create(action=action, text=text, written_on=written_on, author=user)
    action.save(update_fields=["updated_at"])
    audit_record(
        user=user, organisation=action.organisation, action=AuditAction.ACTION_NOTE_ADDED, subject=action.title
    )
    return note


@transaction.atomic
def action_delete(*, action: Action, user: User) -> None:
    action = _locked(action)
    audit_record(user=user, organisation=action.organisation, action=AuditAction.ACTION_DELETED, subject=action.title)
    action.delete()
