"""Wiping what the database files keep of answering after the rows themselves have moved on.

A submit, in one transaction, marks the invitation answered, stores the anonymous response and deletes
the draft. The rows are then unlinked, but the files are not at once:

- SQLite's write-ahead log keeps the page images of every recent transaction, the invitation's page (with
  the e-mail address) beside the response's. Every minute the log is checkpointed and truncated, so it
  holds nothing once the minute has passed; `secure_delete` (settings) zeroes deleted rows in the file.
- PostgreSQL stamps every row a transaction writes with its id (`xmin`): the answered invitation and its
  response carry the same one, which joins a person to their answers for anyone who can query the
  tables. Every minute the answered invitations of each scan that received answers get a new stamp, one
  for them all, and the draft, invitation and response tables are vacuumed so that the old row versions
  (dead, but still in the data files until vacuum) are freed. Drafts were sealed by the respondent's link
  (roer.lib.sealing), so a dead draft row holds ciphertext only.

Safe to run twice and at any moment; it changes no value anyone reads.
"""

from __future__ import annotations

import datetime
import logging

from django.db import OperationalError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from roer.lib.rows import tables_vacuum
from roer.lifecycle.models import TraceSweep
from roer.responses.models import Response, ResponseDraft
from roer.scans.models import Invitation

logger = logging.getLogger("roer.traces")

_VACUUMED = (ResponseDraft, Invitation, Response)


def traces_erase() -> int:
    """Checkpoint SQLite's log or restamp and vacuum on PostgreSQL; returns the invitations restamped."""
    if connection.vendor == "sqlite":
        _checkpoint()
        return 0
    if connection.vendor != "postgresql":  # pragma: no cover - Roer runs on these two
        return 0
    restamped = _restamp()
    if restamped:
        _vacuum()
    return restamped


def _checkpoint() -> None:
    if connection.in_atomic_block:  # a checkpoint waits for every open transaction, this one included
        return
    with connection.cursor() as cursor:
        # TRUNCATE waits for readers to finish with the log and then empties the file; a busy database
        # answers "busy" instead, and the next minute tries again.
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except OperationalError:
            busy = True
        else:
            busy, _log_pages, _moved = cursor.fetchone()
    if busy:
        logger.info("write-ahead log busy; checkpoint again in a minute")


# Answers come in only while a scan is open, and its closing date is at the latest the day it closed:
# scans that closed longer ago have nothing new to restamp.
_RECENT = datetime.timedelta(days=2)


def _restamp() -> int:
    recent = Response.objects.filter(scan__closes_on__gte=timezone.localdate() - _RECENT)
    counts = dict(recent.values_list("scan_id").annotate(count=Count("id")).values_list("scan_id", "count"))
    seen = dict(TraceSweep.objects.values_list("scan_id", "responses_seen"))
    restamped = 0
    for scan_id, count in counts.items():
        if seen.get(scan_id) == count:
            continue
        with transaction.atomic():
            # One transaction for every answered invitation of the scan: afterwards they share one stamp
            # and none of them shares a stamp with its response.
            restamped += Invitation.objects.filter(scan_id=scan_id, submitted=True).update(submitted=True)
            TraceSweep.objects.update_or_create(scan_id=scan_id, defaults={"responses_seen": count})
    return restamped


def _vacuum() -> None:
    tables_vacuum(*_VACUUMED)
