"""`Authorization: Bearer roer_<prefix>_<secret>`, and the rate limit per key.

No session, no cookie: a browser logged in to Roer reaches nothing here without a key, so the API needs
no CSRF protection. The limit (ROER_API_RATE, default 120 requests a minute per key) is counted in the
shared cache, like Roer's other limits, so every worker process counts together."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja.security import HttpBearer

from roer.api.errors import ApiProblem, unauthorised
from roer.api.keys import key_for_token, key_used
from roer.api.models import ApiKey


def api_rate() -> str:
    return str(settings.ROER_API_RATE)


def _rate_limited(request: HttpRequest, key: ApiKey) -> None:
    usage = get_usage(
        request, group="api-key", key=lambda _group, _request: key.prefix, rate=api_rate(), increment=True
    )
    if usage is not None and usage["should_limit"]:
        wait = max(1, int(usage["time_left"]))
        raise ApiProblem(
            429,
            _("Too many requests with this key; try again in %(seconds)s seconds.") % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )


class ApiKeyAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        scheme, _space, token = str(request.headers.get(self.header, "")).partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise unauthorised(_("Send an API key: Authorization: Bearer roer_…"))
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        key = key_for_token(token)
        if key is None:
            raise unauthorised(
                _("This API key is not valid: it is unknown, revoked, or its maker no longer manages the organisation.")
            )
        _rate_limited(request, key)
        key_used(key)
        return key


def key_of(request: HttpRequest) -> ApiKey:
    key = request.auth  # type: ignore[attr-defined]
    assert isinstance(key, ApiKey)  # noqa: S101 - every operation requires ApiKeyAuth
    return key
