"""Reminders to the owners of open actions: once per due date, one e-mail per owner, through the daily
scheduled job, on the fixed clock of tests/conftest.py (Monday 16 March 2026)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from roer.accounts.models import User
from roer.lifecycle import reminders
from roer.lifecycle.schedule import JOBS, remind_action_owners, tick
from roer.organisations.models import Membership
from roer.plans.models import Action, ActionStatus
from tests.factories import MembershipFactory, UserFactory
from tests.tasks import queued, run_tasks

pytestmark = pytest.mark.django_db


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def make_action(organisation, alice):  # type: ignore[no-untyped-def]
    def make(title: str = "Masterclass data", *, due_in: int = 7, owner=alice, **extra) -> Action:  # type: ignore[no-untyped-def]
        return Action.objects.create(
            organisation=organisation,
            instrument_code="digitaal-leiderschap",
            dimension_code="kennis",
            investment="kennis",
            title=title,
            owner=owner,
            due_on=in_days(due_in),
            created_by=alice,
            **extra,
        )

    return make


def remind() -> int:
    return reminders.owners_remind()


def test_an_action_due_in_seven_days_gets_one_reminder_with_a_link(make_action, organisation, settings):
    action = make_action(due_in=7)
    assert remind() == 1
    [message] = mail.outbox
    assert message.to == ["alice@alfa.example"]
    link = f"{settings.ROER_BASE_URL}/organisations/{organisation.code}/plan/{action.pk}/"
    assert link in message.body
    assert link in message.alternatives[0][0]
    assert "Masterclass data" in message.body
    action.refresh_from_db()
    assert action.reminded_for == action.due_on


def test_an_action_due_in_eight_days_waits(make_action):
    make_action(due_in=8)
    assert remind() == 0
    assert mail.outbox == []


def test_an_overdue_action_gets_one_reminder(make_action):
    make_action(due_in=-20)
    assert remind() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.STOPPED])
def test_a_finished_action_gets_none(make_action, status):
    make_action(due_in=2, status=status)
    make_action(due_in=-2, status=status)
    assert remind() == 0


def test_an_action_without_an_owner_gets_none(make_action):
    make_action(due_in=1, owner=None)
    assert remind() == 0


def test_two_actions_of_one_owner_make_one_email(make_action, bob):
    make_action("Masterclass data", due_in=3)
    make_action("Regiegroep", due_in=-1, status=ActionStatus.IN_PROGRESS)
    make_action("Leerkring", due_in=5, owner=bob)
    assert remind() == 2
    by_owner = {message.to[0]: message for message in mail.outbox}
    assert set(by_owner) == {"alice@alfa.example", "bob@alfa.example"}
    assert "Masterclass data" in by_owner["alice@alfa.example"].body
    assert "Regiegroep" in by_owner["alice@alfa.example"].body
    assert "Leerkring" not in by_owner["alice@alfa.example"].body


def test_running_twice_sends_once(make_action):
    make_action(due_in=3)
    assert remind() == 1
    assert remind() == 0
    assert len(mail.outbox) == 1


def test_a_new_due_date_gets_a_new_reminder(make_action):
    action = make_action(due_in=3)
    remind()
    Action.objects.filter(pk=action.pk).update(due_on=in_days(6))
    assert remind() == 1
    assert len(mail.outbox) == 2


def test_an_owner_who_left_the_organisation_gets_none(make_action, organisation):
    former = MembershipFactory(user=UserFactory(email="former@alfa.example"), organisation=organisation).user
    make_action(due_in=2, owner=former)
    Membership.objects.filter(user=former).delete()
    assert remind() == 0


def test_an_owner_of_another_organisation_only_gets_none_for_this_one(make_action, charlie):
    make_action(due_in=2, owner=charlie)  # not a member of this organisation (a stale owner)
    assert remind() == 0


def test_a_crash_between_sending_and_marking_sends_again_once_and_loses_nothing(make_action, monkeypatch):
    make_action(due_in=3)
    original = reminders._mark_reminded

    def crash(actions):  # type: ignore[no-untyped-def]
        raise RuntimeError("the worker died")

    monkeypatch.setattr(reminders, "_mark_reminded", crash)
    with pytest.raises(RuntimeError):
        remind()
    monkeypatch.setattr(reminders, "_mark_reminded", original)
    assert remind() == 1  # not lost
    assert remind() == 0  # and not sent for ever
    assert len(mail.outbox) == 2


def test_the_email_is_in_dutch_while_roer_records_no_language(make_action):
    make_action(due_in=3)
    remind()
    assert "Goedendag," in mail.outbox[0].body
    assert "19 maart 2026" in mail.outbox[0].body


def test_the_email_is_in_the_owners_language_where_roer_records_one(make_action, monkeypatch):
    monkeypatch.setattr(User, "language", "en", raising=False)
    make_action(due_in=3)
    remind()
    assert "Hello," in mail.outbox[0].body
    assert "due on 19 March 2026" in mail.outbox[0].body


def test_the_reminders_are_a_daily_job_of_the_schedule(make_action):
    job = next(job for job in JOBS if job.name == "remind_action_owners")
    assert job.daily_at == datetime.time(8, 0)
    make_action(due_in=3)
    assert "remind_action_owners" in tick()  # 09:30: today's 08:00 slot has come
    assert len(queued("remind_action_owners")) == 1
    assert "remind_action_owners" not in tick()  # once per slot
    run_tasks()
    assert len(mail.outbox) == 1
    assert remind_action_owners.call() == 0
