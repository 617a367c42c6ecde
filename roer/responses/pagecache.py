"""Questionnaire pages rendered once and filled in per request.

A questionnaire page differs between respondents only in the CSRF token, the page's own address (in the
language switch) and the answers already given. The rest depends on the scan, the instrument version, the
page, the perspective and the language, so it is rendered once per process with placeholders in those
three places; a request then joins the pieces. Pages with validation errors take the ordinary way.

The shared render sees no one's session: a signed-in visitor's name or pending messages would otherwise
be shown to every respondent after them (and the messages used up on a page that does not show them).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

CSRF, NEXT, QUESTIONS = "\x00csrf\x00", "\x00next\x00", "\x00questions\x00"
_MAX_CACHED = 512


@dataclass(frozen=True)
class PageParts:
    parts: tuple[str, ...]  # static text, with the placeholders as parts of their own


_CACHE: dict[Hashable, PageParts] = {}


def _split(html: str) -> PageParts:
    parts: list[str] = [html]
    for marker in (CSRF, NEXT, QUESTIONS):
        split: list[str] = []
        for part in parts:
            pieces = part.split(marker)
            for index, piece in enumerate(pieces):
                if index:
                    split.append(marker)
                split.append(piece)
        parts = split
    return PageParts(tuple(parts))


def render_page(
    request: HttpRequest,
    key: Hashable,
    template: str,
    context: Mapping[str, object],
    questions: Callable[[], str],
) -> str:
    """The page for this request; `key` names everything the static parts depend on."""
    page = _CACHE.get(key)
    if page is None:
        html = render_to_string(
            template,
            {
                **context,
                "csrf_token": CSRF,
                "next_path": NEXT,
                "questions_html": mark_safe(QUESTIONS),  # noqa: S308 - our own placeholder
                "user": AnonymousUser(),
                "messages": (),
                "perms": None,
            },
            request=request,
        )
        if len(_CACHE) >= _MAX_CACHED:
            _CACHE.clear()
        page = _CACHE[key] = _split(html)
    values = {CSRF: get_token(request), NEXT: escape(request.get_full_path()), QUESTIONS: questions()}
    return "".join(values.get(part, part) for part in page.parts)
