"""The review of open answers, for the scan's managers once the scan is closed (roer.lifecycle.reviewing).

A scan with a residents' survey has a second tab (`?tab=residents`) for the residents' open answers,
reviewable once the survey has closed, whatever the scan's own state; the decisions post to the same
addresses with the tab in the form.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

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
from roer.instruments.residents import ResidentOpenQuestion
from roer.lib.screening import REDACTION_MARKER
from roer.lifecycle.reviewing import Decision, ReviewError, open_answer_decide, open_answers_publish_unflagged
from roer.lifecycle.scan_life import ScanStateError
from roer.residents.models import ResidentSurvey
from roer.residents.selectors import get_survey_for_user
from roer.results.review import (
    ReviewItem,
    Shown,
    resident_answer_counts,
    resident_open_answer_threshold,
    resident_review_items,
    review_counts,
    review_items,
    shown_items,
)
from roer.scans.models import Scan

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


class Tab(StrEnum):
    SCAN = "scan"
    RESIDENTS = "residents"


@dataclass(frozen=True)
class _Review:
    scan: Scan
    survey: ResidentSurvey | None  # the scan's residents' survey, if it has one
    tab: Tab

    @property
    def residents(self) -> bool:
        return self.tab is Tab.RESIDENTS

    @property
    def open(self) -> bool:
        """Whether this tab's answers can be read: nothing is read while answers can still come in."""
        if self.residents:
            return self.survey is not None and self.survey.is_closed
        return self.scan.is_closed

    @property
    def tabs(self) -> list[Tab]:
        """The tabs to offer: the scan's own answers once it is closed, the residents' with a survey."""
        tabs = [Tab.SCAN] if self.scan.is_closed else []
        if self.survey is not None:
            tabs.append(Tab.RESIDENTS)
        return tabs

    def items(self) -> list[ReviewItem]:
        if not self.open:
            return []
        return (
            resident_review_items(self.survey)
            if self.survey is not None and self.residents
            else review_items(self.scan)
        )


def _tab(value: str | None) -> Tab:
    try:
        return Tab(value or Tab.SCAN)
    except ValueError:
        return Tab.SCAN


def _review(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, tab: Tab) -> _Review:
    """The scan for one of its managers (404 for outsiders, 403 for its readers), with the tab asked for:
    the scan's own answers once it is closed, the residents' whenever the scan has a residents' survey."""
    access = get_survey_for_user(request.user, scan_code, manage=True)
    review = _Review(access.scan, access.survey, tab)
    if review.residents and (access.survey is None or access.module is None):
        raise Http404
    if not review.residents and not review.open:
        raise Http404
    return review


def _back(review: _Review, shown: str, page: str) -> str:
    return f"{reverse('scans:open_answers', args=[review.scan.code])}?tab={review.tab}&show={shown}&page={page}"


def _too_few(review: _Review) -> list[ResidentOpenQuestion]:
    """The residents' questions too few residents answered for anyone to read their answers."""
    module = review.scan.instrument_version.parsed.residents
    if not review.residents or not review.open or review.survey is None or module is None:
        return []
    counts, threshold = resident_answer_counts(review.survey), resident_open_answer_threshold()
    return [question for question in module.open_questions if counts.get(question.code, 0) < threshold]


@never_cache
@login_required
def open_answer_review(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    review = _review(request, scan_code, _tab(request.GET.get("tab")))
    try:
        shown = Shown(request.GET.get("show", Shown.PENDING))
    except ValueError:
        shown = Shown.PENDING
    items = review.items()
    page = Paginator(shown_items(items, shown), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "scan": review.scan,
        "organisation": review.scan.organisation,
        "review": review,
        "page": page,
        "shown": shown.value,
        "query": f"tab={review.tab}&show={shown}&",
        "filters": [(choice.value, _FILTERS[choice]) for choice in Shown],
        "counts": review_counts(items),
        "redacted": REDACTION_MARKER,
        "too_few": _too_few(review),
        "resident_threshold": resident_open_answer_threshold(),
    }
    return render(request, "scans/open_answers.html", context)


@login_required
@require_POST
def open_answer_decision(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    review = _review(request, scan_code, _tab(request.POST.get("tab")))
    back = _back(review, request.POST.get("show", Shown.PENDING), request.POST.get("page", "1"))
    try:
        decision = Decision(request.POST.get("decision", ""))
    except ValueError:
        messages.error(request, _("Choose whether to publish, shorten or hide the answer."))
        return redirect(back)
    handle = request.POST.get("handle", "")
    try:
        open_answer_decide(
            scan=review.scan,
            user=request.user,
            handle=handle,
            decision=decision,
            text=request.POST.get("text", ""),
            residents=review.residents,
        )
    except (ReviewError, ScanStateError) as refused:
        messages.error(request, str(refused))
        return redirect(f"{back}#answer-{handle}")
    messages.success(request, _DONE[decision])
    return redirect(back)


@login_required
@require_POST
def open_answers_publish(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    review = _review(request, scan_code, _tab(request.POST.get("tab")))
    try:
        count = open_answers_publish_unflagged(scan=review.scan, user=request.user, residents=review.residents)
    except (ReviewError, ScanStateError) as refused:
        messages.error(request, str(refused))
    else:
        text = ngettext(
            "%(count)s answer in which nothing was found is published as written.",
            "%(count)s answers in which nothing was found are published as written.",
            count,
        )
        messages.success(request, text % {"count": count})
    return redirect(_back(review, Shown.PENDING, "1"))
