"""The dimensions offers and cases are about, named in the active language.

Offers and cases outlive a scan, so they name a dimension by its code; its name comes from the newest
version of the instrument that knows it. Every instrument counts (a municipality's and a healthcare
organisation's dimensions are each offered), each through its newest version."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import get_language

from roer.instruments.models import InstrumentVersion
from roer.instruments.selectors import usable_versions


def newest_versions(organisation_id: int | None = None) -> list[InstrumentVersion]:
    """The newest published version of each instrument, by instrument code; with an organisation, of each
    instrument it may use (a municipality offers to share on the municipal dimensions, not on healthcare's)."""
    versions = (
        usable_versions(organisation_id)
        if organisation_id is not None
        else InstrumentVersion.objects.filter(published_at__isnull=False).order_by("instrument__code", "-number")
    )
    newest: dict[int, InstrumentVersion] = {}
    for version in versions:
        newest.setdefault(version.instrument_id, version)
    return list(newest.values())


def dimension_names(versions: Sequence[InstrumentVersion], language: str | None = None) -> dict[str, str]:
    """Every dimension of these versions by code, instrument by instrument in the order of each (a code two
    instruments share is named by the first)."""
    language = language or get_language() or "nl"
    names: dict[str, str] = {}
    for version in versions:
        for _pillar, dimension in version.parsed.dimensions():
            names.setdefault(dimension.code, dimension.name.get(language))
    return names


def dimension_choices(versions: Sequence[InstrumentVersion]) -> list[tuple[str, str]]:
    return list(dimension_names(versions).items())
