"""Open answers are listed in an order that tells nothing about who wrote them or when.

Each test plays a reader who tries to recover the order in which answers came in, or to line up one
person's answers to two questions, from what the pages show."""

import random

import pytest

from roer.responses.models import OpenAnswer, new_handle
from roer.results.open_answers import open_answers
from roer.scans.models import Invitation
from tests.factories import ScanFactory
from tests.groups import GroupKind
from tests.helpers import answer_directly, close, publish_open_answers

pytestmark = pytest.mark.django_db

RESPONDENTS = 20


@pytest.fixture
def scan_with_open_answers(organisation, instrument_version):
    """Twenty staff members answer in turn; person n writes "good nn" and "better nn"."""
    scan = ScanFactory(organisation=organisation, instrument_version=instrument_version, groups=["medewerkers"])
    group = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    for number in range(RESPONDENTS):
        invitation = Invitation.objects.create(scan=scan, group=group, email=f"m{number}@example.org")
        answer_directly(invitation, {}, {"open_goed": f"good {number:02}", "open_verbeteren": f"better {number:02}"})
    return publish_open_answers(close(scan))


def _writers(scan, code):  # type: ignore[no-untyped-def]
    question = next(question for question in open_answers(scan) if question.code == code)
    (block,) = question.groups
    assert block.total == RESPONDENTS
    return [int(answer.split()[1]) for answer in block.answers]


def _rank_correlation(order: list[int]) -> float:
    """Spearman's rho between the listed order and the order of arrival (both permutations of 0..n-1)."""
    n = len(order)
    squares = sum((position - writer) ** 2 for position, writer in enumerate(order))
    return 1 - 6 * squares / (n * (n * n - 1))


def test_the_listed_order_does_not_follow_the_order_of_arrival(scan_with_open_answers):
    writers = _writers(scan_with_open_answers, "open_goed")
    assert sorted(writers) == list(range(RESPONDENTS))  # every answer is there
    # Arrival order (or its reverse) would give |rho| = 1; an order by random handles gives |rho| >= 0.8 once
    # in some 40,000 scans of twenty.
    assert abs(_rank_correlation(writers)) < 0.8


def test_one_persons_answers_to_two_questions_do_not_line_up(scan_with_open_answers):
    first = _writers(scan_with_open_answers, "open_goed")
    second = _writers(scan_with_open_answers, "open_verbeteren")
    same_place = sum(a == b for a, b in zip(first, second, strict=True))
    assert same_place < RESPONDENTS / 2  # lined up, every position would hold the same writer


def test_the_page_and_the_export_list_the_answers_in_the_same_order(scan_with_open_answers, alice_client):
    """A reader who saw two different orders could intersect them; every view shows one and the same."""
    scan = scan_with_open_answers
    page = alice_client.get(f"/scans/{scan.code}/results/").content.decode()
    on_page = [int(page[i + 5 : i + 7]) for i in range(len(page)) if page.startswith("good ", i)]
    exported = b"".join(alice_client.get(f"/scans/{scan.code}/export/open-answers.csv").streaming_content).decode()
    in_export = [int(line.split(",")[-1].split()[1]) for line in exported.splitlines() if ",good " in line]
    assert on_page == in_export == _writers(scan, "open_goed")


def test_a_page_that_shows_some_answers_shows_the_exports_first_rows(scan_with_open_answers, alice_client, monkeypatch):
    """Fewer shown than written: the page's answers are the export's first, not another choice or order
    (two different selections would give a reader more than either alone)."""
    from roer.web import results

    monkeypatch.setattr(results, "OPEN_ANSWERS_PER_PAGE", 6)
    scan = scan_with_open_answers
    page = alice_client.get(f"/scans/{scan.code}/results/").content.decode()
    exported = b"".join(alice_client.get(f"/scans/{scan.code}/export/open-answers.csv").streaming_content).decode()
    for word in ("good", "better"):
        on_page = [
            int(page[i + len(word) + 1 : i + len(word) + 3]) for i in range(len(page)) if page.startswith(f"{word} ", i)
        ]
        in_export = [int(line.split()[-1]) for line in exported.splitlines() if f",{word} " in line]
        assert len(on_page) == 6
        assert len(in_export) == RESPONDENTS
        assert on_page == in_export[:6]
    assert page.count("6 van de 20 antwoorden getoond") == 2  # says so, per question
    for limit in (1, 6, RESPONDENTS, RESPONDENTS + 5):
        for shown, everything in zip(open_answers(scan, limit=limit), open_answers(scan), strict=True):
            for block, whole in zip(shown.groups, everything.groups, strict=True):
                assert block.answers == whole.answers[:limit]
                assert (
                    block.total == whole.total == (RESPONDENTS if shown.code in ("open_goed", "open_verbeteren") else 0)
                )


def test_the_order_follows_random_handles_and_nothing_a_reader_sees(scan_with_open_answers):
    """The order is that of each answer's random handle: nothing a reader sees replays it, and drawing the
    handles again gives another order."""
    scan = scan_with_open_answers
    listed = _writers(scan, "open_goed")
    for seed in (scan.code.int, scan.pk, str(scan.code)):  # what a reader would try to replay a shuffle with
        replayed = list(range(RESPONDENTS))
        random.Random(seed).shuffle(replayed)
        assert listed != replayed
    answers = OpenAnswer.objects.filter(response__scan=scan, code="open_goed")
    by_handle = [int(text.split()[1]) for text in answers.order_by("handle").values_list("published_text", flat=True)]
    assert listed == by_handle
    for answer in answers:
        answer.handle = new_handle()
        answer.save(update_fields=["handle"])
    assert _writers(scan, "open_goed") != listed
