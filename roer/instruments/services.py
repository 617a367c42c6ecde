"""Writes for instruments: loading a validated file as a new immutable version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roer.instruments.loader import InstrumentFileError, Problem
from roer.instruments.models import Instrument, InstrumentVersion
from roer.instruments.schema import InstrumentDefinition

# Guidance beside what is measured: left out of the content hash, so that it can be improved in a version
# already in use (and a version loaded before the guide existed keeps its hash, byte for byte).
UNHASHED = frozenset({"conversation"})
# Sections the format gained later: left out of the hash while a file leaves them out, so a version loaded
# before they existed keeps its hash, byte for byte, here and on every installation it is compared with.
LATER_SECTIONS = frozenset({"groups"})


@dataclass(frozen=True)
class LoadResult:
    version: InstrumentVersion
    created: bool
    guide_updated: bool = False


def canonical_json(definition: InstrumentDefinition) -> dict[str, Any]:
    """The definition as stored, with its conversation guide when it has one."""
    return definition.model_dump(mode="json", by_alias=True)


def content_hash_of(definition: InstrumentDefinition) -> str:
    """SHA-256 of what the version measures: everything but the guidance in UNHASHED."""
    left_out = set(UNHASHED) | {name for name in LATER_SECTIONS if getattr(definition, name) is None}
    measured = definition.model_dump(mode="json", by_alias=True, exclude=left_out)
    payload = json.dumps(measured, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _guide_of(stored: dict[str, Any]) -> dict[str, Any]:
    return {key: stored.get(key) for key in sorted(UNHASHED)}


@transaction.atomic
def instrument_version_load(
    *, definition: InstrumentDefinition, source_text: str, source_name: str, publish: bool = True
) -> LoadResult:
    # publish=False is an upload in the product: it never changes a stored version, not even its guide
    # (that stays the command line's, for a platform administrator at the server)
    """Store a validated definition as a version; the same content again is a no-op.

    A version number that already exists with other content is refused: a change is a new version. Only
    the conversation guide, which measures nothing, is updated in place (`guide_updated` says so). The
    command line publishes what it loads for every organisation; an upload in the product (publish=False)
    stays a draft until a platform administrator publishes it (instrument_version_publish).
    """
    content_hash = content_hash_of(definition)
    instrument, _created = Instrument.objects.get_or_create(code=definition.code)
    existing = (
        InstrumentVersion.objects.select_for_update().filter(instrument=instrument, number=definition.version).first()
    )
    if existing is not None:
        if existing.content_hash == content_hash:
            stored = canonical_json(definition)
            if _guide_of(existing.definition) == _guide_of(stored):
                return LoadResult(version=existing, created=False)
            if not publish:
                message = _(
                    "version %(number)s of %(code)s is already loaded, with another conversation guide; an upload "
                    "never changes a stored version, so save the change with a new version number"
                ) % {"number": definition.version, "code": definition.code}
                raise InstrumentFileError(source_name, [Problem("version", None, message)])
            existing.definition = stored
            existing.source_text = source_text
            existing.source_name = source_name
            existing.save(update_fields=["definition", "source_text", "source_name"])
            return LoadResult(version=existing, created=False, guide_updated=True)
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
        published_at=timezone.now() if publish else None,
    )
    version.full_clean()
    version.save()
    return LoadResult(version=version, created=True)


@transaction.atomic
def instrument_version_publish(*, version: InstrumentVersion, organisation_ids: list[int] | None) -> InstrumentVersion:
    """Make the version usable for new scans: by every organisation (None) or by those chosen. Called again
    on a published version, it changes who may use it; scans already set up keep their version."""
    locked = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if locked.published_at is None:
        locked.published_at = timezone.now()
    locked.for_every_organisation = organisation_ids is None
    locked.save(update_fields=["published_at", "for_every_organisation"])
    locked.organisations.set(organisation_ids or [])
    return locked


@transaction.atomic
def instrument_draft_discard(*, version: InstrumentVersion) -> None:
    """Delete a draft that no scan uses; a published version stays forever."""
    locked = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if locked.published_at is not None or locked.scans.exists():
        raise InstrumentFileError(locked.source_name, [Problem("version", None, _("A published version is kept."))])
    locked.delete()
