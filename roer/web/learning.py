"""Learning from other organisations: an organisation's offers to share experience, the consent its
contact persons give, the peers it can call about its focus, and the case library with its moderation.

Every page goes through the access funnel: an organisation's page, offers and unpublished cases only
for its members (outsiders get 404), writes for its scan managers (403 for readers), consent only by the
contact person, moderation only by the platform administrator."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roer.accounts.http import AuthenticatedHttpRequest
from roer.accounts.models import User
from roer.learning import services
from roer.learning.dimensions import dimension_choices, dimension_names, newest_versions
from roer.learning.forms import CaseForm, CaseSearchForm, OfferForm, RejectForm
from roer.learning.models import Case
from roer.learning.selectors import (
    MAX_PEERS,
    cases_of,
    check_moderator,
    get_case_for_user,
    get_offer_for_user,
    moderation_queue,
    offers_of,
    peers_for,
    published_cases,
)
from roer.lib.errors import DomainError
from roer.organisations.access import OrganisationAccess, get_organisation_for_user, is_platform_admin
from roer.organisations.models import MANAGING_ROLES, Organisation

CASES_PER_PAGE = 20


def _members(organisation: Organisation) -> Any:
    return User.objects.filter(memberships__organisation=organisation, is_active=True).order_by("full_name", "email")


def _learning_page(
    request: AuthenticatedHttpRequest, access: OrganisationAccess, form: OfferForm | None = None, status: int = 200
) -> HttpResponse:
    organisation = access.organisation
    names = dimension_names(newest_versions(organisation.pk))
    offers = offers_of(organisation)
    offered = {offer.dimension_code for offer in offers}
    if form is None and access.can_manage:
        open_dimensions = [(code, name) for code, name in names.items() if code not in offered]
        form = OfferForm(dimensions=open_dimensions, members=_members(organisation))
    context = {
        "organisation": organisation,
        "can_manage": access.can_manage,
        "offers": [(offer, names.get(offer.dimension_code, offer.dimension_code)) for offer in offers],
        "to_consent": [
            (offer, names.get(offer.dimension_code, offer.dimension_code))
            for offer in offers
            if offer.contact_id == request.user.pk and offer.consented_at is None
        ],
        "overview": peers_for(organisation),
        "cases": cases_of(organisation),
        "form": form,
        "max_peers": MAX_PEERS,
    }
    return render(request, "learning/learning.html", context, status=status)


@login_required
def learning_page(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    return _learning_page(request, get_organisation_for_user(request.user, organisation_code))


@login_required
@require_POST
def offer_create(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    access = get_organisation_for_user(request.user, organisation_code, manage=True)
    organisation = access.organisation
    form = OfferForm(
        request.POST, dimensions=dimension_choices(newest_versions(organisation.pk)), members=_members(organisation)
    )
    if form.is_valid():
        try:
            offer = services.offer_make(
                organisation=organisation,
                dimension_code=form.cleaned_data["dimension"],
                contact=form.cleaned_data["contact"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if offer.contact_id == request.user.pk:
                messages.success(request, _("The offer has been made. Agree below to be named as its contact person."))
            else:
                messages.success(
                    request,
                    _("The offer has been made. It shows to others once %(name)s agrees on this page.")
                    % {"name": offer.contact.full_name or offer.contact.email},
                )
            return redirect("learning:organisation", organisation.code)
    return _learning_page(request, access, form, status=400)


@login_required
@require_POST
def offer_consent(request: AuthenticatedHttpRequest, offer_id: int) -> HttpResponse:
    access = get_offer_for_user(request.user, offer_id)
    if not access.is_contact:
        raise PermissionDenied
    try:
        services.offer_consent(offer=access.offer, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Thank you. Similar organisations that share their experience too can now see your name and "
                "e-mail address with this dimension."
            ),
        )
    return redirect("learning:organisation", access.offer.organisation.code)


@login_required
@require_POST
def offer_withdraw(request: AuthenticatedHttpRequest, offer_id: int) -> HttpResponse:
    """Withdraw an offer: its scan managers and its contact person may."""
    access = get_offer_for_user(request.user, offer_id)
    if not (access.role in MANAGING_ROLES or access.is_contact):
        raise PermissionDenied
    try:
        services.offer_withdraw(offer=access.offer, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The offer has been withdrawn. Nobody sees it any more."))
    return redirect("learning:organisation", access.offer.organisation.code)


@login_required
def case_library(request: AuthenticatedHttpRequest) -> HttpResponse:
    choices = dimension_choices(newest_versions())
    form = CaseSearchForm(request.GET or None, dimensions=choices)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = published_cases(
        text=filters.get("q", ""), dimension=filters.get("dimension", ""), investment=filters.get("investment", "")
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    names = dict(choices)
    query = urlencode({key: value for key, value in filters.items() if value})
    context = {
        "form": form,
        "page": page,
        "rows": [(case, [names.get(code, code) for code in case.dimension_codes]) for case in page.object_list],
        "searched": any(filters.values()),
        "query": f"{query}&" if query else "",
        "is_moderator": is_platform_admin(request.user),
    }
    return render(request, "learning/case_library.html", context)


@login_required
def case_detail(
    request: AuthenticatedHttpRequest, case_code: uuid.UUID, reject_form: RejectForm | None = None
) -> HttpResponse:
    access = get_case_for_user(request.user, case_code)
    case = access.case
    names = dimension_names(newest_versions())
    context = {
        "case": case,
        "organisation": case.organisation,
        "dimensions": [names.get(code, code) for code in case.dimension_codes],
        "can_manage": access.can_manage,
        "is_moderator": is_platform_admin(request.user),
        "reject_form": reject_form or RejectForm(),
    }
    return render(request, "learning/case_detail.html", context, status=400 if reject_form else 200)


def _case_form(request: AuthenticatedHttpRequest, organisation: Organisation, case: Case | None) -> HttpResponse:
    choices = dimension_choices(newest_versions(organisation.pk))
    if case is None:
        initial = {
            "contact_name": request.user.full_name,
            "contact_email": request.user.email,
            "language": "nl",
            "investment": "kennis",
        }
    else:
        initial = {
            field: getattr(case, field)
            for field in (
                "title",
                "what_they_did",
                "what_it_brought",
                "dimension_codes",
                "investment",
                "contact_name",
                "contact_email",
                "language",
            )
        }
    form = CaseForm(request.POST if request.method == "POST" else None, initial=initial, dimensions=choices)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            saved = services.case_save(
                organisation=organisation, user=request.user, case=case, submit=submit, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if submit:
                messages.success(request, _("The case has been sent to the moderator. You hear when it is published."))
            else:
                messages.success(request, _("The case has been saved as a draft."))
            return redirect("learning:case", saved.code)
    context = {"organisation": organisation, "case": case, "form": form}
    return render(request, "learning/case_form.html", context, status=400 if form.errors else 200)


@login_required
def case_create(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    access = get_organisation_for_user(request.user, organisation_code, manage=True)
    return _case_form(request, access.organisation, None)


@login_required
def case_edit(request: AuthenticatedHttpRequest, case_code: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request.user, case_code, manage=True).case
    if not case.is_editable:
        messages.error(request, _("A case waiting for moderation or published can no longer be changed."))
        return redirect("learning:case", case.code)
    return _case_form(request, case.organisation, case)


@login_required
def moderation(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_moderator(request.user)
    return render(request, "learning/moderation.html", {"cases": moderation_queue()})


@login_required
@require_POST
def case_moderate(request: AuthenticatedHttpRequest, case_code: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request.user, case_code).case
    check_moderator(request.user)
    decision = request.POST.get("decision")
    try:
        if decision == "publish":
            services.case_publish(case=case, user=request.user)
            messages.success(request, _("The case has been published in the case library."))
        elif decision == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():  # the page again, with the note as typed and what is wrong with it
                return case_detail(request, case.code, reject_form=form)
            services.case_reject(case=case, user=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("The case has been sent back with your note."))
        else:
            messages.error(request, _("Choose whether to publish the case or send it back."))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("learning:case", case.code)
    return redirect(reverse("learning:moderation"))
