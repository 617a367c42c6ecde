"""Open answers are listed in an order that tells nothing about who wrote them or when."""

import datetime
import random

from django.utils import timezone

from roer.responses.services import draft_save, response_submit
from roer.results.open_answers import open_answers
from roer.scans.models import GroupKind, Invitation
from tests.factories import ScanFactory

RESPONDENTS = 20


def _scan_with_open_answers(organisation, version):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    scan = ScanFactory(
        organisation=organisation,
        instrument_version=version,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        groups=[GroupKind.MEDEWERKERS.value],
    )
    group = scan.groups.get()
    for number in range(RESPONDENTS):
        invitation = Invitation.objects.create(scan=scan, group=group, email=f"m{number}@example.org")
        draft_save(
            invitation=invitation,
            answers={},
            cleared=set(),
            open_answers={"open_goed": f"good {number:02}", "open_verbeteren": f"better {number:02}"},
            page=1,
        )
        response_submit(invitation=invitation)
    return scan


def _writers(scan, code):  # type: ignore[no-untyped-def]
    question = next(question for question in open_answers(scan) if question.code == code)
    (block,) = question.groups
    assert block.total == RESPONDENTS
    return [answer.split()[1] for answer in block.answers]


def test_open_answers_are_not_in_the_order_they_came_in(organisation, instrument_version):
    scan = _scan_with_open_answers(organisation, instrument_version)
    writers = _writers(scan, "open_goed")
    assert sorted(writers) == [f"{number:02}" for number in range(RESPONDENTS)]  # all there
    assert writers != sorted(writers)  # the chance that a keyed order equals arrival order is 1 in 20!


def test_one_persons_answers_to_two_questions_do_not_line_up(organisation, instrument_version):
    scan = _scan_with_open_answers(organisation, instrument_version)
    assert _writers(scan, "open_goed") != _writers(scan, "open_verbeteren")


def test_the_order_is_the_same_on_every_view(organisation, instrument_version):
    scan = _scan_with_open_answers(organisation, instrument_version)
    assert _writers(scan, "open_goed") == _writers(scan, "open_goed")


def test_a_reader_cannot_replay_the_order_from_the_scan_code_in_the_address(organisation, instrument_version):
    scan = _scan_with_open_answers(organisation, instrument_version)
    replayed = [f"{number:02}" for number in range(RESPONDENTS)]
    random.Random(scan.code.int).shuffle(replayed)  # what a reader would try
    assert _writers(scan, "open_goed") != replayed
