"""What a scan manager sees when reviewing open answers before they are published.

Only the answers of groups large enough for open answers at all (roer.results.open_answers): the
manager runs the scan and must not read a small group's sentences either. Answers come in the order
readers get (by their random handles, never by arrival), and are named by that handle, never by id.
Each answer is screened (roer.lib.screening) for e-mail addresses, phone numbers, postcodes and
name-like words, and for a language that few others in its group and question wrote in.

Residents' open answers are reviewed the same way, per question over all channels together: only the
answers of a question that at least ROER_RESIDENT_THRESHOLD residents answered (not counting a burst
the scan manager left out of the figures) are shown, the manager included. An answer from such a burst
is shown to the manager, marked, so that it can be hidden, but it is never published.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, QuerySet

from roer.instruments.residents import ResidentText
from roer.instruments.schema import Text
from roer.lib.screening import REDACTION_MARKER, Finding, Flag, findings, language_of
from roer.residents.models import BurstStatus, Channel, ResidentOpenAnswer, ResidentSurvey
from roer.responses.models import OpenAnswer, OpenAnswerStatus
from roer.results.open_answers import open_answer_groups, open_answer_threshold
from roer.scans.models import Invitation, Scan


class Shown(StrEnum):
    """The review page's filter."""

    PENDING = "pending"
    FLAGGED = "flagged"
    PUBLISHED = "published"
    HIDDEN = "hidden"
    ALL = "all"


@dataclass(frozen=True)
class Piece:
    text: str
    flag: Flag | None


@dataclass(frozen=True)
class ReviewItem:
    handle: str
    question: Text | ResidentText
    source: str  # the respondent group, or the resident's channel
    text: str
    status: str
    published_text: str
    flags: tuple[Flag, ...]
    pieces: tuple[Piece, ...]  # the text cut at what was found, for marking it on the page
    left_out: bool = False  # a resident's answer in a burst left out of the figures: never published

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def suggestion(self) -> str:
        """The text with everything screening found replaced by the marker: a start for shortening it."""
        return "".join(REDACTION_MARKER if piece.flag else piece.text for piece in self.pieces)

    @property
    def status_label(self) -> str:
        return str(OpenAnswerStatus(self.status).label)


@dataclass(frozen=True)
class ReviewCounts:
    pending: int
    flagged_pending: int
    published: int
    hidden: int


_ADDRESS_PARTS = re.compile(r"[._+\-]+|\d+")


def invitee_name_words(scan: Scan) -> set[str]:
    """Names from personal addresses: "j.jansen@" and "piet_de_vries@" give "jansen", "piet" and "vries".
    A local part without a separator ("directie001@", "info@") is a role, not a person, and gives none."""
    words: set[str] = set()
    addresses = Invitation.objects.filter(scan=scan, email__isnull=False).values_list("email", flat=True)
    for email in addresses:
        local = (email or "").split("@", 1)[0]
        parts = [part for part in _ADDRESS_PARTS.split(local) if part]
        if len(parts) > 1:
            words.update(part for part in parts if len(part) >= 3)
    return words


def _pieces(text: str, found: list[Finding]) -> tuple[Piece, ...]:
    pieces, last = [], 0
    for finding in found:
        if finding.start > last:
            pieces.append(Piece(text[last : finding.start], None))
        pieces.append(Piece(text[finding.start : finding.end], finding.flag))
        last = finding.end
    if last < len(text):
        pieces.append(Piece(text[last:], None))
    return tuple(pieces)


@dataclass(frozen=True)
class _Row:
    """One answer as read for review; `bucket` is what its language is compared within (the group)."""

    handle: str
    code: str
    bucket: object
    source: str
    text: str
    status: str
    published_text: str
    left_out: bool = False


def _singles_out(spoken: Counter[tuple[str, object, str | None]], row: _Row, language: str, threshold: int) -> bool:
    """An answer's language points at its writer when fewer than the threshold wrote in it while more
    wrote in another: one English answer among Dutch ones, not a small group that all wrote Dutch."""
    count = spoken[(row.code, row.bucket, language)]
    most = max(
        value
        for (code, bucket, other), value in spoken.items()
        if code == row.code and bucket == row.bucket and other is not None
    )
    return count < threshold and count < most


def _screened(
    rows: list[_Row],
    questions: dict[str, Text | ResidentText],
    thresholds: dict[object, int],
    names: set[str],
    not_names: set[str],
) -> list[ReviewItem]:
    """The rows (in the readers' order) with what screening found, for the questions asked."""
    languages = [language_of(row.text) for row in rows]
    spoken = Counter((row.code, row.bucket, language) for row, language in zip(rows, languages, strict=True))
    items = []
    for row, language in zip(rows, languages, strict=True):
        if row.code not in questions:
            continue
        found = findings(row.text, names, not_names)
        flags = list(dict.fromkeys(finding.flag for finding in found))
        if language is not None and _singles_out(spoken, row, language, thresholds[row.bucket]):
            flags.append(Flag.LANGUAGE)
        pieces = _pieces(row.text, found)
        items.append(
            ReviewItem(
                row.handle,
                questions[row.code],
                row.source,
                row.text,
                row.status,
                row.published_text,
                tuple(flags),
                pieces,
                row.left_out,
            )
        )
    return items


def _organisation_words(scan: Scan) -> set[str]:
    return set(re.findall(r"\w+", scan.organisation.name))


def review_items(scan: Scan) -> list[ReviewItem]:
    """Every reviewable open answer of the scan with what screening found, in the readers' order."""
    definition = scan.instrument_version.parsed
    questions: dict[str, Text | ResidentText] = {
        question.code: question.others_text for question in definition.open_questions
    }
    allowed = {group.pk: group for group in open_answer_groups(scan).allowed}
    rows = [
        _Row(handle, code, group_id, str(allowed[group_id]), text, status, published)
        for handle, code, group_id, text, status, published in OpenAnswer.objects.filter(
            scan=scan, group__in=list(allowed)
        )
        .order_by("handle")
        .values_list("handle", "code", "group_id", "text", "status", "published_text")
    ]
    thresholds: dict[object, int] = {pk: open_answer_threshold(group) for pk, group in allowed.items()}
    return _screened(rows, questions, thresholds, invitee_name_words(scan), _organisation_words(scan))


def resident_open_answer_threshold() -> int:
    return int(settings.ROER_RESIDENT_THRESHOLD)


def _counted(survey: ResidentSurvey) -> QuerySet[ResidentOpenAnswer]:
    """The survey's residents' open answers that count: none from a burst left out of the figures."""
    return ResidentOpenAnswer.objects.filter(survey=survey).exclude(response__burst__status=BurstStatus.EXCLUDED)


def resident_answer_counts(survey: ResidentSurvey) -> dict[str, int]:
    """How many residents answered each open question, all channels together."""
    counted = _counted(survey).order_by().values("code").annotate(n=Count("pk")).values_list("code", "n")
    return {code: int(n) for code, n in counted}


def readable_resident_questions(survey: ResidentSurvey) -> list[str]:
    """The open questions enough residents answered for their answers to be read at all."""
    threshold = resident_open_answer_threshold()
    return [code for code, n in resident_answer_counts(survey).items() if n >= threshold]


def resident_review_items(survey: ResidentSurvey) -> list[ReviewItem]:
    """Every reviewable open answer of the residents' survey, as `review_items` gives a scan's."""
    scan = survey.scan
    module = scan.instrument_version.parsed.residents
    if module is None:
        return []
    questions: dict[str, Text | ResidentText] = {question.code: question.question for question in module.open_questions}
    found = (
        ResidentOpenAnswer.objects.filter(survey=survey, code__in=readable_resident_questions(survey))
        .order_by("handle")
        .values_list("handle", "code", "channel", "text", "status", "published_text", "response__burst__status")
    )
    rows = [
        _Row(handle, code, "", str(Channel(channel).label), text, status, published, burst == BurstStatus.EXCLUDED)
        for handle, code, channel, text, status, published, burst in found
    ]
    thresholds: dict[object, int] = {"": resident_open_answer_threshold()}
    return _screened(rows, questions, thresholds, set(), _organisation_words(scan))


def shown_items(items: list[ReviewItem], shown: Shown) -> list[ReviewItem]:
    if shown is Shown.ALL:
        return items
    if shown is Shown.FLAGGED:
        return [item for item in items if item.flagged and item.status == OpenAnswerStatus.PENDING]
    return [item for item in items if item.status == shown.value]


def publishable_unflagged(items: list[ReviewItem]) -> list[str]:
    """The handles of the waiting answers in which screening found nothing, for publishing at once."""
    return [
        item.handle
        for item in items
        if item.status == OpenAnswerStatus.PENDING and not item.flagged and not item.left_out
    ]


def review_counts(items: list[ReviewItem]) -> ReviewCounts:
    statuses = Counter(item.status for item in items)
    return ReviewCounts(
        pending=statuses[OpenAnswerStatus.PENDING],
        flagged_pending=sum(1 for item in items if item.flagged and item.status == OpenAnswerStatus.PENDING),
        published=statuses[OpenAnswerStatus.PUBLISHED],
        hidden=statuses[OpenAnswerStatus.HIDDEN],
    )


def pending_count(scan: Scan) -> int:
    """Open answers of readable groups still waiting for review: what readers are told is missing."""
    allowed = open_answer_groups(scan).allowed
    # By the answer's own scan and group: the index on (scan, status, group, ...) finds the waiting
    # answers alone, however many the scan has published.
    counted = OpenAnswer.objects.filter(scan=scan, group__in=allowed, status=OpenAnswerStatus.PENDING).aggregate(
        n=Count("id")
    )
    return int(counted["n"])


def resident_pending_count(survey: ResidentSurvey) -> int:
    """Residents' open answers of readable questions still waiting for review (a burst's left out)."""
    waiting = _counted(survey).filter(code__in=readable_resident_questions(survey), status=OpenAnswerStatus.PENDING)
    return waiting.count()
