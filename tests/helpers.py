"""Helpers that answer a questionnaire the way a browser would."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core import mail

from roer.instruments.schema import InstrumentDefinition, Perspective
from roer.responses.questionnaire import Page, pages_for

Chooser = Callable[[str, bool], str]  # (item code, reverse-keyed?) -> posted value


def constant(value: int) -> Chooser:
    """Every item gets the same keyed value: reverse-keyed items get the mirrored raw answer."""
    return lambda code, reverse: str(6 - value if reverse else value)


def page_data(page: Page, definition: InstrumentDefinition, choose: Chooser, action: str = "next") -> dict[str, str]:
    """What the page's form sends with the button `action`: its answers, the page's number and the button."""
    reverse = {item.code for item in definition.items() if item.reverse}
    data = {question.code: choose(question.code, question.code in reverse) for question in page.scaled_questions()}
    data.update({question.code: f"Antwoord op {question.code}" for question in page.open})
    data["page"] = str(page.number)
    data["action"] = action
    return data


def form_address(path: str, number: int, action: str, page_count: int) -> str:
    """Where a browser posts page `number` of the link `path` with the button `action`: the page it leads
    to, the page itself to save for later, the link itself to submit (responses/page.html)."""
    if action == "previous":
        return f"{path}{number - 1}/"
    if action == "save":
        return f"{path}{number}/"
    if number == page_count:
        return path
    return f"{path}{number + 1}/"


def post_page(client, path: str, page: Page, page_count: int, data: dict[str, str]):  # type: ignore[no-untyped-def]
    """Post page `page` as its form does with the button in data["action"]."""
    return client.post(form_address(path, page.number, data["action"], page_count), data)


def answer_all(client, path: str, definition: InstrumentDefinition, perspective: Perspective, choose: Chooser) -> None:
    """Walk every page of the questionnaire and submit on the last one: each save is answered with the next
    page, the submit with the thank-you page."""
    pages = pages_for(definition, perspective)
    for page in pages:
        action = "submit" if page.number == len(pages) else "next"
        response = post_page(client, path, page, len(pages), page_data(page, definition, choose, action))
        assert response.status_code == 200, response.content.decode()[:2000]
        content = response.content.decode()
        if action == "submit":
            assert 'name="page"' not in content, content[:2000]  # the thank-you page, no form
        else:
            assert f'<input type="hidden" name="page" value="{page.number + 1}">' in content, content[:2000]


def links_in_outbox() -> dict[str, str]:
    """{recipient: path of the answer link} for every e-mail sent."""
    links = {}
    for message in mail.outbox:
        match = re.search(r"https?://[^/\s]+(/a/[A-Za-z0-9_-]{43}/)", message.body)
        assert match, message.body
        links[message.to[0]] = match.group(1)
    return links


def close(scan):  # type: ignore[no-untyped-def]
    """Close a scan as its manager would, then let the worker compute its figures; the scan as stored."""
    from roer.lifecycle.scan_life import scan_close
    from tests.tasks import run_tasks

    scan_close(scan=scan)
    run_tasks()
    scan.refresh_from_db()
    return scan


def answer_directly(invitation, answers, open_answers=None) -> bool:  # type: ignore[no-untyped-def]
    """Save and submit one respondent's answers through the lifecycle's guarded services."""
    from roer.lib.tokens import new_token
    from roer.lifecycle.answering import answers_submit

    token, _token_hash = new_token()
    return answers_submit(
        invitation=invitation, token=token, answers=answers, cleared=set(), open_answers=open_answers or {}, page=1
    )


def token_of(path: str) -> str:
    """The token in a questionnaire path /a/<token>/..."""
    return path.split("/")[2]


def saved_draft(invitation, path: str, answers, *, page: int = 1, open_answers=None) -> None:  # type: ignore[no-untyped-def]
    """A draft as the respondent behind `path` would have saved it (whatever the scan's state)."""
    from django.db import transaction

    from roer.responses.services import draft_merge

    with transaction.atomic():
        draft_merge(
            invitation=invitation,
            token=token_of(path),
            answers=answers,
            cleared=set(),
            open_answers=open_answers or {},
            page=page,
        )


def draft_of(invitation, path: str):  # type: ignore[no-untyped-def]
    """The draft stored for this invitation, opened with the link of `path`; it must exist and be sealed
    by that link."""
    from roer.responses.models import ResponseDraft
    from roer.responses.services import draft_open
    from roer.scans.models import Invitation

    assert ResponseDraft.objects.filter(invitation_id=invitation.pk).exists(), "no draft"
    draft = draft_open(Invitation.objects.get(pk=invitation.pk), token_of(path))
    assert not draft.elsewhere, "the draft is sealed by another link"
    return draft


def _keyed(value, reverse, spread):  # type: ignore[no-untyped-def]
    if spread is not None:
        if spread.random() < 0.05:
            return None
        value = min(5, max(1, value + spread.choice((-1, 0, 0, 1))))
    return 6 - value if reverse else value


def closed_scan_with(organisation, version, answers_per_group, *, closes_on=None, title="Scan", spread=None):  # type: ignore[no-untyped-def]
    """A scan whose respondents answered through the real services while it was open, closed since and
    with its figures computed by the worker.

    answers_per_group: {group kind: [keyed value of each respondent]}; each respondent gives that value to
    every item (reverse-keyed items get the mirrored raw answer), so every dimension scores (v - 1) / 4 * 100.
    With `spread` (a random.Random) each item's value moves one point up or down now and then, or becomes
    "don't know", so that the figures have variances, correlations and missing answers.
    The answers are given, and the scan closed, on the day before `closes_on` (default: yesterday).
    """
    import datetime

    import time_machine
    from django.utils import timezone

    from roer.lifecycle.scan_life import scan_close
    from roer.scans.models import Invitation
    from tests.factories import ScanFactory
    from tests.tasks import run_tasks

    closes_on = closes_on or timezone.localdate() - datetime.timedelta(days=1)
    answering_day = datetime.datetime.combine(closes_on, datetime.time(12), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(answering_day, tick=True):
        scan = ScanFactory(
            organisation=organisation,
            instrument_version=version,
            title=title,
            opens_on=closes_on - datetime.timedelta(days=20),
            closes_on=closes_on,
            groups=list(answers_per_group),
        )
        definition = version.parsed
        reverse = definition.reverse_codes()
        for kind, values in answers_per_group.items():
            group = scan.groups.get(kind=kind)
            for number, value in enumerate(values):
                invitation = Invitation.objects.create(
                    scan=scan, group=group, email=f"{kind}{number}@{scan.pk}.example"
                )
                given = {item.code: _keyed(value, item.code in reverse, spread) for item in definition.items()}
                answer_directly(invitation, given)
        scan_close(scan=scan)
    run_tasks()
    scan.refresh_from_db()
    return scan


def publish_open_answers(scan):  # type: ignore[no-untyped-def]
    """Every open answer of the scan published as written, as a scan manager would after reviewing them
    (the review itself is tested in tests/results/test_open_answer_review.py)."""
    from django.db.models import F

    from roer.responses.models import OpenAnswer, OpenAnswerStatus

    OpenAnswer.objects.filter(response__scan=scan).update(status=OpenAnswerStatus.PUBLISHED, published_text=F("text"))
    return scan


def stored_answers(response) -> dict[str, int | None]:  # type: ignore[no-untyped-def]
    """A response's scaled answers as stored: skipped questions absent, "don't know" as None."""
    from roer.scoring.packed import unpack

    return unpack(response.instrument_version.parsed.answer_codes(), bytes(response.packed_answers))


def stored_scores(response) -> dict[str, float | None]:  # type: ignore[no-untyped-def]
    """A response's dimension scores, from its stored answers."""
    from roer.scoring import respondent_dimension_scores

    return respondent_dimension_scores(response.instrument_version.spec, stored_answers(response))
