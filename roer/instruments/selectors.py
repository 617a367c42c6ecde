"""Reads of stored instrument versions."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from roer.instruments.models import InstrumentVersion
from roer.instruments.schema import Conversation


def conversation_of(version: InstrumentVersion) -> Conversation | None:
    """The version's conversation guide as stored now, in one small query.

    Read apart from `version.parsed`, which every process keeps by content hash: the guide measures
    nothing and may be improved in place under the same hash (instrument_version_load), so a parsed
    definition kept since may hold an older guide."""
    stored = InstrumentVersion.objects.filter(pk=version.pk).values_list("definition__conversation", flat=True).first()
    return Conversation.model_validate(stored) if stored else None


def usable_versions(organisation_id: int) -> QuerySet[InstrumentVersion]:
    """The published versions an organisation may set up a new scan with."""
    return usable_by_any([organisation_id])


def previous_version(version: InstrumentVersion) -> InstrumentVersion | None:
    """The version of the same instrument just below this one, to compare it with."""
    return (
        InstrumentVersion.objects.filter(instrument_id=version.instrument_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def usable_by_all(organisation_ids: list[int]) -> QuerySet[InstrumentVersion]:
    """The published versions every one of these organisations may use (for one scan set up for several
    clients at once); with no organisation, none."""
    if not organisation_ids:
        return InstrumentVersion.objects.none()
    if len(organisation_ids) == 1:
        return usable_versions(organisation_ids[0])
    common = set.intersection(*(set(usable_versions(pk).values_list("pk", flat=True)) for pk in organisation_ids))
    return (
        InstrumentVersion.objects.filter(pk__in=common)
        .select_related("instrument")
        .defer("source_text")
        .order_by("instrument__code", "-number")
    )


def usable_by_any(organisation_ids: list[int]) -> QuerySet[InstrumentVersion]:
    """The published versions at least one of these organisations may use."""
    chosen = InstrumentVersion.organisations.through.objects.filter(organisation_id__in=organisation_ids)
    return (
        InstrumentVersion.objects.filter(published_at__isnull=False)
        .filter(Q(for_every_organisation=True) | Q(pk__in=chosen.values("instrumentversion_id")))
        .select_related("instrument")
        .defer("source_text")
        .order_by("instrument__code", "-number")
    )
