"""Reads of stored instrument versions."""

from __future__ import annotations

from roer.instruments.models import InstrumentVersion
from roer.instruments.schema import Conversation


def conversation_of(version: InstrumentVersion) -> Conversation | None:
    """The version's conversation guide as stored now, in one small query.

    Read apart from `version.parsed`, which every process keeps by content hash: the guide measures
    nothing and may be improved in place under the same hash (instrument_version_load), so a parsed
    definition kept since may hold an older guide."""
    stored = InstrumentVersion.objects.filter(pk=version.pk).values_list("definition__conversation", flat=True).first()
    return Conversation.model_validate(stored) if stored else None
