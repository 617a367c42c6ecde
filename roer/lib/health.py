"""Liveness, for a load balancer or an orchestrator: GET /health/ says that this process answers.

It touches no database on purpose. During a database outage every process of Roer is as good as every
other: a liveness check that failed with the database would have them restarted or taken out of the load
balancer, and visitors would get the balancer's bare error instead of Roer's calm 503 page with a
`Retry-After` (roer/lib/errors.py). Whether the database and the task queue answer is readiness, GET
/ready/ (roer/web/health.py, which needs the workers' heartbeats); `database_answers` below is its
database check.

A load balancer asks every few seconds, so /health/ is answered by a middleware right after Django's
SecurityMiddleware (the HTTPS redirect and security headers apply as everywhere), before sessions,
CSRF, messages, the language, the Content Security Policy and the URL resolver, none of which a plain-text
"ok" needs. Nor does it check the Host header against ALLOWED_HOSTS: a load balancer often asks by
address, and the answer holds nothing that depends on the host.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("roer.health")

PATH = "/health/"


def database_answers() -> bool:
    """A read of the table every migrated Roer database has: a connection alone (SQLite opens any file)
    or `SELECT 1` would say nothing of the database's files and tables. A failure is logged as one line,
    without a stack trace: a monitor asks every few seconds."""
    table = connection.ops.quote_name(MigrationRecorder.Migration._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - a model's own table
            return cursor.fetchone() is not None
    except DatabaseError as error:
        logger.warning("the database does not answer: %s: %s", type(error).__name__, error)
        return False


def health(request: HttpRequest) -> HttpResponse:
    """200 "ok" while this process answers requests; never cached."""
    response = HttpResponse("ok", content_type="text/plain")
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    """Answers GET and HEAD /health/ itself; everything else goes on down the stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)
