"""An organisation's members and consultants. Every member sees who has access; only the organisation's
own scan managers (and platform administrators) invite, change roles, remove and grant consultants. An
outsider gets 404, a member without that right 403; a membership of another organisation is not found.

A new member chooses a password through Django's own reset view, at /account/set-password/."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roer.accounts.http import AuthenticatedHttpRequest
from roer.lib.addresses import site_url
from roer.lib.errors import DomainError
from roer.lifecycle import members as services
from roer.organisations.access import OrganisationAccess, get_organisation_for_user
from roer.organisations.member_forms import ConsultantGrantForm, MemberInviteForm, RoleForm
from roer.organisations.models import Membership, Role

INVITE_PREFIX, CONSULTANT_PREFIX = "invite", "consultant"


def _managing(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> OrganisationAccess:
    access = get_organisation_for_user(request.user, organisation_code)
    if not access.can_manage_members:
        raise PermissionDenied
    return access


def _membership(access: OrganisationAccess, membership_id: int, *, consultant: bool) -> Membership:
    """A membership of this organisation only, from the section it is managed in."""
    mine = Membership.objects.filter(organisation=access.organisation, pk=membership_id).select_related("user")
    found = (mine.filter(role=Role.ADVISEUR) if consultant else mine.exclude(role=Role.ADVISEUR)).first()
    if found is None:
        raise Http404
    return found


def _page(
    request: AuthenticatedHttpRequest,
    access: OrganisationAccess,
    *,
    invite_form: MemberInviteForm | None = None,
    consultant_form: ConsultantGrantForm | None = None,
) -> HttpResponse:
    organisation = access.organisation
    memberships = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "granted_by")
        .order_by("user__email")
    )
    invalid = bool((invite_form and invite_form.errors) or (consultant_form and consultant_form.errors))
    context = {
        "organisation": organisation,
        "can_manage_members": access.can_manage_members,
        "members": [m for m in memberships if m.role != Role.ADVISEUR],
        "consultants": [m for m in memberships if m.role == Role.ADVISEUR],
        "invite_form": invite_form or MemberInviteForm(prefix=INVITE_PREFIX),
        "consultant_form": consultant_form or ConsultantGrantForm(prefix=CONSULTANT_PREFIX),
        "member_roles": [(Role.BEHEERDER.value, Role.BEHEERDER.label), (Role.LEZER.value, Role.LEZER.label)],
        "invalid": invalid,
    }
    return render(request, "members/members.html", context, status=400 if invalid else 200)


@login_required
def members(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    return _page(request, get_organisation_for_user(request.user, organisation_code))


@login_required
@require_POST
def member_invite(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    access = _managing(request, organisation_code)
    form = MemberInviteForm(request.POST, prefix=INVITE_PREFIX)
    if form.is_valid():
        try:
            membership = services.member_invite(
                organisation=access.organisation,
                email=form.cleaned_data["email"],
                role=Role(form.cleaned_data["role"]),
                invited_by=request.user,
                base_url=site_url(request),
            )
        except DomainError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request, _("%(email)s has access now and gets an e-mail about it.") % {"email": membership.user.email}
            )
            return redirect("members:list", access.organisation.code)
    return _page(request, access, invite_form=form)


@login_required
@require_POST
def consultant_grant(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    access = _managing(request, organisation_code)
    form = ConsultantGrantForm(request.POST, prefix=CONSULTANT_PREFIX)
    if form.is_valid():
        try:
            membership = services.consultant_grant(
                organisation=access.organisation,
                email=form.cleaned_data["email"],
                granted_by=request.user,
                base_url=site_url(request),
            )
        except DomainError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                _("%(email)s has access as a consultant now and gets an e-mail about it.")
                % {"email": membership.user.email},
            )
            return redirect("members:list", access.organisation.code)
    return _page(request, access, consultant_form=form)


@login_required
@require_POST
def member_role(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, membership_id: int) -> HttpResponse:
    access = _managing(request, organisation_code)
    membership = _membership(access, membership_id, consultant=False)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose scan manager or reader."))
        return redirect("members:list", access.organisation.code)
    try:
        changed = services.member_role_change(
            membership=membership, role=Role(form.cleaned_data["role"]), changed_by=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(email)s is %(role)s now.") % {"email": changed.user.email, "role": Role(changed.role).label},
        )
    return redirect("members:list", access.organisation.code)


def _confirmed_removal(
    request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, membership_id: int, *, consultant: bool
) -> HttpResponse:
    access = _managing(request, organisation_code)
    membership = _membership(access, membership_id, consultant=consultant)
    if request.method != "POST":
        context = {"organisation": access.organisation, "membership": membership, "consultant": consultant}
        return render(request, "members/remove.html", context)
    try:
        if consultant:
            services.consultant_revoke(membership=membership, revoked_by=request.user)
        else:
            services.member_remove(membership=membership, removed_by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        text = _("%(email)s no longer has access.") % {"email": membership.user.email}
        messages.success(request, text)
        if membership.user_id == request.user.pk and not request.user.is_superuser:
            return redirect("organisations:dashboard")  # they removed themselves
    return redirect("members:list", access.organisation.code)


@login_required
def member_remove(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, membership_id: int) -> HttpResponse:
    return _confirmed_removal(request, organisation_code, membership_id, consultant=False)


@login_required
def consultant_revoke(
    request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, membership_id: int
) -> HttpResponse:
    return _confirmed_removal(request, organisation_code, membership_id, consultant=True)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """A new member's one-time link: Django checks the token (and that it dies with the password set)."""

    template_name = "members/set_password.html"
    success_url = reverse_lazy("set_password_done")


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "members/set_password_done.html"
