"""The demo's residents' survey: Dijkstad asked its residents beside its leadership scan, in all three
channels, and the survey has closed.

The answers of the past are written in bulk below the lifecycle's guard (which would refuse answers to a
survey whose dates lie in the past, as it does for scans), each with the network and ten-minute window an
open-link answer keeps while a survey is open. The survey is then closed through the lifecycle, as the
minute job would close it: the burst is found, the network traces are erased, the figures are computed.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from roer.accounts.models import User
from roer.demo.resident_answers import resident_answers
from roer.instruments.residents import ResidentsModule
from roer.lifecycle.resident_life import burst_decide, store_resident_figures, survey_close, survey_create
from roer.residents.answers import code_hash, network_of, new_letter_code, window_of
from roer.residents.models import (
    Burst,
    Channel,
    LetterBatch,
    LetterCode,
    ResidentOpenAnswer,
    ResidentResponse,
    ResidentSurvey,
)
from roer.scans.models import Scan
from roer.scoring.packed import pack

# How many residents answered in each channel; the open link's count includes the burst.
OPEN_LINK_ANSWERS = 420
LETTERS_SENT = 600
LETTERS_ANSWERED = 180
PAPER_FORMS = 45
# One network sent this many answers within ten minutes (a campaign in a WhatsApp group, say).
BURST_ANSWERS = 30
# A resident's packed answers hold one byte each, up to the largest option number a module allows.
PACKED_MAXIMUM = 12
# Open answers the demo's scan manager has already published (by position among them), as written.
PUBLISHED_OPEN_ANSWERS = 6


@dataclass(frozen=True)
class _Answer:
    channel: Channel
    submitted_at: datetime.datetime
    answers: dict[str, int | None]
    open_answers: dict[str, str]
    address: str = ""


def _moment(rng: random.Random, first: datetime.date, days: int) -> datetime.datetime:
    """A moment in the daytime or evening, within `days` days from `first`."""
    minutes = rng.randrange(7 * 60, 23 * 60)
    return _at(first + datetime.timedelta(days=rng.randrange(days)), minutes // 60, minutes % 60)


def _resident(
    rng: random.Random, module: ResidentsModule, channel: Channel, moment: datetime.datetime, address: str = ""
) -> _Answer:
    answers, open_answers = resident_answers(rng, module, channel)
    return _Answer(channel, moment, answers, open_answers, address)


def _residents(rng: random.Random, module: ResidentsModule, survey: ResidentSurvey) -> list[_Answer]:
    start, period = survey.opens_on, (survey.closes_on - survey.opens_on).days + 1
    later = start + datetime.timedelta(days=period // 3)
    # Open-link addresses lie in many networks, so that only the burst stands out.
    answers = [
        _resident(
            rng,
            module,
            Channel.OPEN_LINK,
            _moment(rng, start, period),
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        )
        for _ in range(OPEN_LINK_ANSWERS - BURST_ANSWERS)
    ]
    # Most letters come back in the first two weeks; paper forms are handed in later and entered at once.
    answers += [
        _resident(rng, module, Channel.LETTER, _moment(rng, start, min(14, period))) for _ in range(LETTERS_ANSWERED)
    ]
    answers += [
        _resident(rng, module, Channel.PAPER, _moment(rng, later, period - period // 3)) for _ in range(PAPER_FORMS)
    ]
    # The same answers, sent again and again from one network within a few minutes.
    repeated = resident_answers(rng, module, Channel.OPEN_LINK)[0]
    burst_at = _moment(rng, start + datetime.timedelta(days=3), 1).replace(minute=41)
    answers += [
        _Answer(Channel.OPEN_LINK, burst_at + datetime.timedelta(seconds=12 * number), repeated, {}, "203.0.113.7")
        for number in range(BURST_ANSWERS)
    ]
    return answers


def _letters(survey: ResidentSurvey, manager: User) -> None:
    """A batch of letters requested a week before the survey opened, whose files were downloaded and
    removed; its codes are stored as hashes, and 180 used (closing counts them and deletes them)."""
    requested = _at(survey.opens_on - datetime.timedelta(days=7), 10)
    batch = LetterBatch.objects.create(
        survey=survey,
        size=LETTERS_SENT,
        status=LetterBatch.Status.REMOVED,
        requested_by=manager,
        files_removed_at=requested + datetime.timedelta(days=1),
    )
    LetterBatch.objects.filter(pk=batch.pk).update(requested_at=requested)  # auto_now_add ignores a date given
    LetterCode.objects.bulk_create(
        LetterCode(survey=survey, batch=batch, code_hash=code_hash(new_letter_code()), used=number < LETTERS_ANSWERED)
        for number in range(LETTERS_SENT)
    )


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _store(survey: ResidentSurvey, module: ResidentsModule, answers: list[_Answer]) -> None:
    codes = module.answer_codes()
    rows = [
        ResidentResponse(
            survey=survey,
            channel=answer.channel,
            submitted_on=timezone.localdate(answer.submitted_at),
            packed_answers=pack(codes, answer.answers, PACKED_MAXIMUM),
            network=network_of(answer.address, survey) if answer.address else "",
            window=window_of(answer.submitted_at) if answer.address else None,
        )
        for answer in answers
    ]
    ResidentResponse.objects.bulk_create(rows, batch_size=500)
    written = [
        ResidentOpenAnswer(response=row, survey=survey, channel=answer.channel, code=code, text=text)
        for row, answer in zip(rows, answers, strict=True)
        for code, text in answer.open_answers.items()
    ]
    for number, open_answer in enumerate(written):
        # As its scan manager would: most published as written, the one with a phone number waiting.
        if number < PUBLISHED_OPEN_ANSWERS and "06-" not in open_answer.text:
            open_answer.status, open_answer.published_text = "published", open_answer.text
    ResidentOpenAnswer.objects.bulk_create(written)


def seed_resident_survey(scan: Scan, manager: User, *, seed: int) -> bool:
    """Give a closed scan a closed residents' survey with its figures; False when it has one already."""
    module = scan.instrument_version.parsed.residents
    if module is None or ResidentSurvey.objects.filter(scan=scan).exists():
        return False
    rng = random.Random(seed)
    survey = survey_create(scan=scan, opens_on=scan.opens_on, closes_on=scan.closes_on, user=manager)
    _letters(survey, manager)
    _store(survey, module, _residents(rng, module, survey))
    survey = survey_close(survey=survey)  # finds the burst and erases every network trace
    # Closed, as the minute job closes it, a minute into the day after its last day.
    closed = _at(survey.closes_on + datetime.timedelta(days=1), 0, 1)
    ResidentSurvey.objects.filter(pk=survey.pk).update(closed_at=closed, network_removed_at=closed)
    for burst in Burst.objects.filter(survey=survey):
        burst_decide(burst=burst, exclude=True, user=manager)
    store_resident_figures.call(survey.pk)
    return True
