from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
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
    # The organisation's own look on its questionnaire, e-mails and reports: the colour here (refused when
    # it fails WCAG AA contrast), the logo in OrganisationLogo, so that no query for an organisation loads
    # its image; logo_updated_at says there is one and tells caches apart.
    logo_updated_at = models.DateTimeField(_("logo changed at"), null=True, blank=True, editable=False)
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        blank=True,
        help_text=_("A hexadecimal colour such as #1d4f91; empty for Roer's own colour."),
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


class OrganisationLogo(models.Model):
    """An organisation's logo, a small PNG re-encoded on upload (no metadata, no other format, bounded in
    size). It is kept in the database so that it travels with exports and backups and needs no public
    file storage."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="logo", verbose_name=_("organisation")
    )
    png = models.BinaryField(_("image (PNG)"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))

    class Meta:
        verbose_name = _("logo")
        verbose_name_plural = _("logos")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.width}×{self.height})"


class Role(models.TextChoices):
    BEHEERDER = "beheerder", _("Scan manager")
    LEZER = "lezer", _("Reader")
    # An outside consultant, granted by one of the organisation's scan managers: runs scans like a scan
    # manager, but does not manage the organisation's members or consultants.
    ADVISEUR = "adviseur", _("Consultant")


# The roles that may run scans and the action plan.
MANAGING_ROLES = frozenset({Role.BEHEERDER, Role.ADVISEUR})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEZER)
    # Who invited the member or granted the consultant access, and when: shown on the members page.
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("member since"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"
