"""The review of open answers: a scan manager publishes each one as written, with parts taken out, or
hides it; every decision is in the audit log (which answer by its handle, never its text).

Reviewing starts once the scan is closed, so no answer is read while others can still come in, and it
changes what readers, reports and exports show: the report PDFs carry the published answers in their
fingerprint, so a reader asking for one after a decision gets it made anew.

Residents' open answers (`residents=True`) are reviewed the same way once the residents' survey has
closed, whatever the scan's own state: each decision runs in the survey's guard (resident_life.guarded),
as the scan's run in the scan's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lib.screening import REDACTION_MARKER, redaction_keeps_only_original_words
from roer.lifecycle import resident_life
from roer.lifecycle.scan_life import CLOSED, ScanStateError, guarded
from roer.residents.models import ResidentOpenAnswer, ResidentSurvey
from roer.responses.models import OpenAnswer, OpenAnswerStatus
from roer.results.review import ReviewItem, publishable_unflagged, resident_review_items, review_items
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

Answer = OpenAnswer | ResidentOpenAnswer


@dataclass(frozen=True)
class _UnderReview:
    """What one decision needs, read under the lock: the reviewable items and the answers they name."""

    scan: Scan
    items: dict[str, ReviewItem]
    answers: QuerySet[OpenAnswer] | QuerySet[ResidentOpenAnswer]
    subject: str  # how the audit log names the answers' place, before each handle


@contextmanager
def _under_review(scan: Scan, *, residents: bool) -> Iterator[_UnderReview]:
    """The scan's (or its residents' survey's) review in a transaction holding the row whose state
    decides whether reviewing may happen: the scan, or the survey."""
    if not residents:
        with guarded(scan, *CLOSED) as locked:
            items = {item.handle: item for item in review_items(locked)}
            yield _UnderReview(locked, items, OpenAnswer.objects.filter(scan=locked), locked.title)
        return
    survey = ResidentSurvey.objects.filter(scan=scan).first()
    if survey is None:
        raise ReviewError(_("This scan has no residents' survey."))
    try:
        with resident_life.guarded(survey, *resident_life.CLOSED) as locked_survey:
            locked_survey.scan = scan
            items = {item.handle: item for item in resident_review_items(locked_survey)}
            answers = ResidentOpenAnswer.objects.filter(survey=locked_survey)
            yield _UnderReview(scan, items, answers, f"{scan.title} (residents)")
    except ScanStateError as refused:
        # The scan's own wording ("this scan is still open") would point at the wrong thing.
        raise ReviewError(_("Residents' answers can be reviewed once the residents' survey has closed.")) from refused


def _audit(user: User, review: _UnderReview, decision: Decision, handle: str) -> None:
    audit_record(
        user=user,
        organisation=review.scan.organisation,
        action=_ACTIONS[decision],
        subject=f"{review.subject}: {handle}",
    )


def _redacted(answer: Answer, text: str) -> str:
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
    return redacted


def _apply(answer: Answer, decision: Decision, text: str) -> None:
    if decision is Decision.REDACT:
        answer.status, answer.published_text = OpenAnswerStatus.PUBLISHED, _redacted(answer, text)
    elif decision is Decision.PUBLISH:
        answer.status, answer.published_text = OpenAnswerStatus.PUBLISHED, answer.text
    elif decision is Decision.HIDE:
        answer.status, answer.published_text = OpenAnswerStatus.HIDDEN, ""
    else:
        answer.status, answer.published_text = OpenAnswerStatus.PENDING, ""
    answer.save(update_fields=["status", "published_text"])


def open_answer_decide(
    *, scan: Scan, user: User, handle: str, decision: Decision, text: str = "", residents: bool = False
) -> Decided:
    """Take one decision on one open answer of a closed scan (or of its closed residents' survey)."""
    with _under_review(scan, residents=residents) as review:
        item = review.items.get(handle)
        if item is None:  # another scan's answer, or a group (a question) too small to read
            raise ReviewError(_("This open answer is not part of this scan's review."))
        if item.left_out and decision in (Decision.PUBLISH, Decision.REDACT):
            raise ReviewError(_("This answer came in a burst that is left out of the figures; it cannot be published."))
        answer = review.answers.select_for_update().get(handle=handle)
        _apply(answer, decision, text)
        _audit(user, review, decision, handle)
        return Decided(handle, answer.status)


def open_answers_publish_unflagged(*, scan: Scan, user: User, residents: bool = False) -> int:
    """Publish, as written, every answer still waiting in which screening found nothing."""
    with _under_review(scan, residents=residents) as review:
        handles = publishable_unflagged(list(review.items.values()))
        review.answers.filter(handle__in=handles, status=OpenAnswerStatus.PENDING).update(
            status=OpenAnswerStatus.PUBLISHED, published_text=F("text")
        )
        for handle in handles:
            _audit(user, review, Decision.PUBLISH, handle)
        return len(handles)
