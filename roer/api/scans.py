"""The organisation and its scans: groups, response rates, published figures, and adding invitees.

A key reaches its own organisation's scans only; a scan of another organisation is answered exactly as
a code that does not exist (404), so the API does not confirm that it exists."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from roer.api import schemas
from roer.api.auth import key_of
from roer.api.errors import ApiProblem, forbidden_write, not_found
from roer.api.keys import audit_read, audit_write
from roer.audit.models import AuditAction
from roer.lifecycle import editing
from roer.lifecycle.scan_life import NOT_CLOSED, ScanStateError
from roer.organisations.models import Organisation
from roer.reports.figures_file import figures_document
from roer.results.selectors import response_rates, scan_results, scans_with_counts
from roer.scans.invitees import GroupWords, LineProblem, _Collector
from roer.scans.models import RespondentGroup, Scan, ScanState
from roer.scans.selectors import invitation_counts

router = Router(tags=["scans"])

READ = {401: schemas.Problem, 404: schemas.Problem, 422: schemas.ValidationProblem, 429: schemas.Problem}
WRITE = {**READ, 400: schemas.Problem, 403: schemas.Problem, 409: schemas.Problem, 413: schemas.Problem}


class Page(Schema):
    limit: int = Field(50, ge=1, le=200, description="How many items at most (1 to 200).")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")


def _organisation_out(organisation: Organisation) -> dict[str, Any]:
    size = organisation.size_class
    return {
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind,
        "kind_label": organisation.get_kind_display(),
        "inhabitants": organisation.inhabitants,
        "size_class": {"number": size.number, "label": str(size.label)} if size else None,
        "benchmark_opt_in": organisation.benchmark_opt_in,
    }


def _scan_out(scan: Scan) -> dict[str, Any]:
    state = scan.current_state
    return {
        "code": scan.code,
        "title": scan.title,
        "state": state.value,
        "state_label": str(state.label),
        "opens_on": scan.opens_on,
        "closes_on": scan.closes_on,
        "instrument": {
            "code": scan.instrument_version.instrument.code,
            "version": scan.instrument_version.number,
        },
        "has_figures": scan.has_figures,
        "invited": getattr(scan, "invited", 0),
        "responded": getattr(scan, "responded", 0),
    }


def _scans(request: HttpRequest) -> QuerySet[Scan]:
    return Scan.objects.filter(organisation=key_of(request).organisation)


def scan_of(request: HttpRequest, code: uuid.UUID) -> Scan:
    """The key's own organisation's scan with this code; anything else is not found."""
    scan = (
        _scans(request)
        .select_related("organisation", "instrument_version__instrument")
        .prefetch_related("groups")
        .filter(code=code)
        .first()
    )
    if scan is None:
        raise not_found(_("This organisation has no scan with this code."))
    return scan


def _groups(scan: Scan) -> list[RespondentGroup]:
    return sorted(scan.groups.all(), key=lambda group: group.sort_key)


@router.get("/organisation", response={200: schemas.OrganisationOut, **READ}, tags=["organisation"])
def organisation(request: HttpRequest) -> dict[str, Any]:
    """The organisation the key belongs to."""
    return _organisation_out(key_of(request).organisation)


@router.get("/scans", response={200: schemas.ScanList, **READ})
def scan_list(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    """The organisation's scans, newest first, with how many were invited and answered."""
    scans = _scans(request)
    items = scans_with_counts(scans.order_by("-opens_on", "-created_at", "-pk"))[page.offset : page.offset + page.limit]
    return {"count": scans.count(), "items": [_scan_out(scan) for scan in items]}


@router.get("/scans/{code}", response={200: schemas.ScanOut, **READ})
def scan_detail(request: HttpRequest, code: uuid.UUID) -> dict[str, Any]:
    scan = scans_with_counts(_scans(request).filter(code=code)).first()
    if scan is None:
        raise not_found(_("This organisation has no scan with this code."))
    return _scan_out(scan)


@router.get("/scans/{code}/groups", response={200: list[schemas.GroupOut], **READ})
def scan_groups(request: HttpRequest, code: uuid.UUID) -> list[dict[str, Any]]:
    """The scan's respondent groups with their anonymity thresholds."""
    return [
        {
            "kind": group.kind,
            "label": group.label,
            "perspective": group.perspective,
            "threshold": group.threshold,
        }
        for group in _groups(scan_of(request, code))
    ]


@router.get("/scans/{code}/response-rates", response={200: schemas.ResponseRatesOut, **READ})
def scan_response_rates(request: HttpRequest, code: uuid.UUID) -> dict[str, Any]:
    """What the scan's page shows its scan managers: invited and answered per group, and how many
    invitations are still to be sent or answered. Never who answered."""
    scan = scan_of(request, code)
    rates = response_rates(scan, _groups(scan))
    counts = invitation_counts(scan)
    return {
        "groups": [
            {
                "kind": rate.group.kind,
                "label": rate.group.label,
                "invited": rate.invited,
                "responded": rate.responded,
                "rate": rate.rate,
                "threshold": rate.group.threshold,
            }
            for rate in rates
        ],
        "total_invited": sum(rate.invited for rate in rates),
        "total_responded": sum(rate.responded for rate in rates),
        "not_sent": counts["not_sent"] or 0,
        "waiting": counts["waiting"] or 0,
    }


def _not_ready(scan: Scan) -> ApiProblem:
    state = scan.current_state
    if state is ScanState.CANCELLED:
        return ApiProblem(409, _("This scan has been cancelled; it has no figures."))
    if state is ScanState.CLOSED:
        return ApiProblem(409, _("This scan is closed and its figures are being computed; try again in a few minutes."))
    return ApiProblem(409, _("Figures are published after the scan has closed."))


@router.get("/scans/{code}/figures", response={200: schemas.FiguresOut, 409: schemas.Problem, **READ})
def scan_figures(request: HttpRequest, code: uuid.UUID) -> dict[str, Any]:
    """The figures file: only what the disclosure rule publishes (each cell's n, sum and sum of squares;
    a hidden cell with its reason and no number). Never an answer of a respondent. Audited as a download."""
    scan = scan_of(request, code)
    if not scan.has_figures:
        raise _not_ready(scan)
    document = figures_document(scan_results(scan))
    audit_read(key_of(request), AuditAction.EXPORT_DOWNLOADED, f"{scan.title}: figures.json")
    return document


def _line_text(invitation: schemas.InvitationIn) -> str:
    return ", ".join(part for part in (invitation.email, invitation.group, invitation.language or "") if part)


@router.post(
    "/scans/{code}/invitations",
    response={200: schemas.InvitationsOut, **WRITE},
    summary="Add invitees to a planned or open scan",
)
def scan_invitations_add(request: HttpRequest, code: uuid.UUID, body: schemas.InvitationsIn) -> dict[str, Any]:
    """Checked line by line as the product's import checks a list: each bad line is reported with its
    number and reason, the good ones are added; an address already invited in the same group is skipped.
    Refused (409) once the scan has closed."""
    key = key_of(request)
    if not key.can_write:
        raise forbidden_write()
    scan = scan_of(request, code)
    groups = _groups(scan)
    state = scan.current_state
    if state not in NOT_CLOSED or not groups:
        raise ApiProblem(409, ScanStateError(state).message)
    collector = _Collector(
        GroupWords.of(scan.instrument_version.parsed.respondent_groups(), (group.kind for group in groups))
    )
    for line, invitation in enumerate(body.invitations, start=1):
        collector.add(line, _line_text(invitation), invitation.email, invitation.group, invitation.language or "")
    parsed = collector.result
    try:
        with transaction.atomic():
            added = editing.invitees_add(
                scan=scan,
                invitees=parsed.invitees,
                default_group=groups[0],
                default_language=settings.LANGUAGE_CODE,
            )
            if added.added:
                audit_write(key, f"{scan.title}: {added.added} invitees added")
    except ScanStateError as refused:
        raise ApiProblem(409, refused.message) from refused
    problems: list[LineProblem] = sorted(parsed.problems + added.problems, key=lambda problem: problem.line)
    return {
        "added": added.added,
        "already_invited": added.already_invited,
        "duplicates": parsed.duplicates,
        "problems": [{"line": p.line, "text": p.text, "reason": p.reason} for p in problems],
    }
