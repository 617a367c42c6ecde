from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roer.accounts.http import AuthenticatedHttpRequest
from roer.lifecycle.organisations import organisation_benchmark_set
from roer.lifecycle.queue import failed_task_count
from roer.organisations.access import get_organisation_for_user, is_platform_admin, organisations_for_user
from roer.organisations.models import Membership, Role
from roer.results.selectors import scans_with_counts
from roer.scans.portfolio import portfolio_shown
from roer.web.portfolio import remember_portfolio


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The portfolio: every organisation the user belongs to, which for a consultant can be many."""
    organisations = list(organisations_for_user(request.user).annotate(scan_count=Count("scans")).order_by("name"))
    roles = dict(Membership.objects.filter(user=request.user).values_list("organisation_id", "role"))
    rows = [(organisation, Role(roles.get(organisation.pk, Role.BEHEERDER)).label) for organisation in organisations]
    admin = is_platform_admin(request.user)
    # the header's link to the portfolio, from the roles just read (see roer/web/portfolio.py)
    remember_portfolio(
        request.session, portfolio_shown(Role.BEHEERDER if admin else roles.get(org.pk, "") for org in organisations)
    )
    failed = failed_task_count() if is_platform_admin(request.user) else 0
    return render(request, "organisations/dashboard.html", {"rows": rows, "failed_tasks": failed})


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


@login_required
@require_POST
def organisation_benchmark(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, organisation_code, manage=True).organisation
    taking_part = request.POST.get("taking_part") == "yes"
    organisation_benchmark_set(organisation=organisation, taking_part=taking_part)
    if taking_part:
        text = _(
            "%(name)s now takes part in the benchmark. Its scores join the comparison at tonight's update, "
            "for every organisation at once."
        )
    else:
        text = _("%(name)s no longer takes part in the benchmark. Its scores leave the comparison at tonight's update.")
    messages.success(request, text % {"name": organisation.name})
    return redirect("organisations:detail", organisation.code)
