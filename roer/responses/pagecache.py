"""Questionnaire pages rendered once and filled in per request.

A questionnaire page differs between respondents only in the CSRF token, the page's own address (in the
language switch), the respondent's link (in the addresses the form posts to) and the answers already
given. The rest depends on the scan, the instrument version, the page, the perspective and the language,
so it is rendered once per process with placeholders in those places; a request then joins the pieces.
Pages with validation errors take the ordinary way. The caller's key names a stored version of everything
the page shows (the scan's revision, the immutable instrument version), so a changed scan gets new pages;
the least recently used pages make way when the cache is full. The thank-you page, the same for everyone,
is kept the same way.

The shared render sees no one's session: a signed-in visitor's name or pending messages would otherwise
be shown to every respondent after them (and the messages used up on a page that does not show them).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

CSRF, NEXT, LINK, QUESTIONS = "\x00csrf\x00", "\x00next\x00", "\x00link\x00", "\x00questions\x00"
_MARKERS = (CSRF, NEXT, LINK, QUESTIONS)
_MAX_CACHED = 512


@dataclass(frozen=True)
class PageParts:
    parts: tuple[str, ...]  # static text, with the placeholders as parts of their own


class _LeastRecentlyUsed:
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, PageParts] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> PageParts | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, page: PageParts) -> None:
        with self._lock:
            self._items[key] = page
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)


_CACHE = _LeastRecentlyUsed(_MAX_CACHED)


def _split(html: str) -> PageParts:
    parts: list[str] = [html]
    for marker in _MARKERS:
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
    context: Callable[[], Mapping[str, object]],
    questions: Callable[[], str],
    *,
    link: str = "",
) -> str:
    """The page for this request; `key` names everything the static parts depend on, and `context` makes
    the template's context, only when the page is not in the cache yet. The context gives LINK where the
    template shows the respondent's link, which `link` then fills in."""
    page = _CACHE.get(key)
    if page is None:
        html = render_to_string(
            template,
            {
                **context(),
                "csrf_token": CSRF,
                "next_path": NEXT,
                "questions_html": mark_safe(QUESTIONS),  # noqa: S308 - our own placeholder
                "user": AnonymousUser(),
                "messages": (),
                "perms": None,
            },
            request=request,
        )
        page = _split(html)
        _CACHE.put(key, page)
    values = {
        CSRF: get_token(request),
        NEXT: escape(request.get_full_path()),
        LINK: escape(link),
        QUESTIONS: questions(),
    }
    return "".join(values.get(part, part) for part in page.parts)
