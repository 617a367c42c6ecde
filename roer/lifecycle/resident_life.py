"""The one owner of a residents' survey's life, on the pattern of `scan_life`.

A survey's stored state (planned -> open -> closed -> figures ready) changes here only, and every write
whose rule depends on it runs in `guarded`, which locks the survey's row and reads the state in the
same transaction: residents' submits and paper forms take it shared (FOR SHARE on PostgreSQL), every
other change exclusively after moving the stored state on by the calendar. Closing finds the last
bursts, then erases the network traces, and enqueues the figures in the same transaction.

The figures are published once: the worker rewrites the survey's rows in a random order, then computes
and stores them under the survey's lock, but only when no burst waits for a decision. A burst can be
decided while the survey is open and after it closed, until the figures are published, and not after:
two publications that differ by a burst would give away what its members answered, however few.
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
from roer.lib.rows import rows_rewrite_shuffled, tables_vacuum
from roer.lifecycle.scan_life import ScanStateError
from roer.residents.answers import letter_code_claim, letter_codes_retire, resident_response_store
from roer.residents.bursts import bursts_detect, network_traces_remove
from roer.residents.figures import compute_resident_figures
from roer.residents.models import (
    Burst,
    BurstStatus,
    Channel,
    ResidentFigures,
    ResidentOpenAnswer,
    ResidentResponse,
    ResidentSurvey,
)
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
    """Leave a burst's answers out of the figures, or count them; audited (with the burst's day, never a
    time), nothing deleted. Refused (ScanStateError) once the figures are published. The last decision on
    a closed survey lets the worker publish its figures."""
    with guarded(burst.survey_id, *NOT_CLOSED, ScanState.CLOSED) as locked:
        fresh = Burst.objects.select_for_update().get(pk=burst.pk)
        fresh.status = BurstStatus.EXCLUDED if exclude else BurstStatus.KEPT
        fresh.decided_by, fresh.decided_at = user, timezone.now()
        fresh.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            user=user,
            organisation=locked.scan.organisation,
            action=AuditAction.BURST_EXCLUDED if exclude else AuditAction.BURST_INCLUDED,
            subject=f"{locked.scan}: {fresh.responses} answers on {timezone.localdate(fresh.window_start):%d-%m-%Y}",
        )
        if locked.state == ScanState.CLOSED:
            store_resident_figures.enqueue(locked.pk)
    return fresh


def bursts_waiting(survey: ResidentSurvey) -> int:
    return Burst.objects.filter(survey=survey, status=BurstStatus.SUSPECT).count()


@task()
def store_resident_figures(survey_id: int) -> bool:
    """Publish a closed survey's figures, once: rewrite its rows in a random order, then compute and store
    the figures in the same transaction, which holds the survey's row, so no burst decision comes between.
    Nothing is published while a burst waits for a decision (False; the decision runs this again). Safe
    to run twice: a survey with figures is left as it is."""
    survey = ResidentSurvey.objects.select_related("scan__instrument_version").filter(pk=survey_id).first()
    if survey is None or survey.state != ScanState.CLOSED:
        return False
    module = survey.scan.instrument_version.parsed.residents
    if module is None:
        return False
    try:
        with guarded(survey_id, ScanState.CLOSED) as locked:
            # The order of rows in the database's files and their transaction stamps follow the order of
            # submissions until they are written again together.
            rows_rewrite_shuffled(ResidentOpenAnswer, survey_id=locked.pk)
            rows_rewrite_shuffled(ResidentResponse, survey_id=locked.pk)
            waiting = bursts_waiting(locked)
            if not waiting:
                data = compute_resident_figures(locked, module)
                ResidentFigures.objects.update_or_create(survey=locked, defaults={"data": data})
                locked.state = ScanState.FIGURES_READY
                locked.save(update_fields=["state"])
    except (ResidentSurvey.DoesNotExist, ScanStateError):
        return False
    tables_vacuum(ResidentResponse, ResidentOpenAnswer, Burst)  # the erased networks' old row versions
    if waiting:
        logger.info("residents' survey %s: figures wait for %s burst decision(s)", survey.slug, waiting)
        return False
    return True
