from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from roer.accounts.http import AuthenticatedHttpRequest
from roer.results import presentation
from roer.results.selectors import scan_results
from roer.scans.selectors import get_scan_for_user


@login_required
def results(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    access = get_scan_for_user(request.user, scan_code)
    scan = access.scan
    context: dict = {"scan": scan, "organisation": scan.organisation, "can_manage": access.can_manage}
    if not scan.is_closed:
        # Figures that change with every new answer would let a reader isolate one person by comparing
        # two moments, so results only appear once the scan is closed.
        return render(request, "results/not_yet.html", context)
    language = get_language() or "nl"
    outcome = scan_results(scan)
    context.update(
        results=outcome,
        columns=presentation.columns(outcome),
        rows=presentation.rows(outcome, language),
        chart=presentation.self_versus_others_chart(outcome, language),
        language=language,
    )
    return render(request, "results/results.html", context)
