from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from roer.instruments.schema import InstrumentDefinition
from roer.instruments.spec import scoring_spec
from roer.scoring import InstrumentSpec


class Instrument(models.Model):
    """A questionnaire family, such as "Digitaal leiderschap"; its content lives in its versions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["code"]

    def __str__(self) -> str:
        latest = self.versions.order_by("-number").first()
        return latest.name if latest else self.code


class InstrumentVersion(models.Model):
    """One immutable version of an instrument file.

    The validated definition is stored as canonical JSON with its SHA-256; every scan and response points at
    the version it used, so a published figure can always be recomputed with the exact items behind it.
    """

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("instrument")
    )
    number = models.PositiveIntegerField(_("version"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    definition = models.JSONField(_("definition"))
    source_name = models.CharField(_("source file"), max_length=255)
    source_text = models.TextField(_("source text"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    # A version uploaded in the product is a draft until a platform administrator has read its preview and
    # its differences and publishes it; only then can a scan be set up with it, by the organisations chosen.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    for_every_organisation = models.BooleanField(_("for every organisation"), default=True)
    organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name=_("organisations that may use it")
    )

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="one_instrument_version_per_number")
        ]

    def __str__(self) -> str:
        return _("%(name)s, version %(number)s") % {"name": self.name, "number": self.number}

    @cached_property
    def parsed(self) -> InstrumentDefinition:
        # The definition field is read only on a cache miss: hot paths load versions without it.
        cached = _CACHE.get((self.pk, self.content_hash))
        return cached if cached is not None else _parse_cached(self.pk, self.content_hash, self.definition)

    @cached_property
    def spec(self) -> InstrumentSpec:
        return _spec_cached(self.pk, self.content_hash, self.parsed)

    @property
    def name(self) -> str:
        return self.parsed.name.get(get_language() or "nl")


_CACHE: dict[tuple[int, str], InstrumentDefinition] = {}
_SPEC_CACHE: dict[tuple[int, str], InstrumentSpec] = {}


def _parse_cached(pk: int, content_hash: str, definition: dict[str, Any]) -> InstrumentDefinition:
    """Versions are immutable, so a parsed definition can be shared by every request in the process."""
    key = (pk, content_hash)
    parsed = _CACHE.get(key)
    if parsed is None:
        parsed = InstrumentDefinition.model_validate(definition)
        _CACHE[key] = parsed
    return parsed


def _spec_cached(pk: int, content_hash: str, definition: InstrumentDefinition) -> InstrumentSpec:
    key = (pk, content_hash)
    spec = _SPEC_CACHE.get(key)
    if spec is None:
        spec = scoring_spec(definition)
        _SPEC_CACHE[key] = spec
    return spec
