from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import get_language

register = template.Library()


@register.filter
def score(value: object) -> str:
    """A 0-100 figure as shown everywhere in Roer: a whole number, rounded half up."""
    if value is None:
        return ""
    return str(floatformat(value, 0))


@register.filter
def localised(text: object) -> str:
    """Instrument text (nl + en) in the current language."""
    get = getattr(text, "get", None)
    if get is None:
        return ""
    return str(get(get_language() or "nl"))
