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
    data = {question.code: choose(question.code, question.code in reverse) for question in page.scaled}
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
