"""The directors' session: the presenter view (one key message per screen), the printable conversation
guide, and the choice of two or three focus dimensions that seeds the action plan.

Everything is built from the summary's data (roer.reports.session), so every slide obeys the disclosure
rule exactly as the summary does. Like the results page, these pages exist once a scan's figures are
published; before that they say so. They are `never_cache`: they hold a municipality's results.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from roer.accounts.http import AuthenticatedHttpRequest
from roer.instruments.selectors import conversation_of
from roer.lib.errors import DomainError
from roer.lifecycle.planning import focus_choose, focus_of
from roer.reports.messages import key_messages
from roer.reports.session import Session, session_for
from roer.residents.figures import TOGETHER
from roer.results.context import residents_context, results_context
from roer.results.selectors import ScanResults, scan_results
from roer.scans.models import Scan
from roer.scans.selectors import ScanAccess, get_scan_for_user


def _not_yet(request: AuthenticatedHttpRequest, access: ScanAccess) -> HttpResponse:
    scan = access.scan
    context = {
        "scan": scan,
        "organisation": scan.organisation,
        "can_manage": access.can_manage,
        "state": scan.current_state.value,
    }
    return render(request, "results/not_yet.html", context)


def _session_context(scan: Scan, access: ScanAccess) -> tuple[dict[str, Any], Session, ScanResults]:
    language = get_language() or "nl"
    results = scan_results(scan)
    messages_ = key_messages(results)
    session = session_for(results, messages_, conversation_of(scan.instrument_version), language)
    context: dict[str, Any] = results_context(results, language)
    context.update(residents_context(results, TOGETHER, language))
    context.update(
        scan=scan,
        organisation=scan.organisation,
        can_manage=access.can_manage,
        messages_=messages_,
        session=session,
    )
    return context, session, results


def _slide_number(request: AuthenticatedHttpRequest) -> int:
    try:
        return int(request.GET.get("slide", "1"))
    except ValueError:
        return 1


@never_cache
@login_required
def present(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    access = get_scan_for_user(request.user, scan_code)
    if not access.scan.has_figures:
        return _not_yet(request, access)
    context, session, _results = _session_context(access.scan, access)
    slide = session.slide(_slide_number(request))
    context.update(slide=slide, total=len(session.slides), last=session.slides[-1].number)
    return render(request, "session/present.html", context)


@never_cache
@login_required
def guide(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    access = get_scan_for_user(request.user, scan_code)
    if not access.scan.has_figures:
        return _not_yet(request, access)
    context, _session, _results = _session_context(access.scan, access)
    return render(request, "session/guide.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def focus(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """Members see the choice; scan managers make it. A refused choice shows why and stores nothing."""
    access = get_scan_for_user(request.user, scan_code, manage=request.method == "POST")
    scan = access.scan
    if not scan.has_figures:
        return _not_yet(request, access)
    error = None
    chosen = focus_of(scan)
    if request.method == "POST":
        codes = request.POST.getlist("dimensions")
        try:
            focus_choose(scan=scan, codes=codes, user=request.user)
        except DomainError as refusal:
            if not Scan.objects.filter(pk=scan.pk).exists():  # the scan went meanwhile: nothing left to show
                messages.error(request, refusal.message)
                return redirect("organisations:detail", scan.organisation.code)
            error, chosen = refusal.message, codes
        else:
            return redirect(reverse("plans:board", kwargs={"organisation_code": scan.organisation.code}))
    language = get_language() or "nl"
    results = scan_results(scan)
    context: dict[str, Any] = results_context(results, language)
    levels = {level.code: level for level in results.insight.dimension_levels}
    gaps = {gap.code: gap for gap in results.insight.gaps}
    dimensions = [
        (dimension.code, levels.get(dimension.code), gaps.get(dimension.code))
        for _pillar, dimension in results.definition.dimensions()
    ]
    context.update(
        scan=scan,
        organisation=scan.organisation,
        can_manage=access.can_manage,
        error=error,
        chosen=chosen,
        dimensions=dimensions,
        # the choice as recorded, in the order chosen
        chosen_rows=[row for code in chosen for row in dimensions if row[0] == code],
    )
    return render(request, "session/focus.html", context, status=400 if error else 200)
