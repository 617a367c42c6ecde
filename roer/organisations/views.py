from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from roer.accounts.http import AuthenticatedHttpRequest
from roer.organisations.access import get_organisation_for_user, organisations_for_user
from roer.organisations.models import Membership, Role
from roer.scans.selectors import scans_with_counts


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The portfolio: every organisation the user belongs to, which for a consultant can be many."""
    organisations = list(organisations_for_user(request.user).annotate(scan_count=Count("scans")).order_by("name"))
    roles = dict(Membership.objects.filter(user=request.user).values_list("organisation_id", "role"))
    rows = [(organisation, Role(roles.get(organisation.pk, Role.BEHEERDER)).label) for organisation in organisations]
    return render(request, "organisations/dashboard.html", {"rows": rows})


@login_required
def organisation_detail(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    access = get_organisation_for_user(request.user, organisation_code)
    organisation = access.organisation
    scans = scans_with_counts(organisation.scans.all())
    return render(
        request,
        "organisations/organisation_detail.html",
        {"organisation": organisation, "scans": scans, "can_manage": access.can_manage, "role": access.role},
    )
