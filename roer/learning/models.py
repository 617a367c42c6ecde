"""Learning from other organisations: offers to share experience on a dimension, and the case library.

A sharing offer names an organisation, a dimension and a contact person of that organisation; it shows
to nobody until the contact person has agreed on their own page, and it stops showing when it is
withdrawn. A case is a short account written by an organisation; members of other organisations read
it only once the platform administrator has published it.

Search: `search_document` holds the text a case is found by (written by `roer.learning.services`). On
PostgreSQL it is indexed with a GIN index over `to_tsvector('dutch', search_document)`; on SQLite an
FTS5 table kept in step by triggers (migration 0002).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from roer.organisations.models import Organisation
from roer.plans.models import InvestmentKind


class SharingOffer(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sharing_offers", verbose_name=_("organisation")
    )
    dimension_code = models.CharField(_("dimension"), max_length=60)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sharing_offers",
        verbose_name=_("contact person"),
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("offered by")
    )
    offered_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    # Set by the contact person themselves; until then the offer shows to nobody outside the organisation.
    consented_at = models.DateTimeField(_("contact agreed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer to share experience")
        verbose_name_plural = _("offers to share experience")
        ordering = ["organisation", "dimension_code", "-offered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "dimension_code"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_offer_per_dimension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.dimension_code}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def is_consented(self) -> bool:
        return self.consented_at is not None and self.withdrawn_at is None


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Sent back")


EDITABLE_STATUSES = frozenset({CaseStatus.DRAFT, CaseStatus.REJECTED})


class CaseLanguage(models.TextChoices):
    NL = "nl", _("Dutch")
    EN = "en", _("English")


class Case(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cases", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    what_they_did = models.TextField(_("what we did"), max_length=4000)
    what_it_brought = models.TextField(_("what it brought"), max_length=4000)
    dimension_codes = models.JSONField(_("dimensions"), default=list)
    investment = models.CharField(_("investment"), max_length=20, choices=InvestmentKind.choices)
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    language = models.CharField(_("language"), max_length=5, choices=CaseLanguage.choices, default=CaseLanguage.NL)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    moderator_note = models.TextField(_("moderator's note"), blank=True, max_length=2000)
    # What the case is found by: title, texts, organisation and dimension names (see the module's docstring).
    search_document = models.TextField(_("search text"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "-published_at"]), models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES
