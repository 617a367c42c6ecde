"""Open answers, grouped by question and group, for groups large enough to keep a sentence anonymous.

A text identifies its writer more easily than a number, so the threshold for open answers is higher than
the group's score threshold (ROER_OPEN_ANSWER_THRESHOLD, and always at least one more than the group's own).
Answers are never shown beside a respondent's scores, and never in the order they came in. Only what a
scan manager published is shown (see roer.results.review), as published: with any parts taken out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils.crypto import salted_hmac

from roer.instruments.schema import Text
from roer.responses.models import OpenAnswer, OpenAnswerStatus, Response
from roer.scans.models import RespondentGroup, Scan


@dataclass(frozen=True)
class OpenAnswerGroup:
    group: RespondentGroup
    answers: tuple[str, ...]
    total: int


@dataclass(frozen=True)
class OpenQuestionAnswers:
    code: str
    text: Text  # the others' wording
    groups: tuple[OpenAnswerGroup, ...]
    hidden_groups: tuple[RespondentGroup, ...]


def open_answer_threshold(group: RespondentGroup) -> int:
    return max(settings.ROER_OPEN_ANSWER_THRESHOLD, group.threshold + 1)


def order_key(pk: int) -> str:
    """A stable order that no reader can compute: keyed with the server's secret, so it reveals neither
    the order in which answers came in (ids are sequential) nor which answers to different questions
    came from the same person. A shuffle seeded with anything visible could be replayed and undone."""
    return salted_hmac("roer.open_answers.order", str(pk)).hexdigest()


@dataclass(frozen=True)
class OpenAnswerGroups:
    """The scan's groups in order, and those with enough responses for their open answers to be read."""

    groups: list[RespondentGroup]
    allowed: list[RespondentGroup]
    responses: dict[int, int]


def open_answer_groups(scan: Scan) -> OpenAnswerGroups:
    groups = sorted(scan.groups.all(), key=lambda group: group.sort_key)
    responses = dict(
        Response.objects.filter(scan=scan).values("group_id").annotate(n=Count("id")).values_list("group_id", "n")
    )
    allowed = [group for group in groups if responses.get(group.pk, 0) >= open_answer_threshold(group)]
    return OpenAnswerGroups(groups, allowed, responses)


def open_answers(scan: Scan, *, limit: int | None = None) -> tuple[OpenQuestionAnswers, ...]:
    definition = scan.instrument_version.parsed
    found = open_answer_groups(scan)
    groups, allowed, responses = found.groups, found.allowed, found.responses
    keyed: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    for pk, code, group_id, text in OpenAnswer.objects.filter(
        response__scan=scan, response__group__in=allowed, status=OpenAnswerStatus.PUBLISHED
    ).values_list("pk", "code", "response__group_id", "published_text"):
        keyed[(code, group_id)].append((order_key(pk), text))
    result = []
    for question in definition.open_questions:
        per_group = []
        for group in allowed:
            answers = [text for _key, text in sorted(keyed.get((question.code, group.pk), []))]
            shown = answers if limit is None else answers[:limit]
            per_group.append(OpenAnswerGroup(group, tuple(shown), len(answers)))
        hidden = tuple(group for group in groups if group not in allowed and responses.get(group.pk, 0))
        result.append(OpenQuestionAnswers(question.code, question.others_text, tuple(per_group), hidden))
    return tuple(result)
