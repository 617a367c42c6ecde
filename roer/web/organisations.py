from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from roer.accounts.http import AuthenticatedHttpRequest
from roer.lifecycle.organisations import organisation_benchmark_set, organisation_look_set
from roer.lifecycle.queue import failed_task_count
from roer.organisations.access import get_organisation_for_user, is_platform_admin, organisations_for_user
from roer.organisations.forms import LookForm
from roer.organisations.look import look_css
from roer.organisations.models import Membership, Organisation, OrganisationLogo, Role
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


@login_required
def organisation_look(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    """The organisation's logo and colour on its questionnaires, e-mails and reports."""
    organisation = get_organisation_for_user(request.user, organisation_code, manage=True).organisation
    form = LookForm(
        request.POST or None, request.FILES or None, initial={"primary_colour": organisation.primary_colour}
    )
    if request.method == "POST" and form.is_valid():
        organisation_look_set(
            organisation=organisation,
            user=request.user,
            colour=form.cleaned_data["primary_colour"],
            logo=form.cleaned_data["logo"],
            remove_logo=form.cleaned_data["remove_logo"],
        )
        messages.success(request, _("The look is saved. Questionnaires show it at their next page."))
        return redirect("organisations:look", organisation.code)
    return render(request, "organisations/look.html", {"organisation": organisation, "form": form})


# The logo and the colour are public: a respondent's questionnaire shows them without a log-in, and
# neither says more than the organisation's own website. Both are cached until the look changes (the
# address carries the time of the change).
_PUBLIC_CACHE = "public, max-age=86400"


@require_GET
def organisation_logo(request: HttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    logo = get_object_or_404(OrganisationLogo, organisation__code=organisation_code)
    response = HttpResponse(bytes(logo.png), content_type="image/png")
    response["Cache-Control"] = _PUBLIC_CACHE
    return response


@require_GET
def organisation_look_css(request: HttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    organisation = Organisation.objects.filter(code=organisation_code).only("primary_colour").first()
    if organisation is None:
        raise Http404
    response = HttpResponse(look_css(organisation), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = _PUBLIC_CACHE
    return response
