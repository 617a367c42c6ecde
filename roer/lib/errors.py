"""The one base class of errors the domain raises on purpose, and the page for errors nobody caught.

A rule that refuses a change raises a subclass of `DomainError` with a message a user can read (already
translated); views catch `DomainError` and show that message, and nothing else is caught broadly, so a
programming error still surfaces as one.

`server_error` is Django's handler500 (roer/urls.py). Django calls it for an exception from a view and
from any middleware alike, so it also sees a database that fails in SessionMiddleware or
AuthenticationMiddleware while they read the session. When the database cannot be reached it answers 503
with `Retry-After` and a calm page that needs no database (503.html: no session, no user, no context
processors), and logs one warning line per request instead of a stack trace for every visitor of an
outage; any other error gets the 500 page, logged with its stack trace by Django as before. DEBUG keeps
Django's technical page for both.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import Promise
from django.views import defaults

from roer.lib.middleware import chosen_language

logger = logging.getLogger("roer.errors")

RETRY_AFTER_SECONDS = 30
# SQLite reports some mistakes in the code or a missing migration as OperationalError too; those are not an
# outage, and keep the 500 page and their stack trace.
_SQLITE_MISTAKES = ("no such table", "no such column", "has no column named", "syntax error", "no such function")


class DomainError(Exception):
    default_message: str | Promise = ""

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = str(message if message is not None else self.default_message)
        super().__init__(self.message)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether an error says the database cannot be reached or cannot answer now (refused, gone, locked,
    timed out), rather than that a query is wrong."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    message = str(error).lower()
    return not any(mistake in message for mistake in _SQLITE_MISTAKES)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page, in the visitor's chosen language, rendered without a request context so that nothing
    reads the session, the user or the database."""
    with translation.override(chosen_language(request) or settings.LANGUAGE_CODE):
        content = loader.get_template("503.html").render()
        language = translation.get_language()
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    add_never_cache_headers(response)
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    error = sys.exc_info()[1]
    if not database_unavailable(error):
        return defaults.server_error(request, template_name=template_name)
    if not getattr(request, "_roer_outage_logged", False):
        logger.warning(
            "database unavailable, answered 503: %s %s (%s: %s)",
            request.method,
            request.path,
            type(error).__name__,
            error,
        )
        request._roer_outage_logged = True  # type: ignore[attr-defined]
    response = service_unavailable(request)
    response._has_been_logged = True  # type: ignore[attr-defined]  # django.request: logged above, once
    return response


class MethodNotAllowedPageMiddleware:
    """`require_POST` and its kin answer 405 with an empty body: a visitor who opens such an address (a
    bookmarked form action, a link pasted from a mail) got a blank page. This gives it Roer's own page,
    in the visitor's language, keeping the view's headers (`Allow`, `Cache-Control`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code != 405 or not isinstance(response, HttpResponse) or response.content:
            return response
        page = HttpResponse(loader.render_to_string("405.html", request=request), status=405)
        for header, value in response.items():  # Allow, and what the view said of caching (never_cache)
            if header.lower() not in {"content-type", "content-length"}:
                page[header] = value
        return page
