"""The queue's own promises: a failed task is tried again after a growing pause and then shown to a platform
administrator; a task whose worker died is taken over; each scheduled job is enqueued once per slot
however many workers tick; and scheduled work does what it says."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from roer.lifecycle import scan_life, schedule
from roer.lifecycle.models import ScheduleSlot, WorkerHeartbeat
from roer.lifecycle.queue import failed_task_count, requeue_abandoned, requeue_failed, retry_delay
from roer.lifecycle.scan_life import store_figures
from roer.scans.models import Scan, ScanState
from tests.conftest import client_for
from tests.tasks import WORKER_ID, queued, run_tasks

pytestmark = pytest.mark.django_db

ZONE = timezone.get_current_timezone()


@pytest.fixture
def failing_task(scan, monkeypatch) -> DBTaskResult:  # type: ignore[no-untyped-def]
    """The figures task of a closed scan, on a machine whose disk is full: it fails every time it runs."""

    def disk_full(scan):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scan_life, "compute_figures", disk_full)
    scan_life.scan_close(scan=scan)
    [row] = queued("store_figures")
    return row


def run_failing(row: DBTaskResult) -> None:
    assert run_tasks(allow_failures=True) == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED


def test_a_failed_task_is_tried_again_after_1_4_and_16_minutes_and_then_left_for_an_administrator(
    settings, failing_task
):
    settings.ROER_TASK_ATTEMPTS = 4
    row = failing_task
    now = timezone.now()
    for attempt, pause in ((1, 1), (2, 4), (3, 16)):
        with time_machine.travel(now):
            run_failing(row)
            assert retry_delay(attempt) == datetime.timedelta(minutes=pause)
            assert requeue_failed() == 1
            assert run_tasks(allow_failures=True) == 0  # not before its pause is over
        now += datetime.timedelta(minutes=pause, seconds=1)
    with time_machine.travel(now):
        run_failing(row)
        assert requeue_failed() == 0  # four attempts: it stays failed
    assert failed_task_count() == 1


def test_a_platform_administrator_sees_failed_tasks_and_can_run_them_again(
    settings, failing_task, django_user_model, alice_client
):
    settings.ROER_TASK_ATTEMPTS = 1
    row = failing_task
    run_failing(row)
    admin = client_for(django_user_model.objects.create_superuser("root@roer.example", "x" * 12))
    dashboard = admin.get("/").content.decode()
    assert "1 achtergrondtaak is na al haar pogingen mislukt" in dashboard
    assert "achtergrondtaak" not in alice_client.get("/").content.decode()  # not for a scan manager
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    assert admin.get(changelist).status_code == 200
    assert (
        "No space left on device"
        in admin.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[row.id])).content.decode()
    )
    admin.post(changelist, {"action": "run_again", "_selected_action": [str(row.id)]})
    row.refresh_from_db()
    assert (row.status, row.worker_ids) == (TaskResultStatus.READY, [])


def test_a_task_whose_worker_fell_silent_is_taken_over_and_one_whose_worker_lives_is_not(settings):
    settings.ROER_WORKER_SILENCE_SECONDS = 60
    started = timezone.now()
    alive, dead = (store_figures.enqueue(number) for number in (1, 2))
    for result, worker in ((alive, "alive"), (dead, "dead")):
        row = DBTaskResult.objects.get(id=result.id)
        row.claim(worker)
        WorkerHeartbeat.objects.create(worker_id=worker, hostname="h", pid=1, started_at=started, seen_at=started)
    with time_machine.travel(started + datetime.timedelta(seconds=90)):
        WorkerHeartbeat.objects.filter(worker_id="alive").update(seen_at=timezone.now())
        assert requeue_abandoned() == 1
    assert DBTaskResult.objects.get(id=dead.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(id=alive.id).status == TaskResultStatus.RUNNING


def test_each_job_is_enqueued_once_per_slot_however_many_workers_tick():
    now = datetime.datetime(2026, 3, 16, 10, 0, 20, tzinfo=ZONE)
    first = schedule.tick(now)
    assert set(first) == {job.name for job in schedule.JOBS}  # nothing ran yet, so everything is due
    assert schedule.tick(now) == []  # a second worker in the same minute
    assert schedule.tick(now + datetime.timedelta(seconds=30)) == []
    assert schedule.tick(now + datetime.timedelta(minutes=1)) == ["follow_clock", "erase_traces"]
    hourly = ["follow_clock", "erase_traces", "delete_expired_exports"]
    assert schedule.tick(now + datetime.timedelta(hours=1)) == hourly
    assert ScheduleSlot.objects.filter(job="purge_personal_data").count() == 1
    next_night = datetime.datetime(2026, 3, 17, 3, 15, tzinfo=ZONE)
    assert "purge_personal_data" in schedule.tick(next_night)
    assert len(queued("follow_clock")) == 4


def test_a_daily_job_is_due_from_its_hour_and_caught_up_after_a_night_without_workers():
    job = next(job for job in schedule.JOBS if job.name == "purge_personal_data")
    assert job.due_at(datetime.datetime(2026, 3, 16, 3, 14, tzinfo=ZONE)) == datetime.datetime(
        2026, 3, 15, 3, 15, tzinfo=ZONE
    )
    assert job.due_at(datetime.datetime(2026, 3, 16, 3, 15, tzinfo=ZONE)) == datetime.datetime(
        2026, 3, 16, 3, 15, tzinfo=ZONE
    )
    assert job.due_at(datetime.datetime(2026, 3, 16, 23, 0, tzinfo=ZONE)).date() == datetime.date(2026, 3, 16)


def test_the_clock_job_closes_a_scan_by_date_and_the_worker_publishes_its_figures(scan):
    with time_machine.travel(datetime.datetime.combine(scan.closes_on, datetime.time(23, 59), tzinfo=ZONE)):
        schedule.tick()
        run_tasks()
        scan.refresh_from_db()
        assert scan.state == ScanState.OPEN
    with time_machine.travel(
        datetime.datetime.combine(scan.closes_on, datetime.time(0, 0, 30), tzinfo=ZONE) + datetime.timedelta(days=1)
    ):
        schedule.tick()
        run_tasks()
    scan.refresh_from_db()
    assert scan.state == ScanState.FIGURES_READY
    assert Scan.objects.with_figures().filter(pk=scan.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_the_queue(capsys):
    """`manage.py roer_worker --batch` runs what is ready and stops (the real process: test_worker.py)."""
    from django.core.management import call_command

    store_figures.enqueue(123_456)
    call_command("roer_worker", "--batch", "--no-startup-delay", "--worker-id", WORKER_ID, verbosity=0)
    assert not DBTaskResult.objects.ready().exists()
    assert not WorkerHeartbeat.objects.filter(worker_id=WORKER_ID).exists()  # a clean stop leaves none


def test_the_hour_repeated_when_summer_time_ends_gets_its_own_slots():
    first = datetime.datetime(2026, 10, 25, 0, 5, tzinfo=datetime.UTC)  # 02:05 summer time
    second = datetime.datetime(2026, 10, 25, 1, 5, tzinfo=datetime.UTC)  # 02:05 again, an hour later
    assert "follow_clock" in schedule.tick(first)
    assert {"follow_clock", "delete_expired_exports"} <= set(schedule.tick(second))
