"""The one owner of a scan's life.

A scan's state is stored (`Scan.state`) and changes here only: planned -> open -> closed -> figures
ready. Every write whose rule depends on the state runs inside `guarded`, which locks the scan's row
and reads the state in the same transaction, so no check can be overtaken by a transition:

- answers (draft saves, submits) and the sending of messages take a shared lock (`shared=True`): they do
  not wait for each other, but a close waits for every one in flight, and every one after the close
  waits for it and then finds the scan closed;
- everything else (close, edit, invitees, mailings, foreword, delete) takes the row exclusively, and
  first moves the stored state on by the calendar.

SQLite has no row locks; its transactions are IMMEDIATE (see settings.py), so every write transaction
holds the database's write lock from its first statement, which serialises the same way.

Follow-on work is enqueued as background tasks inside the same transaction (the queue is a table in the
same database), so it commits with the state change or not at all: closing enqueues the figures; the
figures, once stored, enqueue the report PDFs (the benchmarks take them in at the nightly rebuild).
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
from roer.lib.errors import DomainError
from roer.lib.fastget import Part, Select, column, table
from roer.lifecycle import documents
from roer.lifecycle.queue import runs_of
from roer.responses.models import ResponseDraft
from roer.results.figures import compute_figures
from roer.results.models import ScanFigures
from roer.scans.models import CLOSED_STATES, Mailing, MailingStatus, Scan, ScanState

logger = logging.getLogger("roer.lifecycle")

ANSWERABLE = (ScanState.OPEN,)
NOT_CLOSED = (ScanState.PLANNED, ScanState.OPEN)
CLOSED = tuple(CLOSED_STATES)

_REFUSALS = {
    ScanState.PLANNED: _("This scan has not opened yet."),
    ScanState.OPEN: _("This scan is still open."),
    ScanState.CLOSED: _("This scan is closed."),
    ScanState.FIGURES_READY: _("This scan is closed."),
    ScanState.CANCELLED: _("This scan has been cancelled."),
}


class ScanStateError(DomainError):
    """The scan is not in a state that allows this change."""

    def __init__(self, state: ScanState) -> None:
        self.state = state
        super().__init__(_REFUSALS[state])


_SHARED: Select | None = None


def _shared_select() -> Select:
    """The scan's row, held shared: FOR SHARE on PostgreSQL (the ORM only offers exclusive locks, and
    answers must not queue behind each other); SQLite's IMMEDIATE transaction already holds the database.
    Every save passes here, so the SELECT is written once (roer.lib.fastget) instead of compiled each time."""
    global _SHARED
    if _SHARED is None:
        fields = [field.name for field in Scan._meta.concrete_fields]
        suffix = " FOR SHARE" if connection.vendor == "postgresql" else ""
        _SHARED = Select(
            [Part(Scan, "s", fields)], f"FROM {table(Scan, 's')}", f"{column(Scan, 's', 'id')} = %s", suffix
        )
    return _SHARED


def _locked(scan_id: int, *, shared: bool) -> Scan:
    if shared:
        found = _shared_select().one(scan_id)
        if not found or not isinstance(found[0], Scan):
            raise Scan.DoesNotExist
        return found[0]
    return Scan.objects.select_for_update().get(pk=scan_id)


@contextmanager
def guarded(scan: Scan | int, *allowed: ScanState, shared: bool = False) -> Iterator[Scan]:
    """A transaction holding the scan's row, entered only in one of the allowed states.

    Yields the scan as stored now; raises ScanStateError (rolling back) in any other state, and
    Scan.DoesNotExist when it was deleted."""
    scan_id = scan if isinstance(scan, int) else scan.pk
    with transaction.atomic():
        locked = _locked(scan_id, shared=shared)
        now = timezone.now()
        if not shared:
            _follow_clock(locked, now)
        state = locked.state_on(timezone.localdate(now))
        if state not in allowed:
            raise ScanStateError(state)
        yield locked


def _follow_clock(scan: Scan, now: datetime.datetime) -> bool:
    """Store the state the calendar has reached (the caller holds the row exclusively)."""
    due = scan.state_on(timezone.localdate(now))
    if due == scan.state:
        return False
    if due is ScanState.OPEN:
        scan.state = ScanState.OPEN
        scan.save(update_fields=["state"])
    elif due is ScanState.CLOSED:
        _close(scan, now)
    return True


def _close(scan: Scan, now: datetime.datetime) -> None:
    scan.state = ScanState.CLOSED
    scan.closed_at = now
    scan.save(update_fields=["state", "closed_at"])
    store_figures.enqueue(scan.pk)
    logger.info("scan %s closed", scan.code)


def scan_close(*, scan: Scan) -> Scan:
    """Close by hand: links stop working at once and the figures are computed in the background.
    Closing a closed scan changes nothing."""
    with guarded(scan, *NOT_CLOSED, *CLOSED) as locked:
        if locked.state in NOT_CLOSED:
            _close(locked, timezone.now())
    return locked


class ScanAnsweredError(DomainError):
    default_message = _("People have started answering this scan, so it cannot be cancelled. Close it instead.")


def scan_cancel(*, scan: Scan, user: User) -> Scan:
    """Stop a scan nobody has answered: its links then say it was cancelled, and nothing more is sent.

    The check for answers runs under the scan's exclusive lock, which every save and submit shares
    (`answering`), so an answer either was stored before and refuses the cancel, or comes after and
    finds the scan cancelled. A saved draft counts as an answer: someone is working on it."""
    with guarded(scan, *NOT_CLOSED) as locked:
        if locked.responses.exists() or ResponseDraft.objects.filter(invitation__scan=locked).exists():
            raise ScanAnsweredError
        # A round queued or sending stops by itself at its next message (it finds the scan cancelled).
        Mailing.objects.filter(scan=locked, status=MailingStatus.PLANNED).delete()
        locked.state = ScanState.CANCELLED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["state", "closed_at"])
        audit_record(
            user=user, organisation=locked.organisation, action=AuditAction.SCAN_CANCELLED, subject=locked.title
        )
        logger.info("scan %s cancelled", locked.code)
    return locked


def scans_follow_clock(now: datetime.datetime | None = None) -> int:
    """Open and close every scan whose date has come (the scheduled job, every minute); returns how
    many changed. Each scan is locked and checked on its own, so this is safe beside every other write."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Scan.objects.filter(state=ScanState.PLANNED, opens_on__lte=today) | Scan.objects.filter(
        state=ScanState.OPEN, closes_on__lt=today
    )
    changed = 0
    for scan_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = Scan.objects.select_for_update().filter(pk=scan_id).first()
            if locked is not None and _follow_clock(locked, now):
                changed += 1
    # A scan closed before its figures had a task (stored states came with an upgrade) gets one now.
    for scan_id in Scan.objects.filter(state=ScanState.CLOSED).values_list("pk", flat=True):
        if not runs_of(store_figures, scan_id).exists():
            store_figures.enqueue(scan_id)
    return changed


@task()
def store_figures(scan_id: int) -> bool:
    """Compute a closed scan's figures and publish them; True when this run published them."""
    return figures_publish(scan_id)


def figures_publish(scan_id: int, *, with_reports: bool = True) -> bool:
    """The figures task's work: compute, store, move to 'figures ready', and enqueue the report PDFs
    (unless told not to).

    The answers are read without a lock: a closed scan takes no more answers, so they cannot change,
    and a long computation must not hold the write lock every respondent of every scan waits for. Only
    storing the result and the state change take the row."""
    scan = Scan.objects.select_related("instrument_version", "organisation").filter(pk=scan_id).first()
    if scan is None or scan.state != ScanState.CLOSED:
        return False
    data = compute_figures(scan)
    try:
        with guarded(scan_id, *CLOSED) as locked:
            if locked.state == ScanState.FIGURES_READY:
                return False
            ScanFigures.objects.update_or_create(scan=locked, defaults={"data": data, "format": ScanFigures.FORMAT})
            locked.state = ScanState.FIGURES_READY
            locked.save(update_fields=["state"])
            # The benchmarks take the new figures in at the nightly rebuild, with everyone else's.
            if with_reports:
                documents.prepare_reports(locked)
    except Scan.DoesNotExist:
        return False
    return True


# Figures stored in an older format are read correctly (computed again in memory) but cost a computation
# on every read and stay out of the benchmarks, which read stored figures only: the clock job brings a
# few up to date every minute, so an upgrade needs no manual step and never one long run.
STALE_FIGURES_PER_MINUTE = 5


def stale_figures_recompute(limit: int = STALE_FIGURES_PER_MINUTE) -> int:
    stale = ScanFigures.objects.exclude(format=ScanFigures.FORMAT).order_by("scan_id").values_list("scan_id", flat=True)
    return sum(figures_recompute(scan_id) for scan_id in list(stale[:limit]))


def figures_recompute(scan_id: int) -> bool:
    """Store a published scan's figures again in the current format (after an upgrade that changed it).
    The answers of a closed scan do not change, so the numbers stay the same."""
    scan = Scan.objects.select_related("instrument_version").filter(pk=scan_id).first()
    if scan is None or not scan.has_figures:
        return False
    data = compute_figures(scan)
    with guarded(scan_id, ScanState.FIGURES_READY) as locked:
        ScanFigures.objects.update_or_create(scan=locked, defaults={"data": data, "format": ScanFigures.FORMAT})
    return True
