"""The health check, for a load balancer or a monitor: GET /health/ says whether this process answers and
its database answers a query on its own tables.

A load balancer asks every few seconds, so it is answered by a middleware right after Django's
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


def _database_answers() -> bool:
    """A read of the table every migrated Roer database has: a connection alone (SQLite opens any file)
    or `SELECT 1` would say nothing of the database's files and tables."""
    table = connection.ops.quote_name(MigrationRecorder.Migration._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - a model's own table
            return cursor.fetchone() is not None
    except DatabaseError:
        logger.warning("health check: the database does not answer", exc_info=True)
        return False


def health(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers, otherwise 503; never cached."""
    if _database_answers():
        response = HttpResponse("ok", content_type="text/plain")
    else:
        response = HttpResponse("database unavailable", content_type="text/plain", status=503)
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
