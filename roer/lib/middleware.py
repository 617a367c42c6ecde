"""Roer's own middleware.

Language selection: Dutch unless the visitor chose otherwise with the language switch. Django's
LocaleMiddleware would follow the browser's Accept-Language header, so a Dutch civil servant with an
English browser would get English. Roer is Dutch first: only the language cookie that the switch sets
changes the language.

The Content Security Policy header, built once (FixedPolicyCSPMiddleware). The health check answers
before most of the stack: see roer/lib/health.py.
"""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str | None:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return language if language in supported else None


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The language switch's cookie first; on a first visit the browser's Accept-Language (Django's own
        # negotiation, falling back to Dutch); an invitation's language overrides both on its link.
        language = chosen_language(request) or translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


class FixedPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the policy built once per process.

    django-csp builds the header from the settings for every response, the report-only one too, which is
    a noticeable share of a cached questionnaire page. Roer's policy is the same for every response: no
    nonces (nothing is inline) and no view changes it. A response that does change it (csp's decorators),
    a request that asked for a nonce, a report-only policy or DEBUG's error pages take django-csp's own
    way; tests/lib/test_health_and_middleware.py holds the two to the same header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)
        self._policy = build_policy()
        self._plain = not build_policy(report_only=True)
        configured = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        self._excluded = tuple(configured.get("EXCLUDE_URL_PREFIXES", None) or ())

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        special = (
            not self._plain
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
        )
        if special:
            return super().process_response(request, response)
        if (
            self._policy
            and HEADER not in response
            and getattr(response, "_csp_exempt", False) is False
            and not request.path_info.startswith(self._excluded)
        ):
            response[HEADER] = self._policy
        # As django-csp: a nonce asked for after the header was written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
