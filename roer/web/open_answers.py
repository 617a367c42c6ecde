"""The review of open answers, for the scan's managers once the scan is closed (roer.lifecycle.reviewing)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from roer.accounts.http import AuthenticatedHttpRequest
from roer.lib.screening import REDACTION_MARKER
from roer.lifecycle.reviewing import Decision, ReviewError, open_answer_decide, open_answers_publish_unflagged
from roer.lifecycle.scan_life import ScanStateError
from roer.results.review import Shown, review_counts, review_items, shown_items
from roer.scans.models import Scan
from roer.scans.selectors import get_scan_for_user

PER_PAGE = 25

_DONE = {
    Decision.PUBLISH: gettext_lazy("The answer is published as written."),
    Decision.REDACT: gettext_lazy("The answer is published with the marked parts taken out."),
    Decision.HIDE: gettext_lazy("The answer is hidden: no reader, report or export shows it."),
    Decision.WITHDRAW: gettext_lazy("The answer is waiting for review again; readers no longer see it."),
}


_FILTERS = {
    Shown.PENDING: gettext_lazy("Waiting for review"),
    Shown.FLAGGED: gettext_lazy("Waiting, with something found"),
    Shown.PUBLISHED: gettext_lazy("Published"),
    Shown.HIDDEN: gettext_lazy("Hidden"),
    Shown.ALL: gettext_lazy("All"),
}


def _closed_scan(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> Scan:
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    if not scan.is_closed:  # nothing is read while answers can still come in
        raise Http404
    return scan


def _back(scan: Scan, shown: str, page: str) -> str:
    return f"{reverse('scans:open_answers', args=[scan.code])}?show={shown}&page={page}"


@never_cache
@login_required
def open_answer_review(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    scan = _closed_scan(request, scan_code)
    try:
        shown = Shown(request.GET.get("show", Shown.PENDING))
    except ValueError:
        shown = Shown.PENDING
    items = review_items(scan)
    page = Paginator(shown_items(items, shown), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "scan": scan,
        "organisation": scan.organisation,
        "page": page,
        "shown": shown.value,
        "filters": [(choice.value, _FILTERS[choice]) for choice in Shown],
        "counts": review_counts(items),
        "redacted": REDACTION_MARKER,
    }
    return render(request, "scans/open_answers.html", context)


@login_required
@require_POST
def open_answer_decision(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    scan = _closed_scan(request, scan_code)
    back = _back(scan, request.POST.get("show", Shown.PENDING), request.POST.get("page", "1"))
    try:
        decision = Decision(request.POST.get("decision", ""))
    except ValueError:
        messages.error(request, _("Choose whether to publish, shorten or hide the answer."))
        return redirect(back)
    handle = request.POST.get("handle", "")
    try:
        open_answer_decide(
            scan=scan, user=request.user, handle=handle, decision=decision, text=request.POST.get("text", "")
        )
    except (ReviewError, ScanStateError) as refused:
        messages.error(request, str(refused))
        return redirect(f"{back}#answer-{handle}")
    messages.success(request, _DONE[decision])
    return redirect(back)


@login_required
@require_POST
def open_answers_publish(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    scan = _closed_scan(request, scan_code)
    try:
        count = open_answers_publish_unflagged(scan=scan, user=request.user)
    except ScanStateError as refused:
        messages.error(request, str(refused))
    else:
        text = ngettext(
            "%(count)s answer in which nothing was found is published as written.",
            "%(count)s answers in which nothing was found are published as written.",
            count,
        )
        messages.success(request, text % {"count": count})
    return redirect(_back(scan, Shown.PENDING, "1"))
