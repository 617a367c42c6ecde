"""Logging in with an organisation's account (OpenID Connect), and the platform administrator's pages for
the organisations' identity providers.

The log-in in four steps:

1. `start` (/login/sso/): the visitor types their e-mail address; its domain chooses the provider.
2. `continue_page`: a Roer page that sends the browser on with an immediate refresh (and a link). The
   form's POST cannot redirect to the provider itself: the Content Security Policy's form-action 'self'
   makes Chromium refuse a redirect to another origin after a form submission.
3. `AuthenticationRequestView` (GET): mozilla-django-oidc's start of the authorization code flow with
   state, nonce and PKCE, with the provider's endpoint and client id; the state is bound to the provider.
4. `CallbackView`: the provider sends the browser back with a code; the state must be one this browser
   was given, and roer/sso/backend.py exchanges the code and checks the ID token. Whatever fails, the
   visitor lands on the log-in page with a message; nothing here answers 500.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.contrib import auth, messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.generic import View
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from roer.accounts.http import AuthenticatedHttpRequest
from roer.lib.errors import DomainError
from roer.organisations.access import platform_admin_required
from roer.sso.backend import ProviderBackend
from roer.sso.discovery import ProviderUnreachableError, configuration
from roer.sso.forms import ProviderForm, SsoStartForm
from roer.sso.models import IdentityProvider
from roer.sso.services import (
    DomainTakenError,
    ProviderDisabledError,
    SsoRefusedError,
    provider_for_email,
    provider_save,
)

logger = logging.getLogger("roer.sso")

BACKEND = "roer.sso.backend.ProviderBackend"
PENDING = "roer_sso_pending"  # the session's provider chosen at the e-mail step, until the provider's page


class AttemptExpiredError(SsoRefusedError):
    default_message = gettext_lazy(
        "This log-in attempt has expired or was not started in this browser. Please start again."
    )


class ProviderCancelledError(SsoRefusedError):
    default_message = gettext_lazy(
        "Your organisation's log-in service did not log you in (cancelled or refused). You have not been logged in."
    )


def _safe_next(request: HttpRequest, value: Any) -> str:
    if isinstance(value, str) and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _pending_provider(request: HttpRequest) -> tuple[IdentityProvider | None, dict[str, Any]]:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None, {}
    provider = (
        IdentityProvider.objects.filter(pk=int(pending.get("provider") or 0), enabled=True)
        .select_related("organisation")
        .first()
    )
    return provider, pending


@never_cache
@csrf_protect
def start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("organisations:dashboard")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SsoStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"].strip().lower()
        provider = provider_for_email(address)
        if provider is None:
            form.add_error(
                "email",
                _(
                    "No organisation on Roer has set up single sign-on for this e-mail domain. "
                    "Please log in with your password."
                ),
            )
        else:
            request.session[PENDING] = {"provider": provider.pk, "email": address, "next": next_url}
            return redirect("sso:continue")
    status = 400 if form.errors else 200
    return render(request, "sso/start.html", {"form": form, "next": next_url}, status=status)


@never_cache
def continue_page(request: HttpRequest) -> HttpResponse:
    provider, _pending = _pending_provider(request)
    if provider is None:
        messages.error(request, AttemptExpiredError().message)
        return redirect("sso:start")
    return render(request, "sso/continue.html", {"organisation": provider.organisation})


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    messages.error(request, error.message)
    return redirect("login")


@method_decorator(never_cache, name="dispatch")
class AuthenticationRequestView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """mozilla-django-oidc's authentication request, for the provider chosen at the e-mail step."""

    def __init__(self, **kwargs: Any) -> None:
        # Not mozilla-django-oidc's __init__: it reads one provider's endpoint and client id from settings.
        View.__init__(self, **kwargs)
        self.login_hint = ""

    def get(self, request: HttpRequest) -> HttpResponse:
        provider, pending = _pending_provider(request)
        if provider is None:
            messages.error(request, AttemptExpiredError().message)
            return redirect("sso:start")
        try:
            config = configuration(provider.issuer)
        except ProviderUnreachableError as error:
            return _refused(request, error)
        self.OIDC_OP_AUTH_ENDPOINT = config.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.login_hint = str(pending.get("email", ""))
        response: HttpResponse = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        # The callback exchanges the code with the provider this state was given out for, and no other.
        request.session["oidc_states"][state]["provider"] = provider.pk
        request.session["oidc_login_next"] = pending.get("next") or None
        request.session.modified = True
        return response

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return {"login_hint": self.login_hint} if self.login_hint else {}


@method_decorator(never_cache, name="dispatch")
class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Where the provider sends the browser back: the state must be this browser's, then the backend
    exchanges the code and verifies the token; any refusal goes to the log-in page with its reason."""

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state")
        states = request.session.get("oidc_states")
        entry = states.pop(state, None) if isinstance(states, dict) and state else None
        if entry is not None:
            request.session.modified = True
            request.session.save()  # a state is used once, also when what follows fails
        if not isinstance(entry, dict):
            return _refused(request, AttemptExpiredError())
        if request.GET.get("error") or not request.GET.get("code"):
            if request.user.is_authenticated:
                auth.logout(request)
            return _refused(request, ProviderCancelledError())
        provider = (
            IdentityProvider.objects.filter(pk=int(entry.get("provider") or 0)).select_related("organisation").first()
        )
        if provider is None:
            return _refused(request, ProviderDisabledError())
        # RFC 9207: a provider that names itself in the response must be the one the state was for.
        if "iss" in request.GET and request.GET["iss"] != provider.issuer:
            return _refused(request, AttemptExpiredError())
        try:
            user = ProviderBackend().authenticate(
                request, sso_provider=provider, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
            )
        except DomainError as error:
            logger.info("Single sign-on with %s refused: %s", provider, error.__class__.__name__)
            return _refused(request, error)
        except Exception:  # a provider's unusable answer (a JSON list, ...) is no 500
            logger.exception("Single sign-on with %s failed on the provider's answer", provider)
            return _refused(request, ProviderUnreachableError())
        if user is None:
            return _refused(request, SsoRefusedError())
        user.backend = BACKEND  # type: ignore[attr-defined]  # as django.contrib.auth.authenticate sets it
        self.user = user
        response: HttpResponse = self.login_success()
        return response

    @property
    def success_url(self) -> str:
        next_url = self.request.session.pop("oidc_login_next", None)
        return next_url or reverse("organisations:dashboard")


# --- The platform administration's pages --------------------------------------------------------------


@platform_admin_required
def providers(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = IdentityProvider.objects.select_related("organisation").prefetch_related("domains")
    return render(request, "sso/providers.html", {"providers": found})


def _saved(request: AuthenticatedHttpRequest, form: ProviderForm, provider: IdentityProvider | None) -> bool:
    data = form.cleaned_data
    if data["enabled"]:
        try:
            configuration(data["issuer"], fresh=True)
        except ProviderUnreachableError:
            form.add_error(
                "issuer",
                _("Roer could not read the provider's configuration at this address. Check the issuer URL."),
            )
            return False
    organisation = provider.organisation if provider is not None else data["organisation"]
    try:
        provider_save(
            by=request.user,
            organisation=organisation,
            provider=provider,
            issuer=data["issuer"],
            client_id=data["client_id"].strip(),
            client_secret=data["client_secret"],
            domains=data["domains"],
            manager_claim=data["manager_claim"].strip(),
            manager_value=data["manager_value"].strip(),
            enabled=data["enabled"],
        )
    except DomainTakenError as error:
        form.add_error("domains", error.message)
        return False
    messages.success(request, _("The single sign-on of %(name)s has been saved.") % {"name": organisation.name})
    return True


def _form_page(
    request: AuthenticatedHttpRequest, form: ProviderForm, provider: IdentityProvider | None
) -> HttpResponse:
    context = {"form": form, "provider": provider, "callback_url": request.build_absolute_uri(reverse("sso:callback"))}
    return render(request, "sso/provider_form.html", context, status=400 if form.errors else 200)


@platform_admin_required
def provider_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _saved(request, form, None):
        return redirect("platform:sso")
    return _form_page(request, form, None)


@platform_admin_required
def provider_edit(request: AuthenticatedHttpRequest, provider_id: int) -> HttpResponse:
    provider = IdentityProvider.objects.select_related("organisation").filter(pk=provider_id).first()
    if provider is None:
        raise Http404
    form = ProviderForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid() and _saved(request, form, provider):
        return redirect("platform:sso")
    return _form_page(request, form, provider)
