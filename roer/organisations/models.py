from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from roer.organisations.size_classes import SizeClass, size_class_for


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", _("Municipality")
    PROVINCIE = "provincie", _("Province")
    WATERSCHAP = "waterschap", _("Water authority")
    ZORG = "zorg", _("Healthcare organisation")
    OTHER = "other", _("Other public organisation")


class Organisation(models.Model):
    # Public identifier for URLs, separate from the primary key so ids cannot be enumerated.
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    inhabitants = models.PositiveIntegerField(
        _("inhabitants"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20_000_000)],
        help_text=_("Required for a municipality: it sets the CBS size class used for comparisons."),
    )
    benchmark_opt_in = models.BooleanField(
        _("takes part in the benchmark"),
        default=False,
        help_text=_(
            "Its scores join the anonymous comparison with other organisations, and it sees how it compares. "
            "No other organisation ever sees its name or figures."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind == OrganisationKind.GEMEENTE and not self.inhabitants:
            raise ValidationError({"inhabitants": _("A municipality needs its number of inhabitants.")})

    @property
    def size_class(self) -> SizeClass | None:
        if self.kind != OrganisationKind.GEMEENTE or not self.inhabitants:
            return None
        return size_class_for(self.inhabitants)


class Role(models.TextChoices):
    BEHEERDER = "beheerder", _("Scan manager")
    LEZER = "lezer", _("Reader")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEZER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"
