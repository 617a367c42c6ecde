"""The dimensions offers and cases are about, named in the active language.

Offers and cases outlive a scan, so they name a dimension by its code; its name comes from the newest
instrument version that knows it."""

from __future__ import annotations

from django.utils.translation import get_language

from roer.instruments.models import InstrumentVersion


def newest_version() -> InstrumentVersion | None:
    return InstrumentVersion.objects.order_by("-loaded_at", "-pk").first()


def dimension_names(version: InstrumentVersion | None, language: str | None = None) -> dict[str, str]:
    """Every dimension of the version by code, in the order of the instrument."""
    if version is None:
        return {}
    language = language or get_language() or "nl"
    return {dimension.code: dimension.name.get(language) for _pillar, dimension in version.parsed.dimensions()}


def dimension_choices(version: InstrumentVersion | None) -> list[tuple[str, str]]:
    return list(dimension_names(version).items())
