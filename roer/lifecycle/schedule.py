"""Scheduled work, enqueued once per slot however many workers run.

Every worker calls `tick` twice a minute. For each job it works out the slot that is due (this minute,
this hour, or today's run at a fixed local time) and tries to record it in `ScheduleSlot`; the unique
constraint lets exactly one worker on any machine succeed, and that worker enqueues the job in the same
transaction. A worker that starts after a slot was missed enqueues it at once, so nothing waits a day
because a machine was down at night. Every job is safe to run twice.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from roer.lifecycle import documents, letters, reminders
from roer.lifecycle.benchmarks import refresh_all_benchmarks
from roer.lifecycle.mailing import mailings_follow_clock
from roer.lifecycle.models import ScheduleSlot, WorkerHeartbeat
from roer.lifecycle.queue import silence
from roer.lifecycle.resident_life import surveys_follow_clock
from roer.lifecycle.retention import purge_personal_data
from roer.lifecycle.scan_life import scans_follow_clock, stale_figures_recompute
from roer.lifecycle.traces import traces_erase

logger = logging.getLogger("roer.schedule")


@task()
def follow_clock() -> int:
    """Every minute: open and close scans and residents' surveys by their dates (and look for bursts of
    residents' answers), start planned mailings, stop waiting for work whose task has failed for good,
    delete the files of residents' letters after a week, and store a few figures of an older format anew."""
    return (
        scans_follow_clock()
        + surveys_follow_clock()
        + letters.letter_files_remove()
        + mailings_follow_clock()
        + documents.files_follow_tasks()
        + stale_figures_recompute()
    )


@task()
def erase_traces() -> int:
    """Every minute: empty SQLite's write-ahead log, or restamp answered invitations on PostgreSQL."""
    return traces_erase()


@task()
def delete_expired_exports() -> int:
    return documents.expired_exports_delete()


@task()
def remind_action_owners() -> int:
    """Daily: e-mail each owner of an open action that is due soon or overdue, once per due date."""
    return reminders.owners_remind()


@task()
def prune_history() -> int:
    """Daily: forget finished tasks, slots and silent workers after ROER_TASK_HISTORY_DAYS. Failed tasks
    are kept as long, for a platform administrator to look at."""
    now = timezone.now()
    before = now - datetime.timedelta(days=settings.ROER_TASK_HISTORY_DAYS)
    finished = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=before
    )
    count, _kinds = finished.delete()
    ScheduleSlot.objects.filter(due_at__lt=before).delete()
    WorkerHeartbeat.objects.filter(seen_at__lt=now - 10 * silence()).delete()
    return count


@dataclass(frozen=True)
class Job:
    name: str
    task: Task  # type: ignore[type-arg]
    every: datetime.timedelta | None = None
    daily_at: datetime.time | None = None

    def due_at(self, now: datetime.datetime) -> datetime.datetime:
        """The start of the latest slot that has begun. Daily jobs follow the local clock; the others
        count in UTC, so the hour repeated when summer time ends gets slots of its own."""
        if self.daily_at is not None:
            local = timezone.localtime(now)
            zone = timezone.get_current_timezone()
            today = datetime.datetime.combine(local.date(), self.daily_at, tzinfo=zone)
            return (
                today
                if local >= today
                else datetime.datetime.combine(local.date() - datetime.timedelta(days=1), self.daily_at, tzinfo=zone)
            )
        assert self.every is not None  # noqa: S101 - a job has one of the two
        step = int(self.every.total_seconds())
        seconds = int(now.timestamp())
        return datetime.datetime.fromtimestamp(seconds - seconds % step, tz=datetime.UTC)


JOBS = (
    Job("follow_clock", follow_clock, every=datetime.timedelta(minutes=1)),
    Job("erase_traces", erase_traces, every=datetime.timedelta(minutes=1)),
    Job("delete_expired_exports", delete_expired_exports, every=datetime.timedelta(hours=1)),
    Job("refresh_all_benchmarks", refresh_all_benchmarks, daily_at=datetime.time(2, 30)),
    Job("purge_personal_data", purge_personal_data, daily_at=datetime.time(3, 15)),
    Job("prune_history", prune_history, daily_at=datetime.time(4, 0)),
    Job("remind_action_owners", remind_action_owners, daily_at=datetime.time(8, 0)),
)


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job whose slot has come and that no worker has enqueued yet; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS:
        due_at = job.due_at(now)
        if ScheduleSlot.objects.filter(job=job.name, due_at=due_at).exists():
            continue
        try:
            with transaction.atomic():
                ScheduleSlot.objects.create(job=job.name, due_at=due_at)
                job.task.enqueue()
        except IntegrityError:
            continue  # another worker took this slot a moment ago
        enqueued.append(job.name)
    if enqueued:
        logger.debug("scheduled: %s", ", ".join(enqueued))
    return enqueued
