"""/ready/ says whether the database and the task queue answer, with the queue's figures and the workers'
heartbeats; it skips the middleware it does not need, and its answer holds nothing of the configuration."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from roer.lifecycle.models import WorkerHeartbeat
from roer.web import health

pytestmark = pytest.mark.django_db


def _task(*, enqueued_ago: datetime.timedelta, run_after: datetime.datetime | None = None) -> DBTaskResult:  # type: ignore[type-arg]
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="roer.lifecycle.tasks.nothing",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - enqueued_ago)
    return task


def _heartbeat(ago: datetime.timedelta) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="worker-1", pid=1, started_at=now, seen_at=now - ago)


def test_ready_says_ok_with_the_checks_when_database_and_queue_answer(client):
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert "Retry-After" not in response
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "task_queue": {"status": "ok", "waiting": 0, "oldest_waiting_seconds": None},
            "workers": {"status": "silent", "last_heartbeat_seconds": None},
        },
    }


def test_ready_reports_the_waiting_tasks_and_a_recent_heartbeat(client):
    _task(enqueued_ago=datetime.timedelta(minutes=2))
    _task(enqueued_ago=datetime.timedelta(seconds=5))
    _task(enqueued_ago=datetime.timedelta(hours=1), run_after=timezone.now() + datetime.timedelta(hours=1))  # later
    _heartbeat(datetime.timedelta(seconds=3))
    checks = client.get("/ready/").json()["checks"]
    assert checks["task_queue"]["waiting"] == 2
    assert 120 <= checks["task_queue"]["oldest_waiting_seconds"] < 130
    assert checks["workers"]["status"] == "ok"
    assert checks["workers"]["last_heartbeat_seconds"] < 10


def test_a_task_planned_earlier_waits_from_its_planned_time(client):
    _task(enqueued_ago=datetime.timedelta(hours=1), run_after=timezone.now() - datetime.timedelta(minutes=1))
    assert 60 <= client.get("/ready/").json()["checks"]["task_queue"]["oldest_waiting_seconds"] < 70


def test_a_silent_worker_is_reported_but_does_not_make_the_site_unready(client, settings):
    _heartbeat(datetime.timedelta(seconds=settings.ROER_WORKER_SILENCE_SECONDS + 5))
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["workers"]["status"] == "silent"


def test_ready_says_503_when_the_task_queue_cannot_be_read(client, monkeypatch):
    def unreadable():  # type: ignore[no-untyped-def]
        raise DatabaseError('relation "django_tasks_database_dbtaskresult" does not exist')

    monkeypatch.setattr(DBTaskResult.objects, "ready", unreadable)
    response = client.get("/ready/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["task_queue"] == {"status": "unavailable"}
    assert "does not exist" not in response.content.decode()


def test_ready_says_503_without_any_detail_when_the_database_does_not_answer(client, monkeypatch):
    name, host = str(connection.settings_dict["NAME"]), str(connection.settings_dict.get("HOST") or "")

    def broken():  # type: ignore[no-untyped-def]
        raise OperationalError(f'connection to server at "{host}" failed for database "{name}"')

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "unavailable"}
    body = response.content.decode()
    assert name not in body
    assert "connection" not in body


def test_ready_skips_sessions_csrf_csp_and_the_host_check_and_answers_head(client):
    response = client.get("/ready/", HTTP_HOST="10.0.0.7")  # an orchestrator asking by address
    assert response.status_code == 200
    assert not response.cookies
    assert "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.head("/ready/").status_code == 200


def test_the_readiness_view_is_reachable_by_its_url_without_the_middleware(rf):
    assert health.ready(rf.get("/ready/")).status_code == 200
