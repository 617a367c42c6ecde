"""The site's own address, as the request reached it: the base of the links Roer writes into e-mails."""

from __future__ import annotations

from django.http import HttpRequest


def site_url(request: HttpRequest) -> str:
    """scheme://host of this request, without a trailing slash."""
    return request.build_absolute_uri("/").rstrip("/")
