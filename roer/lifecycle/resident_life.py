"""The one owner of a residents' survey's life, on the pattern of `scan_life`.

A survey's stored state (planned -> open -> closed -> figures ready) changes here only, and every write
whose rule depends on it runs in `guarded`, which locks the survey's row and reads the state in the
same transaction: residents' submits and paper forms take it shared (FOR SHARE on PostgreSQL), every
other change exclusively after moving the stored state on by the calendar. Closing finds the last
bursts, then erases the network traces, and enqueues the figures in the same transaction.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.instruments.residents import ResidentsModule
from roer.lib.errors import DomainError
from roer.lifecycle.scan_life import ScanStateError
from roer.residents.answers import letter_code_claim, letter_codes_retire, resident_response_store
from roer.residents.bursts import bursts_detect, network_traces_remove
from roer.residents.figures import compute_resident_figures
from roer.residents.models import Burst, BurstStatus, Channel, ResidentFigures, ResidentSurvey
from roer.scans.models import CLOSED_STATES, Scan, ScanState

logger = logging.getLogger("roer.lifecycle")

NOT_CLOSED = (ScanState.PLANNED, ScanState.OPEN)
CLOSED = tuple(CLOSED_STATES)


class LetterCodeError(DomainError):
    """The code is unknown, or its letter was answered already."""


def _locked(survey_id: int, *, shared: bool) -> ResidentSurvey:
    if shared and connection.vendor == "postgresql":
        # The ORM offers only exclusive locks; residents' submits must not queue behind each other.
        query = f"SELECT * FROM {ResidentSurvey._meta.db_table} WHERE id = %s FOR SHARE"  # noqa: S608 - our table
        found = list(ResidentSurvey.objects.raw(query, [survey_id]))
        if not found:
            raise ResidentSurvey.DoesNotExist
        return found[0]
    return ResidentSurvey.objects.select_for_update().get(pk=survey_id)


@contextmanager
def guarded(survey: ResidentSurvey | int, *allowed: ScanState, shared: bool = False) -> Iterator[ResidentSurvey]:
    """A transaction holding the survey's row, entered only in one of the allowed states; raises
    ScanStateError (rolling back) in any other state."""
    survey_id = survey if isinstance(survey, int) else survey.pk
    with transaction.atomic():
        locked = _locked(survey_id, shared=shared)
        now = timezone.now()
        if not shared:
            _follow_clock(locked, now)
        state = locked.state_on(timezone.localdate(now))
        if state not in allowed:
            raise ScanStateError(state)
        yield locked


def _follow_clock(survey: ResidentSurvey, now: datetime.datetime) -> bool:
    due = survey.state_on(timezone.localdate(now))
    if due == survey.state:
        return False
    if due is ScanState.OPEN:
        survey.state = ScanState.OPEN
        survey.save(update_fields=["state"])
    elif due is ScanState.CLOSED:
        _close(survey, now)
    return True


def _close(survey: ResidentSurvey, now: datetime.datetime) -> None:
    bursts_detect(survey)
    network_traces_remove(survey)
    letter_codes_retire(survey)
    survey.state = ScanState.CLOSED
    survey.closed_at = survey.network_removed_at = now
    survey.save(update_fields=["state", "closed_at", "network_removed_at"])
    store_resident_figures.enqueue(survey.pk)
    logger.info("residents' survey %s closed", survey.slug)


def survey_create(*, scan: Scan, opens_on: datetime.date, closes_on: datetime.date, user: User) -> ResidentSurvey:
    """A residents' survey beside the scan (one per scan), with its own dates."""
    with transaction.atomic():
        locked = Scan.objects.select_for_update().get(pk=scan.pk)
        survey = ResidentSurvey(scan=locked, opens_on=opens_on, closes_on=closes_on, created_by=user)
        survey.full_clean()
        survey.save()
    return survey


def survey_edit(*, survey: ResidentSurvey, opens_on: datetime.date, closes_on: datetime.date) -> ResidentSurvey:
    """Move the dates of a survey that has not closed; the closing date never moves into the past, and
    an open survey keeps its opening date."""
    with guarded(survey, *NOT_CLOSED) as locked:
        if locked.state == ScanState.OPEN:
            opens_on = locked.opens_on
        if closes_on < timezone.localdate():
            raise DomainError(_("The closing date cannot be in the past."))
        locked.opens_on, locked.closes_on = opens_on, closes_on
        locked.full_clean()
        locked.save(update_fields=["opens_on", "closes_on"])
    return locked


def survey_close(*, survey: ResidentSurvey) -> ResidentSurvey:
    """Close by hand (closing a closed survey changes nothing)."""
    with guarded(survey, *NOT_CLOSED, *CLOSED) as locked:
        if locked.state in NOT_CLOSED:
            _close(locked, timezone.now())
    return locked


def surveys_follow_clock(now: datetime.datetime | None = None) -> int:
    """The minute job: open and close surveys by their dates, and look for bursts in open ones."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = ResidentSurvey.objects.filter(state=ScanState.PLANNED, opens_on__lte=today) | ResidentSurvey.objects.filter(
        state=ScanState.OPEN, closes_on__lt=today
    )
    changed = 0
    for survey_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = ResidentSurvey.objects.select_for_update().filter(pk=survey_id).first()
            if locked is not None and _follow_clock(locked, now):
                changed += 1
    for survey_id in ResidentSurvey.objects.filter(state=ScanState.OPEN).values_list("pk", flat=True):
        with transaction.atomic():
            locked = ResidentSurvey.objects.select_for_update().filter(pk=survey_id).first()
            if locked is not None:
                bursts_detect(locked)
    return changed


def resident_submit(
    *,
    survey: ResidentSurvey,
    module: ResidentsModule,
    channel: Channel,
    answers: dict[str, int | None],
    open_answers: dict[str, str],
    code: str = "",
    address: str = "",
    entered_by: User | None = None,
) -> None:
    """Store one resident's answers while the survey is open. A letter's answers need its unused code,
    claimed in the same transaction (LetterCodeError otherwise); a paper form is entered by a scan
    manager and audited (without its answers)."""
    with guarded(survey, ScanState.OPEN, shared=True) as locked:
        if channel is Channel.LETTER and not letter_code_claim(locked, code):
            raise LetterCodeError(_("This code is not known, or its questionnaire has been filled in already."))
        resident_response_store(
            survey=locked, module=module, channel=channel, answers=answers, open_answers=open_answers, address=address
        )
        if entered_by is not None:
            audit_record(
                user=entered_by,
                organisation=locked.scan.organisation,
                action=AuditAction.PAPER_FORM_ENTERED,
                subject=str(locked.scan),
            )


def burst_decide(*, burst: Burst, exclude: bool, user: User) -> Burst:
    """Leave a burst's answers out of the figures, or count them again; audited, nothing deleted. A
    survey whose figures are out gets them again in the background."""
    with guarded(burst.survey_id, *NOT_CLOSED, *CLOSED) as locked:
        fresh = Burst.objects.select_for_update().get(pk=burst.pk)
        fresh.status = BurstStatus.EXCLUDED if exclude else BurstStatus.KEPT
        fresh.decided_by, fresh.decided_at = user, timezone.now()
        fresh.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            user=user,
            organisation=locked.scan.organisation,
            action=AuditAction.BURST_EXCLUDED if exclude else AuditAction.BURST_INCLUDED,
            subject=f"{locked.scan}: {fresh.responses} answers, {timezone.localtime(fresh.window_start):%d-%m %H:%M}",
        )
        if locked.state in CLOSED:
            store_resident_figures.enqueue(locked.pk)
    return fresh


@task()
def store_resident_figures(survey_id: int) -> bool:
    """Compute a closed survey's figures and store them (again, after a burst decision): safe to run twice."""
    survey = ResidentSurvey.objects.select_related("scan__instrument_version").filter(pk=survey_id).first()
    if survey is None or survey.state not in CLOSED:
        return False
    module = survey.scan.instrument_version.parsed.residents
    if module is None:
        return False
    data = compute_resident_figures(survey, module)
    try:
        with guarded(survey_id, *CLOSED) as locked:
            ResidentFigures.objects.update_or_create(survey=locked, defaults={"data": data})
            if locked.state != ScanState.FIGURES_READY:
                locked.state = ScanState.FIGURES_READY
                locked.save(update_fields=["state"])
    except ResidentSurvey.DoesNotExist:
        return False
    return True
