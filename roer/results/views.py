from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from roer.accounts.http import AuthenticatedHttpRequest
from roer.results import presentation
from roer.results.open_answers import open_answers
from roer.results.selectors import ScanResults, scan_results
from roer.scans.selectors import get_scan_for_user


def results_context(results: ScanResults, language: str) -> dict:
    """Everything the results templates need; the report (issue: board report) reuses it."""
    definition = results.definition
    labels = {
        code: presentation.label_of(definition, code, language)
        for pillar in definition.pillars
        for code in (pillar.code, *(dimension.code for dimension in pillar.dimensions))
    }
    item_texts = {item.code: item.others_text.get(language) for item in definition.items()}
    item_dimension = {
        item.code: labels[dimension.code] for _p, dimension in definition.dimensions() for item in dimension.items
    }
    return {
        "results": results,
        "insight": results.insight,
        "definition": definition,
        "columns": presentation.columns(results.insight),
        "rows": presentation.rows(results, language),
        "chart": presentation.self_versus_others_chart(results, language),
        "gap_chart": presentation.gap_chart(results, language),
        "trend_chart": presentation.trend_chart(results, language),
        "developments": presentation.development_views(results, language),
        "labels": labels,
        "item_texts": item_texts,
        "item_dimension": item_dimension,
        "reverse_codes": definition.reverse_codes(),
        "pillar_codes": {pillar.code for pillar in definition.pillars},
        "language": language,
    }


OPEN_ANSWERS_PER_PAGE = 25


@login_required
def results(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    access = get_scan_for_user(request.user, scan_code)
    scan = access.scan
    context: dict = {"scan": scan, "organisation": scan.organisation, "can_manage": access.can_manage}
    if not scan.is_closed:
        # Figures that change with every new answer would let a reader isolate one person by comparing
        # two moments, so results only appear once the scan is closed.
        return render(request, "results/not_yet.html", context)
    context.update(results_context(scan_results(scan), get_language() or "nl"))
    context["open_answers"] = open_answers(scan, limit=OPEN_ANSWERS_PER_PAGE)
    context["open_answers_limit"] = OPEN_ANSWERS_PER_PAGE
    return render(request, "results/results.html", context)
