"""Log-in (the product's and the admin's) and password reset, each throttled against guessing and
flooding; see roer/accounts/throttling.py for how failed log-ins are counted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from roer.accounts.forms import LinkedPasswordResetForm, LoginForm
from roer.accounts.http import AuthenticatedHttpRequest
from roer.accounts.throttling import failure_record, refusal_wait, success_record
from roer.lib.ratelimits import count_and_check, too_many_requests
from roer.organisations.models import Membership, Role


def _throttled_log_in(request: HttpRequest, log_in: Callable[[], HttpResponse]) -> HttpResponse:
    """Try the posted log-in with `log_in` unless it must wait; a redirect is a log-in that succeeded."""
    wait = refusal_wait(request)
    if wait is not None:
        return too_many_requests(request, wait_seconds=wait)
    response = log_in()
    if response.status_code == 302:
        success_record(request, response)
    else:
        failure_record(request)
    return response


class LoginView(auth_views.LoginView):
    """Django's log-in, with failed attempts throttled per address, per account and per browser."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _throttled_log_in(request, lambda: super(LoginView, self).post(request, *args, **kwargs))


@sensitive_post_parameters()
@csrf_protect
@never_cache
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own log-in page (/admin/login/), with the same throttling as the product's."""
    if request.method != "POST":
        return admin.site.login(request)
    return _throttled_log_in(request, lambda: admin.site.login(request))


def _reset_email_key(group: str, request: HttpRequest) -> str:
    return str(request.POST.get("email", "")).strip().lower()


def _reset_flooded(request: HttpRequest) -> bool:
    """Count this reset request per client address and per e-mail address; True beyond either rate.

    Counted for every e-mail address typed, known or not, and answered with the same page either way, so
    neither the limit nor the page says whether an account exists."""
    by_email = count_and_check(
        request, "password-reset-email", settings.ROER_PASSWORD_RESETS_PER_EMAIL, key=_reset_email_key
    )
    by_address = count_and_check(request, "password-reset-ip", settings.ROER_PASSWORD_RESETS_PER_ADDRESS)
    return by_email or by_address


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, sending a few e-mails per hour to one address and more per client address
    (colleagues share one); beyond that the page says the same, and no e-mail goes out."""

    form_class = LinkedPasswordResetForm
    email_template_name = "registration/password_reset_body.txt"
    html_email_template_name = "registration/password_reset_body.html"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if _reset_flooded(self.request):
            return HttpResponseRedirect(self.get_success_url())  # the "e-mail sent" page, and no e-mail
        return super().form_valid(form)


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The logged-in user's own page, from their name in the header: who Roer knows them as, the
    organisations they belong to with their role, and where to change the password."""
    memberships = (
        Membership.objects.filter(user=request.user).select_related("organisation").order_by("organisation__name")
    )
    return render(
        request,
        "accounts/account.html",
        {"memberships": [(m.organisation, Role(m.role).label) for m in memberships]},
    )
