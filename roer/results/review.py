"""What a scan manager sees when reviewing open answers before they are published.

Only the answers of groups large enough for open answers at all (roer.results.open_answers): the
manager runs the scan and must not read a small group's sentences either. Answers come in the order
readers get (by their random handles, never by arrival), and are named by that handle, never by id.
Each answer is screened (roer.lib.screening) for e-mail addresses, phone numbers, postcodes and
name-like words, and for a language that few others in its group and question wrote in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count

from roer.instruments.schema import Text
from roer.lib.screening import REDACTION_MARKER, Finding, Flag, findings, language_of
from roer.responses.models import OpenAnswer, OpenAnswerStatus
from roer.results.open_answers import open_answer_groups, open_answer_threshold
from roer.scans.models import Invitation, RespondentGroup, Scan


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
    question: Text
    group: RespondentGroup
    text: str
    status: str
    published_text: str
    flags: tuple[Flag, ...]
    pieces: tuple[Piece, ...]  # the text cut at what was found, for marking it on the page

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


def _singles_out(
    spoken: Counter[tuple[str, int, str | None]], code: str, group: int, language: str, threshold: int
) -> bool:
    """An answer's language points at its writer when fewer than the threshold wrote in it while more
    wrote in another: one English answer among Dutch ones, not a small group that all wrote Dutch."""
    count = spoken[(code, group, language)]
    most = max(
        value
        for (other_code, other_group, other), value in spoken.items()
        if other_code == code and other_group == group and other is not None
    )
    return count < threshold and count < most


def review_items(scan: Scan) -> list[ReviewItem]:
    """Every reviewable open answer of the scan with what screening found, in the readers' order."""
    definition = scan.instrument_version.parsed
    questions = {question.code: question.others_text for question in definition.open_questions}
    allowed = {group.pk: group for group in open_answer_groups(scan).allowed}
    rows = list(
        OpenAnswer.objects.filter(scan=scan, group__in=list(allowed))
        .order_by("handle")
        .values_list("pk", "handle", "code", "group_id", "text", "status", "published_text")
    )
    names = invitee_name_words(scan)
    not_names = set(re.findall(r"\w+", scan.organisation.name))
    languages = {pk: language_of(text) for pk, _handle, _code, _group, text, _status, _published in rows}
    spoken = Counter((code, group, languages[pk]) for pk, _handle, code, group, _text, _status, _published in rows)
    items = []
    for pk, handle, code, group_id, text, status, published in rows:
        if code not in questions:
            continue
        found = findings(text, names, not_names)
        flags = list(dict.fromkeys(finding.flag for finding in found))
        language = languages[pk]
        group = allowed[group_id]
        if language is not None and _singles_out(spoken, code, group_id, language, open_answer_threshold(group)):
            flags.append(Flag.LANGUAGE)
        items.append(
            ReviewItem(handle, questions[code], group, text, status, published, tuple(flags), _pieces(text, found))
        )
    return items


def shown_items(items: list[ReviewItem], shown: Shown) -> list[ReviewItem]:
    if shown is Shown.ALL:
        return items
    if shown is Shown.FLAGGED:
        return [item for item in items if item.flagged and item.status == OpenAnswerStatus.PENDING]
    return [item for item in items if item.status == shown.value]


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
