from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from roer.accounts.forms import LoginForm
from roer.lib.ratelimits import count_failure, over_limit, too_many_requests


def _account_key(group: str, request: HttpRequest) -> str:
    return str(request.POST.get("username", "")).strip().lower()


class LoginView(auth_views.LoginView):
    """Django's log-in, with failed attempts limited per address and per account."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate = settings.ROER_LOGIN_FAILURES
        if over_limit(request, "login-ip", rate) or over_limit(request, "login-account", rate, key=_account_key):
            return too_many_requests(request)
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:
            count_failure(request, "login-ip", rate)
            count_failure(request, "login-account", rate, key=_account_key)
        return response
