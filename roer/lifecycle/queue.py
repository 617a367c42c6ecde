"""Background tasks: django-tasks, with its database backend (django-tasks-db) as the queue.

The queue is a table in Roer's own database (SQLite or PostgreSQL), so there is no other server to run,
and workers on several machines share it. It also means a task enqueued inside a transaction commits
with that transaction or not at all: a closed scan always has its figures task, and a rolled-back
change never leaves one behind. Every task here is safe to run twice.

django-tasks retries nothing by itself. A failed task is queued again after a growing pause until it has
been tried `ROER_TASK_ATTEMPTS` times; a task whose worker stopped sending heartbeats (the process was
killed) is queued again at once. Both sweeps run in every worker (see `roer.lifecycle.worker`).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult, get_date_max

from roer.lifecycle.models import WorkerHeartbeat


def silence() -> datetime.timedelta:
    """How long a worker may be silent before it is taken to be gone (ROER_WORKER_SILENCE_SECONDS)."""
    return datetime.timedelta(seconds=settings.ROER_WORKER_SILENCE_SECONDS)


def max_attempts() -> int:
    return int(settings.ROER_TASK_ATTEMPTS)


def attempts(result: DBTaskResult) -> int:  # type: ignore[type-arg]
    """Every claim by a worker adds its id, so the list's length counts the attempts."""
    return len(result.worker_ids or [])


def retry_delay(attempt: int) -> datetime.timedelta:
    """1, 4, 16, 64 ... minutes after the first, second, third ... failed attempt."""
    return datetime.timedelta(minutes=4 ** (attempt - 1))


def _queue_again(result: DBTaskResult, run_after: datetime.datetime | None) -> None:  # type: ignore[type-arg]
    result.status = TaskResultStatus.READY
    result.run_after = run_after or get_date_max()
    result.finished_at = None
    result.save(update_fields=["status", "run_after", "finished_at"])


def requeue_failed(now: datetime.datetime | None = None) -> int:
    """Queue failed tasks again, each after its pause, until they have had all their attempts."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for result in DBTaskResult.objects.failed().select_for_update(skip_locked=True):
            tried = attempts(result)
            if tried >= max_attempts():
                continue
            _queue_again(result, (result.finished_at or now) + retry_delay(tried))
            count += 1
    return count


def requeue_abandoned(now: datetime.datetime | None = None) -> int:
    """Queue again the running tasks whose worker has fallen silent: it was killed mid-task."""
    now = now or timezone.now()
    quiet = now - silence()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=quiet).values_list("worker_id", flat=True))
    count = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().filter(started_at__lt=quiet)
        for result in running.select_for_update(skip_locked=True):
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            _queue_again(result, None)
            count += 1
    return count


def gave_up(task_ids: Iterable[uuid.UUID | str | None]) -> set[str]:
    """Of these tasks, the ones that failed and will not be tried again."""
    ids = [str(task_id) for task_id in task_ids if task_id]
    if not ids:
        return set()
    failed = DBTaskResult.objects.failed().filter(id__in=ids)
    return {str(result.id) for result in failed if attempts(result) >= max_attempts()}


def failed_task_count() -> int:
    """Tasks that failed and will not be tried again: what a platform administrator should look at."""
    return sum(1 for result in DBTaskResult.objects.failed().only("worker_ids") if attempts(result) >= max_attempts())


def runs_of(task: Task, *args: int | str) -> QuerySet[DBTaskResult]:  # type: ignore[type-arg]
    """The queue's rows for this task with these arguments, in any status."""
    rows = DBTaskResult.objects.filter(task_path=task.module_path)
    for position, value in enumerate(args):
        rows = rows.filter(**{f"args_kwargs__args__{position}": value})
    return rows


def enqueue_once(task: Task, *args: int | str) -> None:  # type: ignore[type-arg]
    """Enqueue, unless the same task with the same arguments is already waiting to start: a benchmark
    rebuild asked for by ten scans closing together runs once. (Two callers at the same moment may
    both enqueue; the task is safe to run twice.)"""
    if not runs_of(task, *args).filter(status=TaskResultStatus.READY).exists():
        task.enqueue(*args)
