"""Running background tasks in a test, the way a worker runs them.

Tasks go through the real database backend (django-tasks-db): enqueuing writes a row, and `run_tasks`
claims each ready row and hands it to django-tasks-db's own `Worker.run_task`, in this process and
inside the test's transaction. tests/lifecycle/test_worker.py runs a real `roer_worker` process too."""

from __future__ import annotations

from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER_ID = "test-worker"


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER_ID,
        excluded_queue_names=[],
    )


# Rendering PDFs takes a second or two each; tests that do not look at PDFs leave those tasks waiting.
SLOW = ("render_report",)


def run_tasks(*, limit: int = 500, allow_failures: bool = False, skip: tuple[str, ...] = SLOW) -> int:
    """Run every ready task (and the tasks they enqueue) until none is left, but those named in `skip`;
    returns how many ran. A task that fails fails the test, with its traceback, unless failures are
    expected."""
    worker = _worker()
    ran = 0
    while ran < limit:
        ready = DBTaskResult.objects.ready()
        for name in skip:
            ready = ready.exclude(task_path__endswith=f".{name}")
        result = ready.first()
        if result is None:
            break
        result.claim(WORKER_ID)
        worker.run_task(result)
        ran += 1
        if not allow_failures:
            result.refresh_from_db()
            if result.status == TaskResultStatus.FAILED:
                raise AssertionError(f"task {result.task_path} failed:\n{result.traceback}")
    return ran


def queued(task_name: str) -> list[DBTaskResult]:
    """The ready rows of a task, by the function's name."""
    return [row for row in DBTaskResult.objects.ready() if row.task_path.rsplit(".", 1)[-1] == task_name]
