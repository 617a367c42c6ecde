"""Reminders to the owners of open actions, sent by a daily scheduled job (`roer.lifecycle.schedule`).

An open action (planned or in progress) whose due date is at most ROER_ACTION_REMINDER_DAYS away, or has
passed, is due a reminder once per due date: `Action.reminded_for` holds the due date its owner was last
reminded of, so running the job again sends nothing new, and a changed due date gets a reminder of its
own. Each owner gets one e-mail listing all their due actions, in their language (Dutch while Roer records
none per user). An owner who is no longer a member of the action's organisation is not written to.

Send, then mark: each owner's message is sent outside any transaction (no lock waits on the mail server),
and only then are its actions marked reminded. A worker that dies between the two leaves them unmarked,
so the next run (the task tried again, or tomorrow's job) sends that one owner the message once more and
marks it: a reminder is never lost, and at worst one owner gets it twice, once. Marking first would
turn the same crash into a reminder that is never sent, which is worse for an action that is about to
slip. A mail server that refuses stops the run with its error; the owners reminded so far are marked,
and the task, tried again, carries on with the others.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from roer.accounts.models import User
from roer.lib.emails import TemplatedEmail
from roer.organisations.models import Membership
from roer.plans.models import OPEN_STATUSES, Action

logger = logging.getLogger("roer.reminders")


@dataclass(frozen=True)
class DueAction:
    action: Action
    overdue: bool
    link: str


def due_for_reminder(today: datetime.date) -> QuerySet[Action]:
    """Open actions due within ROER_ACTION_REMINDER_DAYS (or overdue) whose owner, still a member of the
    action's organisation (or a platform administrator), has not been reminded of this due date."""
    horizon = today + datetime.timedelta(days=settings.ROER_ACTION_REMINDER_DAYS)
    member = Membership.objects.filter(user=OuterRef("owner"), organisation=OuterRef("organisation"))
    return (
        Action.objects.filter(status__in=OPEN_STATUSES, due_on__lte=horizon, owner__is_active=True)
        .filter(Q(Exists(member)) | Q(owner__is_superuser=True))
        .exclude(reminded_for=F("due_on"))
        .select_related("owner", "organisation")
    )


def _language_of(owner: User) -> str:
    """The owner's language where Roer records one; Roer's default (Dutch) otherwise."""
    return str(getattr(owner, "language", "") or settings.LANGUAGE_CODE)


def _message(owner: User, actions: list[Action], today: datetime.date) -> TemplatedEmail:
    base = settings.ROER_BASE_URL.rstrip("/")
    due = [
        DueAction(
            action,
            action.is_overdue(today),
            base + reverse("plans:action", args=[action.organisation.code, action.pk]),
        )
        for action in actions
    ]
    return TemplatedEmail(
        template="lifecycle/emails/action_reminder",
        to=owner.email,
        language=_language_of(owner),
        context={"actions": due},
    )


def _mark_reminded(actions: list[Action]) -> None:
    """Mark each action reminded of the due date the message named; one moved since keeps its reminder.
    An update, not a save: a reminder changes nothing the plan shows (nor its `updated_at`)."""
    for action in actions:
        Action.objects.filter(pk=action.pk, due_on=action.due_on).update(reminded_for=action.due_on)


def owners_remind(today: datetime.date | None = None) -> int:
    """Send each owner with actions due a reminder one e-mail; returns how many e-mails were sent."""
    today = today or timezone.localdate()
    due = list(due_for_reminder(today).order_by("owner_id", "due_on", "pk"))
    sent = 0
    connection = get_connection()
    try:
        connection.open()
        for _owner_id, owned in groupby(due, key=lambda action: action.owner_id):
            actions = list(owned)
            owner = actions[0].owner
            assert owner is not None  # noqa: S101 - the query asks for an owner
            connection.send_messages([_message(owner, actions, today).build()])
            _mark_reminded(actions)
            sent += 1
    finally:
        connection.close()
    if sent:
        logger.info("action reminders: %d e-mails sent", sent)
    return sent
