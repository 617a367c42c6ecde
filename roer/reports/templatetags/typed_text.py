"""Text people typed, printed safely beside Roer's own words in a PDF.

`isolated` wraps a value in Unicode's first-strong isolate and pop-directional isolate (U+2068, U+2069).
A right-to-left override (U+202E) or embedding inside a title then ends with it, however it was typed or
pasted: the owner, the budget or the words after it read as written. WeasyPrint does not support CSS
`unicode-bidi: isolate` (nor the isolation of `<bdi>` that rests on it), but Pango applies these
characters, and browsers do too."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


@register.filter
def isolated(value: object) -> SafeString:
    return mark_safe(f"{FIRST_STRONG_ISOLATE}{conditional_escape(str(value))}{POP_DIRECTIONAL_ISOLATE}")  # noqa: S308 - escaped
