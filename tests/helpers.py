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
    reverse = {item.code for item in definition.items() if item.reverse}
    data = {question.code: choose(question.code, question.code in reverse) for question in page.scaled_questions()}
    data.update({question.code: f"Antwoord op {question.code}" for question in page.open})
    data["action"] = action
    return data


def answer_all(client, path: str, definition: InstrumentDefinition, perspective: Perspective, choose: Chooser) -> None:
    """Walk every page of the questionnaire and submit on the last one."""
    pages = pages_for(definition, perspective)
    for page in pages:
        action = "submit" if page.number == len(pages) else "next"
        response = client.post(f"{path}{page.number}/", page_data(page, definition, choose, action))
        assert response.status_code == 302, response.content.decode()[:2000]


def links_in_outbox() -> dict[str, str]:
    """{recipient: path of the answer link} for every e-mail sent."""
    links = {}
    for message in mail.outbox:
        match = re.search(r"https?://[^/\s]+(/a/[A-Za-z0-9_-]{43}/)", message.body)
        assert match, message.body
        links[message.to[0]] = match.group(1)
    return links


def closed_scan_with(organisation, version, answers_per_group, *, closes_on=None, title="Scan"):  # type: ignore[no-untyped-def]
    """A closed scan whose respondents answered through the real services.

    answers_per_group: {group kind: [keyed value of each respondent]}; each respondent gives that value to
    every item (reverse-keyed items get the mirrored raw answer), so every dimension scores (v - 1) / 4 * 100.
    """
    import datetime

    from django.utils import timezone

    from roer.responses.services import draft_save, response_submit
    from roer.scans.models import GroupKind, Invitation
    from tests.factories import ScanFactory

    closes_on = closes_on or timezone.localdate() - datetime.timedelta(days=1)
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
        group = scan.groups.get(kind=GroupKind(kind))
        for number, value in enumerate(values):
            invitation = Invitation.objects.create(scan=scan, group=group, email=f"{kind}{number}@{scan.pk}.example")
            given = {item.code: (6 - value if item.code in reverse else value) for item in definition.items()}
            draft_save(invitation=invitation, answers=given, cleared=set(), open_answers={}, page=1)
            response_submit(invitation=invitation)
    return scan
