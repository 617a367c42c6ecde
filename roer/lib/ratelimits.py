"""Rate limits on guessing: failed log-ins and unknown answer links, counted per address (and per account
for log-ins) in the shared cache. Only failures count, so ordinary use is never slowed down."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def over_limit(request: HttpRequest, group: str, rate: str, *, key: str | Callable[..., str] = "ip") -> bool:
    """True when this address (or key) has already failed more often than the rate allows."""
    return bool(is_ratelimited(request, group=group, key=key, rate=rate, increment=False))


def count_failure(request: HttpRequest, group: str, rate: str, *, key: str | Callable[..., str] = "ip") -> None:
    is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "600"
    return response
