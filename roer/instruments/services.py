"""Writes for instruments: loading a validated file as a new immutable version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from roer.instruments.loader import InstrumentFileError, Problem
from roer.instruments.models import Instrument, InstrumentVersion
from roer.instruments.schema import InstrumentDefinition


@dataclass(frozen=True)
class LoadResult:
    version: InstrumentVersion
    created: bool


def canonical_json(definition: InstrumentDefinition) -> dict[str, Any]:
    return definition.model_dump(mode="json", by_alias=True)


def content_hash_of(definition: InstrumentDefinition) -> str:
    payload = json.dumps(canonical_json(definition), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@transaction.atomic
def instrument_version_load(*, definition: InstrumentDefinition, source_text: str, source_name: str) -> LoadResult:
    """Store a validated definition as a version; the same content again is a no-op.

    A version number that already exists with other content is refused: a change is a new version.
    """
    content_hash = content_hash_of(definition)
    instrument, _created = Instrument.objects.get_or_create(code=definition.code)
    existing = (
        InstrumentVersion.objects.select_for_update().filter(instrument=instrument, number=definition.version).first()
    )
    if existing is not None:
        if existing.content_hash == content_hash:
            return LoadResult(version=existing, created=False)
        message = _(
            "version %(number)s of %(code)s is already loaded with different content; a used version is "
            "never changed, so save the change with a new version number"
        ) % {"number": definition.version, "code": definition.code}
        raise InstrumentFileError(source_name, [Problem("version", None, message)])
    version = InstrumentVersion(
        instrument=instrument,
        number=definition.version,
        content_hash=content_hash,
        definition=canonical_json(definition),
        source_name=source_name,
        source_text=source_text,
    )
    version.full_clean()
    version.save()
    return LoadResult(version=version, created=True)
