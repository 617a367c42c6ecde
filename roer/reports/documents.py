"""Which stored report PDF belongs to a scan as it is now.

A PDF is rendered once for one fingerprint of everything it shows: the scan's figures and state, its
title and foreword, the organisation's name, the peers it is compared with, the earlier scans its
progress is measured against, the open answers as published (full report), the residents' survey (its
dates, state and figures, and its open answers as published), and the instrument. The same
fingerprint finds the stored file; any change gives a new fingerprint, so a stale PDF is never served.
The peers count by their scores, not by when the benchmarks were last rebuilt: the nightly rebuild, or
another organisation's close that does not change this organisation's peer groups, leaves its PDFs as
they are."""

from __future__ import annotations

import hashlib
import json

from roer.plans.models import Action
from roer.residents.models import ResidentOpenAnswer, ResidentSurvey
from roer.responses.models import OpenAnswer, OpenAnswerStatus
from roer.results.benchmarks import peer_groups_of
from roer.results.models import PeerGroupScores, ScanFigures
from roer.scans.models import Scan

# Raised when the report's layout or content changes, so every stored PDF is rendered anew.
REPORT_FORMAT = 6


def report_fingerprint(scan: Scan, kind: str, language: str) -> str:
    # the residents' survey in the same query as the scan's figures: a PDF served from storage makes no more
    found = (
        ScanFigures.objects.filter(scan=scan)
        .values_list(
            "computed_at",
            "scan__resident_survey__pk",
            "scan__resident_survey__state",
            "scan__resident_survey__opens_on",
            "scan__resident_survey__closes_on",
            "scan__resident_survey__figures__computed_at",
        )
        .first()
    )
    figures_at, survey_id, state, opens_on, closes_on, resident_figures_at = found or (None,) * 6
    survey = None
    if survey_id and opens_on and closes_on:  # the state as the report shows it: moved on by the calendar
        shown = ResidentSurvey(state=str(state), opens_on=opens_on, closes_on=closes_on).current_state
        survey = [survey_id, shown, opens_on, closes_on, resident_figures_at]
    peers = None
    organisation = scan.organisation
    if organisation.benchmark_opt_in:
        rows = PeerGroupScores.objects.filter(
            instrument_version_id=scan.instrument_version_id, peer_group__in=peer_groups_of(organisation)
        ).values_list("peer_group", "code", "entries")
        peers = sorted(
            (group, code, [score for org, score in entries if org != organisation.pk]) for group, code, entries in rows
        )
    history = list(  # the full report names the earlier scans its progress is measured against
        Scan.objects.with_figures()
        .filter(organisation_id=scan.organisation_id, closes_on__lte=scan.closes_on)
        .order_by("pk")
        .values_list("pk", "title", "closes_on")
    )
    published = (  # the full report prints the open answers (scan's and residents') as the review published them
        sorted(
            OpenAnswer.objects.filter(scan=scan, status=OpenAnswerStatus.PUBLISHED)
            .values_list("handle", "published_text")
            .union(
                ResidentOpenAnswer.objects.filter(survey_id=survey_id, status="published").values_list(
                    "handle", "published_text"
                ),
                all=True,
            )
        )
        if kind == "full"
        else None
    )
    inputs = [
        REPORT_FORMAT,
        kind,
        language,
        scan.pk,
        scan.state,
        scan.title,
        scan.report_foreword,
        scan.organisation.name,
        scan.organisation.primary_colour,  # the organisation's look is on every page
        str(scan.organisation.logo_updated_at),
        scan.instrument_version.content_hash,
        str(figures_at),
        peers,
        history,
        published,
        survey,
        # both reports show how the plan's actions moved at this scan: their titles, dimensions, states
        sorted(
            Action.objects.filter(organisation_id=scan.organisation_id).values_list(
                "pk", "title", "dimension_code", "status", "baseline_scan_id"
            )
        ),
    ]
    return hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()
