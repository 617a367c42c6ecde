"""/api/v1/: the API's operations, and a JSON 404 for any other address below it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseNotAllowed, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _

from roer.api.api import api


def unknown(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": _("There is no such address in the API; see /api/v1/openapi.json.")}, status=404)


def _json_method_refusal(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """django-ninja answers a method an address does not take with a plain-text 405; every error of the
    API is JSON, so this one is too, with the same Allow header."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            refusal = JsonResponse(
                {"detail": _("This address does not take %(method)s.") % {"method": request.method}}, status=405
            )
            refusal["Allow"] = response["Allow"]
            return refusal
        return response

    return wrapped


def _with_json_refusals(pattern: Any) -> Any:
    if isinstance(pattern, URLPattern):
        pattern.callback = _json_method_refusal(pattern.callback)
    return pattern


operations, _app_name, _namespace = api.urls
app_name = "api"
urlpatterns = [
    re_path(r"^$", unknown, name="root"),
    *(_with_json_refusals(pattern) for pattern in operations),
    re_path(r"^.*$", unknown, name="unknown"),
]
