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


@register.filter
def self_group(definition: object) -> str:
    """The name of the instrument's self-assessing group, without what stands in brackets ("Directie",
    "Raad van bestuur"), in the current language."""
    groups = getattr(definition, "respondent_groups", None)
    found = next((group for group in groups() if group.is_self), None) if groups else None
    return found.name.get(get_language() or "nl").split(" (")[0] if found else ""


@register.filter
def signed(value: object) -> str:
    """A difference as a whole number with its sign: +6, −3 (a real minus sign), 0."""
    if value is None:
        return ""
    rounded = str(floatformat(value, 0))
    if rounded in {"0", "-0"}:
        return "0"
    return rounded.replace("-", "\u2212") if rounded.startswith("-") else f"+{rounded}"


@register.filter
def get(mapping: object, key: object) -> object:
    """mapping|get:key, for dictionaries keyed by codes."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def decimals(value: object, places: int = 2) -> str:
    if value is None:
        return ""
    return str(floatformat(value, places))
