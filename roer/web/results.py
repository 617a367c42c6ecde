from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from roer.accounts.http import AuthenticatedHttpRequest
from roer.exchange.selectors import external_benchmark_for
from roer.plans.selectors import measured_at
from roer.results.context import residents_context, results_context
from roer.results.open_answers import open_answers
from roer.results.review import pending_count
from roer.results.selectors import scan_results
from roer.scans.selectors import get_scan_for_user

OPEN_ANSWERS_PER_PAGE = 25


@login_required
def results(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    access = get_scan_for_user(request.user, scan_code)
    scan = access.scan
    context: dict[str, object] = {"scan": scan, "organisation": scan.organisation, "can_manage": access.can_manage}
    if not scan.has_figures:
        # Figures that change with every new answer would let a reader isolate one person by comparing
        # two moments, so results only appear once the scan is closed and its figures are stored.
        context["state"] = scan.current_state.value
        return render(request, "results/not_yet.html", context)
    language = get_language() or "nl"
    results_ = scan_results(scan)
    context.update(results_context(results_, language))
    # imported figures of other installations, apart from the local benchmark (roer.exchange)
    context["external_benchmark"] = external_benchmark_for(scan, results_.benchmark)
    # ?residents=<channel> picks the channel the residents' section shows (together when unknown)
    channel = request.GET.get("residents", "")
    context.update(residents_context(results_, channel, language))
    context["open_answers"] = open_answers(scan, limit=OPEN_ANSWERS_PER_PAGE)
    context["open_answers_limit"] = OPEN_ANSWERS_PER_PAGE
    context["open_answers_pending"] = pending_count(scan)
    context["plan_actions"] = measured_at(scan)
    return render(request, "results/results.html", context)
