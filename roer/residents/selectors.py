"""Reads for residents' surveys, each checking who may see what."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.http import Http404

from roer.accounts.models import User
from roer.instruments.residents import ResidentsModule
from roer.organisations.access import check_access
from roer.residents.models import Channel, ResidentResponse, ResidentSurvey
from roer.scans.models import Scan


@dataclass(frozen=True)
class SurveyAccess:
    scan: Scan
    survey: ResidentSurvey | None
    module: ResidentsModule | None
    role: str


def get_survey_for_user(user: User | AnonymousUser, scan_code: uuid.UUID, *, manage: bool = False) -> SurveyAccess:
    """The scan (by its code) and its residents' survey, if any, for a member of its organisation (a scan
    manager when `manage`); 404 for everyone else, so nobody learns that a scan exists."""
    scan = Scan.objects.select_related("organisation", "instrument_version").filter(code=scan_code).first()
    if scan is None:
        raise Http404
    role = check_access(user, scan.organisation, manage=manage)
    survey = ResidentSurvey.objects.filter(scan=scan).first()
    if survey is not None:
        survey.scan = scan
    return SurveyAccess(scan, survey, scan.instrument_version.parsed.residents, role)


def get_public_survey(slug: str) -> tuple[ResidentSurvey, ResidentsModule]:
    """The survey behind a short link, for anyone (residents answer without logging in)."""
    survey = (
        ResidentSurvey.objects.select_related("scan__organisation", "scan__instrument_version")
        .filter(slug=slug.lower())
        .first()
    )
    module = survey.scan.instrument_version.parsed.residents if survey is not None else None
    if survey is None or module is None:
        raise Http404
    return survey, module


def responses_per_channel(survey: ResidentSurvey) -> dict[str, int]:
    """How many residents answered in each channel (counts only, as a response rate is)."""
    counts = dict.fromkeys(Channel.values, 0)
    rows = ResidentResponse.objects.filter(survey=survey).values("channel").annotate(n=Count("id")).order_by()
    counts.update({row["channel"]: row["n"] for row in rows})
    return counts
