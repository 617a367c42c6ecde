"""The organisation's API keys, for its own scan managers (and platform administrators): the list, a new
key (shown once, on the answer to the form that made it, and never again), and revoking one. A reader
gets 403, an outsider 404, like the members' page; a key of another organisation is not found."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from roer.accounts.http import AuthenticatedHttpRequest
from roer.api.forms import ApiKeyForm
from roer.api.keys import ApiKeyError, key_create, key_revoke, keys_of
from roer.api.models import ApiKey
from roer.organisations.access import OrganisationAccess, get_organisation_for_user


def _managing(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> OrganisationAccess:
    access = get_organisation_for_user(request.user, organisation_code)
    if not access.can_manage_members:
        raise PermissionDenied
    return access


def _page(request: AuthenticatedHttpRequest, access: OrganisationAccess, form: ApiKeyForm) -> HttpResponse:
    context = {
        "organisation": access.organisation,
        "keys": list(keys_of(access.organisation)),
        "form": form,
        "invalid": bool(form.errors),
    }
    return render(request, "api_keys/list.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def key_list(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    """GET: the keys; POST: make a key, and show it this once."""
    access = _managing(request, organisation_code)
    if request.method != "POST":
        return _page(request, access, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            made = key_create(
                organisation=access.organisation,
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except ApiKeyError as error:
            form.add_error(None, str(error))
        else:
            context = {"organisation": access.organisation, "key": made.key, "token": made.token}
            return render(request, "api_keys/created.html", context)
    return _page(request, access, form)


def _key(access: OrganisationAccess, key_id: int) -> ApiKey:
    key = keys_of(access.organisation).filter(pk=key_id).first()
    if key is None:
        raise Http404
    return key


@never_cache
@login_required
def key_revoke_page(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, key_id: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes the key at once."""
    access = _managing(request, organisation_code)
    key = _key(access, key_id)
    if request.method != "POST":
        return render(request, "api_keys/revoke.html", {"organisation": access.organisation, "key": key})
    key_revoke(key=key, user=request.user)
    messages.success(request, _("The key “%(name)s” has been revoked; it no longer works.") % {"name": key.name})
    return redirect("api_keys:list", access.organisation.code)
