"""An organisation's action plan on one A4 page, for the directors' table: the HTML its PDF is made from,
and the fingerprint that tells whether a stored PDF still shows the plan as it is.

The fingerprint covers everything the page shows: every action's shown fields (its owner's name too), the
count and latest date of its progress notes, the published scans its re-measure is worked out from (their
figures' `computed_at`), the focus chosen after them, the instrument the labels come from, the
organisation's name, the language and the day (the page is dated, and an action becomes overdue by the
calendar alone). Any change gives a new fingerprint, so a stale plan is never served."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation

from roer.instruments.models import InstrumentVersion
from roer.instruments.schema import InstrumentDefinition
from roer.lib.charts.shares import share_bars
from roer.organisations.models import Organisation
from roer.plans import selectors
from roer.plans.models import Action, ActionStatus, FocusDimension
from roer.results.presentation import label_of
from roer.scans.models import Scan

# Raised when the page's layout or content changes, so every stored plan PDF is rendered anew.
PLAN_FORMAT = 1

# What fits on one A4 page with the focus and the balance above it, at worst (long titles, every action
# with a re-measure sentence): the rest is counted, not shown, and a title is cut after TITLE_LENGTH.
PLAN_ROWS = 12
TITLE_LENGTH = 90
# Open actions first: they are what the directors' table talks about.
SHOWN_ORDER = (ActionStatus.IN_PROGRESS, ActionStatus.PLANNED, ActionStatus.DONE, ActionStatus.STOPPED)


def plan_fingerprint(organisation: Organisation, language: str) -> str:
    actions = list(
        Action.objects.filter(organisation=organisation)
        .annotate(note_count=Count("notes"), last_note_on=Max("notes__written_on"))
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "dimension_code",
            "investment",
            "status",
            "due_on",
            "budget_euros",
            "baseline_scan_id",
            "instrument_code",
            "owner__email",
            "owner__full_name",
            "note_count",
            "last_note_on",
        )
    )
    scans = list(
        Scan.objects.with_figures()
        .filter(organisation=organisation)
        .order_by("pk")
        .values_list(
            "pk", "title", "closes_on", "created_at", "figures__computed_at", "instrument_version__content_hash"
        )
    )
    focus = sorted(
        FocusDimension.objects.filter(scan__organisation=organisation).values_list(
            "scan_id", "position", "dimension_code"
        )
    )
    instrument = None if scans else _newest_version_hash()
    inputs = [
        PLAN_FORMAT,
        language,
        str(timezone.localdate()),
        organisation.pk,
        organisation.name,
        actions,
        scans,
        focus,
        instrument,
    ]
    return hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()


def _newest_version_hash() -> str | None:
    return InstrumentVersion.objects.order_by("-number").values_list("content_hash", flat=True).first()


def _definition(latest: Scan | None) -> InstrumentDefinition | None:
    """The instrument the plan speaks of: the latest published scan's, or the newest loaded one."""
    if latest is not None:
        return latest.instrument_version.parsed
    version = InstrumentVersion.objects.order_by("-number").first()
    return version.parsed if version else None


def plan_context(organisation: Organisation, language: str, today: datetime.date) -> dict[str, Any]:
    latest = selectors.latest_published(organisation)
    definition = _definition(latest)
    labels = (
        {dimension.code: label_of(definition, dimension.code, language) for _p, dimension in definition.dimensions()}
        if definition
        else {}
    )
    planned = selectors.planned_actions(organisation, today)
    balance = selectors.balance_of([item.action for item in planned])
    ordered = sorted(planned, key=lambda item: SHOWN_ORDER.index(ActionStatus(item.action.status)))
    shown = ordered[:PLAN_ROWS]
    groups = []
    for status in SHOWN_ORDER:
        items = [
            (item, labels.get(item.action.dimension_code, item.action.dimension_code))
            for item in shown
            if item.action.status == status
        ]
        if items:
            groups.append((status, sum(item.action.status == status for item in planned), items))
    return {
        "organisation": organisation,
        "today": today,
        "latest": latest,
        "focus": [labels.get(code, code) for code in selectors.focus_codes(latest)] if latest else [],
        "groups": groups,
        "total": len(planned),
        "not_shown": len(ordered) - len(shown),
        "title_length": TITLE_LENGTH,
        "balance": balance,
        "balance_chart": share_bars([(row.label, row.actions) for row in balance]),
    }


def plan_html(organisation: Organisation, language: str, *, for_pdf: bool) -> str:
    """The plan on one page in the given language, rendered without a request (in a background task)."""
    with translation.override(language):
        context = plan_context(organisation, language, timezone.localdate())
        context["for_pdf"] = for_pdf
        return render_to_string("reports/plan.html", context)
