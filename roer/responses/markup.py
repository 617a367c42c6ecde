"""Fast questionnaire pages: the questions of a page rendered once per instrument version, page,
perspective and language, then filled with a respondent's answers by splicing in `checked` attributes and
textarea contents.

Rendering 80 radio buttons through Django's template engine costs milliseconds per request; instrument
versions never change, so the markup can be made once per process. A page with validation errors is
rendered the ordinary way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from roer.instruments.models import InstrumentVersion
from roer.instruments.schema import Perspective
from roer.responses.forms import PageForm
from roer.responses.questionnaire import DONT_KNOW, Page

_RADIO = re.compile(r'<input type="radio" name="([^"]+)" value="([^"]+)" id="[^"]+"')
_TEXTAREA_END = re.compile(r'<textarea name="([^"]+)"[^>]*>\n?</textarea>')
_MAX_CACHED = 256


@dataclass(frozen=True)
class QuestionsMarkup:
    html: str
    checked_at: Mapping[tuple[str, str], int]  # (field, value) -> where " checked" goes
    text_at: Mapping[str, int]  # textarea field -> where its text goes


_CACHE: dict[tuple[object, ...], QuestionsMarkup] = {}


def _build(version: InstrumentVersion, page: Page) -> QuestionsMarkup:
    definition = version.parsed
    form = PageForm(page=page, scale=definition.scale, developments=definition.developments)
    html = render_to_string(
        "responses/partials/questions.html",
        {
            "form": form,
            "page": page,
            "page_scaled_codes": {question.code for question in page.scaled},
            "page_open_codes": {question.code for question in page.open},
        },
    )
    checked_at = {(match[1], match[2]): match.end() for match in _RADIO.finditer(html)}
    text_at = {match[1]: match.end() - len("</textarea>") for match in _TEXTAREA_END.finditer(html)}
    return QuestionsMarkup(html, checked_at, text_at)


def questions_markup(
    version: InstrumentVersion, page: Page, perspective: Perspective, language: str
) -> QuestionsMarkup:
    key = (version.pk, version.content_hash, page.number, perspective, language)
    markup = _CACHE.get(key)
    if markup is None:
        if len(_CACHE) >= _MAX_CACHED:
            _CACHE.clear()
        markup = _CACHE[key] = _build(version, page)
    return markup


def filled(markup: QuestionsMarkup, answers: Mapping[str, int | None], open_answers: Mapping[str, str]) -> SafeString:
    """The page's questions with this respondent's saved answers in place."""
    inserts: list[tuple[int, str]] = []
    for code, value in answers.items():
        position = markup.checked_at.get((code, DONT_KNOW if value is None else str(value)))
        if position is not None:
            inserts.append((position, " checked"))
    for code, text in open_answers.items():
        position = markup.text_at.get(code)
        if position is not None:
            inserts.append((position, escape(text)))
    inserts.sort()
    parts, last = [], 0
    for position, text in inserts:
        parts.append(markup.html[last:position])
        parts.append(text)
        last = position
    parts.append(markup.html[last:])
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped template output and escaped answers
