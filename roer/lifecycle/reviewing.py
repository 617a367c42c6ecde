"""The review of open answers: a scan manager publishes each one as written, with parts taken out, or
hides it; every decision is in the audit log (which answer by its handle, never its text).

Reviewing starts once the scan is closed, so no answer is read while others can still come in, and it
changes what readers, reports and exports show: the report PDFs carry the published answers in their
fingerprint, so a reader asking for one after a decision gets it made anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import F
from django.utils.translation import gettext as _

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lib.screening import REDACTION_MARKER, redaction_keeps_only_original_words
from roer.lifecycle.scan_life import CLOSED, guarded
from roer.responses.models import OpenAnswer, OpenAnswerStatus
from roer.results.review import review_items
from roer.scans.models import Scan


class Decision(StrEnum):
    PUBLISH = "publish"
    REDACT = "redact"
    HIDE = "hide"
    WITHDRAW = "withdraw"  # back to waiting, for a decision taken too fast


class ReviewError(ValueError):
    """A decision that cannot be taken; the message says why, in the active language."""


@dataclass(frozen=True)
class Decided:
    handle: str
    status: str


_ACTIONS = {
    Decision.PUBLISH: AuditAction.OPEN_ANSWER_PUBLISHED,
    Decision.REDACT: AuditAction.OPEN_ANSWER_REDACTED,
    Decision.HIDE: AuditAction.OPEN_ANSWER_HIDDEN,
    Decision.WITHDRAW: AuditAction.OPEN_ANSWER_WITHDRAWN,
}


def _reviewable(scan: Scan) -> set[str]:
    return {item.handle for item in review_items(scan)}


def open_answer_decide(*, scan: Scan, user: User, handle: str, decision: Decision, text: str = "") -> Decided:
    """Take one decision on one open answer of a closed scan."""
    with guarded(scan, *CLOSED) as locked:
        if handle not in _reviewable(locked):  # another scan's answer, or a group too small to read
            raise ReviewError(_("This open answer is not part of this scan's review."))
        answer = OpenAnswer.objects.select_for_update().get(handle=handle, scan=locked)
        if decision is Decision.REDACT:
            redacted = text.strip()
            if not redacted.replace(REDACTION_MARKER, "").strip():
                raise ReviewError(_("Nothing would be left of this answer; hide it instead."))
            if not redaction_keeps_only_original_words(answer.text, redacted):
                raise ReviewError(
                    _(
                        "An answer can only be shortened: replace what must go with %(marker)s and keep the "
                        "rest as the respondent wrote it."
                    )
                    % {"marker": REDACTION_MARKER}
                )
            answer.status, answer.published_text = OpenAnswerStatus.PUBLISHED, redacted
        elif decision is Decision.PUBLISH:
            answer.status, answer.published_text = OpenAnswerStatus.PUBLISHED, answer.text
        elif decision is Decision.HIDE:
            answer.status, answer.published_text = OpenAnswerStatus.HIDDEN, ""
        else:
            answer.status, answer.published_text = OpenAnswerStatus.PENDING, ""
        answer.save(update_fields=["status", "published_text"])
        audit_record(
            user=user, organisation=locked.organisation, action=_ACTIONS[decision], subject=f"{locked.title}: {handle}"
        )
        return Decided(handle, answer.status)


def open_answers_publish_unflagged(*, scan: Scan, user: User) -> int:
    """Publish, as written, every answer still waiting in which screening found nothing."""
    with guarded(scan, *CLOSED) as locked:
        handles = [
            item.handle for item in review_items(locked) if item.status == OpenAnswerStatus.PENDING and not item.flagged
        ]
        OpenAnswer.objects.filter(handle__in=handles, status=OpenAnswerStatus.PENDING).update(
            status=OpenAnswerStatus.PUBLISHED, published_text=F("text")
        )
        for handle in handles:
            audit_record(
                user=user,
                organisation=locked.organisation,
                action=AuditAction.OPEN_ANSWER_PUBLISHED,
                subject=f"{locked.title}: {handle}",
            )
        return len(handles)
