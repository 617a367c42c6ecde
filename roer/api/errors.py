"""Every answer of the API that is not a success is JSON with a `detail` a person can read, in Dutch
unless the request asks for English (Accept-Language: en): a missing or bad key 401, a key without the
right 403, something another organisation owns (or nothing at all) 404, a scan in the wrong state 409,
input that does not validate 422 with each field's problem, a body over the upload limit 413, too many
requests 429 with Retry-After.
Nothing the API is sent makes a server error; a database outage is 503 with Retry-After."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from roer.lib.errors import RETRY_AFTER_SECONDS, DomainError, database_unavailable

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("roer.api")


class ApiProblem(Exception):
    """A refusal with its status and message (already translated)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        self.status = status
        self.message = message
        self.headers = headers or {}
        # 422: the fields at fault, as in a validation error's answer
        self.errors = errors if errors is not None else ([] if status == 422 else None)
        super().__init__(message)


def unauthorised(message: str) -> ApiProblem:
    return ApiProblem(401, message, headers={"WWW-Authenticate": 'Bearer realm="roer"'})


def not_found(message: str | None = None) -> ApiProblem:
    return ApiProblem(404, message or _("Not found."))


def forbidden_write() -> ApiProblem:
    return ApiProblem(403, _("This API key may only read. Make a key with read and write access to change things."))


def _field_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "no_nul":
        return _("Text may not contain a NUL character.")
    if kind == "extra_forbidden":
        return _("This field is unknown.")
    if kind in {"string_too_short", "too_short"} and context.get("min_length") == 1:
        return _("This field may not be empty.")
    if kind == "string_too_long":
        return _("At most %(count)s characters.") % {"count": context.get("max_length")}
    if kind == "too_long":
        return _("At most %(count)s items.") % {"count": context.get("max_length")}
    if kind == "too_short":
        return _("At least %(count)s items.") % {"count": context.get("min_length")}
    if kind.startswith("int_") or kind.startswith("float_"):
        return _("Give a whole number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Give a number of at least %(limit)s.") % {"limit": context.get("ge", context.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Give a number of at most %(limit)s.") % {"limit": context.get("le", context.get("lt"))}
    if kind.startswith("date"):
        return _("Give a date as YYYY-MM-DD, for example 2027-03-31.")
    if kind.startswith("uuid"):
        return _("Give a code as Roer gives it, for example 3f2b8c1e-0d7a-4c55-9a51-6c0e2f1d4b7a.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind.startswith("string") or kind.startswith("str"):
        return _("Give text.")
    if kind.startswith("bool"):
        return _("Give true or false.")
    if kind in {"list_type", "dict_type", "model_type", "model_attributes_type"}:
        return _("This has the wrong shape; see the schema at /api/v1/openapi.json.")
    return _("This value is not valid.")


def _location(error: dict[str, Any]) -> str:
    """body.invitations.3.email, query.limit: django-ninja's place without the name of the parameter the
    body is read into (its loc is body.body.invitations...)."""
    parts = [str(part) for part in error.get("loc", ())]
    if parts[:2] == ["body", "body"]:
        parts = parts[1:]
    return ".".join(parts)


def _problem(api: NinjaAPI, request: HttpRequest, status: int, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": message, **extra}, status=status)


def install(api: NinjaAPI) -> None:
    """Replace django-ninja's English, differently shaped error answers with Roer's."""

    @api.exception_handler(ApiProblem)
    def problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        extra = {"errors": exc.errors} if exc.errors is not None else {}
        response = _problem(api, request, exc.status, exc.message, **extra)
        for header, value in exc.headers.items():
            response[header] = value
        return response

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"location": _location(error), "message": _field_message(error)} for error in exc.errors]
        return _problem(api, request, 422, _("The request is not valid; see errors for each field."), errors=errors)

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _problem(api, request, 404, _("Not found."))

    @api.exception_handler(DomainError)
    def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return _problem(api, request, 400, exc.message)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return problem(request, unauthorised(_("Send an API key: Authorization: Bearer roer_…")))
        if exc.status_code == 400:
            return _problem(api, request, 400, _("The request body is not valid JSON."))
        return _problem(api, request, exc.status_code, str(exc))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _problem(api, request, 413, _("The request is too large; send at most 1000 invitations at a time."))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if database_unavailable(exc):
            logger.warning("database unavailable, API answered 503: %s %s", request.method, request.path)
            response = _problem(api, request, 503, _("Roer cannot reach its database just now; try again shortly."))
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        logger.exception("API error: %s %s", request.method, request.path)
        return _problem(api, request, 500, _("Something went wrong on our side; it has been logged."))
