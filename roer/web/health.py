"""Readiness, for a load balancer, an orchestrator or a monitor: GET /ready/ says whether this process can
do its work, that is whether the database answers and the task queue (django-tasks' database backend) can
be read. Liveness, whether the process answers at all, is GET /health/ (roer/lib/health.py).

The answer is JSON with a status per check and a few figures of the queue; never an error message, a host
name or anything else of the configuration (those go to the log). 200 when ready; 503 with
`Retry-After` when the database or the queue does not answer. The workers' heartbeats are reported but do
not decide readiness: without a worker the pages still work and the queue keeps the tasks until one
comes back, so a monitor should alert on "workers": "silent", but a load balancer should keep sending
visitors.

Like /health/ it is answered by a middleware right after SecurityMiddleware, before sessions, CSRF, the
language and the host check, none of which it needs.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.db.models import Case, Count, F, Max, Min, Q, When
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django_tasks_db.models import DBTaskResult, get_date_max

from roer.lib.errors import RETRY_AFTER_SECONDS
from roer.lib.health import database_answers
from roer.lifecycle.models import WorkerHeartbeat
from roer.lifecycle.queue import silence

logger = logging.getLogger("roer.health")

PATH = "/ready/"


def _seconds(delta: datetime.timedelta) -> int:
    return max(0, int(delta.total_seconds()))


def task_queue(now: datetime.datetime) -> dict[str, Any]:
    """How many tasks wait for a worker now, and for how long the oldest has waited (a task planned for
    later waits from its planned time)."""
    since = Case(
        When(Q(run_after__gt=F("enqueued_at")) & ~Q(run_after=get_date_max()), then=F("run_after")),
        default=F("enqueued_at"),
    )
    try:
        figures = DBTaskResult.objects.ready().aggregate(waiting=Count("pk"), oldest=Min(since))
    except DatabaseError as error:
        logger.warning("the task queue cannot be read: %s: %s", type(error).__name__, error)
        return {"status": "unavailable"}
    oldest = figures["oldest"]
    return {
        "status": "ok",
        "waiting": figures["waiting"],
        "oldest_waiting_seconds": _seconds(now - oldest) if oldest is not None else None,
    }


def workers(now: datetime.datetime) -> dict[str, Any]:
    """Whether some worker wrote a heartbeat within ROER_WORKER_SILENCE_SECONDS."""
    try:
        seen = WorkerHeartbeat.objects.aggregate(latest=Max("seen_at"))["latest"]
    except DatabaseError as error:
        logger.warning("the workers' heartbeats cannot be read: %s: %s", type(error).__name__, error)
        return {"status": "unknown"}
    if seen is None:
        return {"status": "silent", "last_heartbeat_seconds": None}
    return {"status": "ok" if now - seen <= silence() else "silent", "last_heartbeat_seconds": _seconds(now - seen)}


def ready(request: HttpRequest) -> HttpResponse:
    checks: dict[str, dict[str, Any]] = {"database": {"status": "ok" if database_answers() else "unavailable"}}
    if checks["database"]["status"] == "ok":
        now = timezone.now()
        checks["task_queue"] = task_queue(now)
        checks["workers"] = workers(now)
    else:  # each would wait for the same unreachable database again
        checks["task_queue"], checks["workers"] = {"status": "unknown"}, {"status": "unknown"}
    is_ready = checks["database"]["status"] == checks["task_queue"]["status"] == "ok"
    response = JsonResponse(
        {"status": "ok" if is_ready else "unavailable", "checks": checks}, status=200 if is_ready else 503
    )
    if not is_ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class ReadinessMiddleware:
    """Answers GET and HEAD /ready/ itself; everything else goes on down the stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return ready(request)
        return self.get_response(request)
