"""Benchmark figures of other installations: who is trusted to send them, and the cells of the latest
file each sent. Only aggregates ever arrive here (number of organisations, median, quartiles per peer
group and dimension); no organisation's name, code or own score."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrustedInstallation(models.Model):
    """Another Roer installation whose signed benchmark files are accepted, by its Ed25519 public key."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    public_key = models.CharField(_("public key"), max_length=100, unique=True)  # "ed25519:<base64 of 32 bytes>"
    key_id = models.CharField(_("key fingerprint"), max_length=16, unique=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("trusted installation")
        verbose_name_plural = _("trusted installations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NewestFile(models.Model):
    """The newest file ever imported with one public key (by fingerprint). Kept when the installation is
    no longer trusted, so that trusting it again does not let an older signed file back in (a replay)."""

    key_id = models.CharField(_("key fingerprint"), max_length=16, unique=True)
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        verbose_name = _("newest imported file")
        verbose_name_plural = _("newest imported files")

    def __str__(self) -> str:
        return f"{self.key_id} {self.generated_at:%Y-%m-%d %H:%M}"


class ImportedBenchmark(models.Model):
    """The latest file imported from one trusted installation; a newer file replaces it whole."""

    installation = models.OneToOneField(
        TrustedInstallation, on_delete=models.CASCADE, related_name="benchmark", verbose_name=_("installation")
    )
    installation_name = models.CharField(_("name in the file"), max_length=200)
    format_version = models.PositiveSmallIntegerField(_("format version"))
    generated_at = models.DateTimeField(_("generated at"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)
    sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("imported benchmark")
        verbose_name_plural = _("imported benchmarks")

    def __str__(self) -> str:
        return f"{self.installation} {self.generated_at:%Y-%m-%d %H:%M}"


class ImportedCell(models.Model):
    """One peer group's figures on one dimension or pillar of one instrument version. The peer group is
    every organisation (kind and size class empty), one kind, or municipalities of one CBS size class."""

    benchmark = models.ForeignKey(ImportedBenchmark, on_delete=models.CASCADE, related_name="cells")
    instrument_code = models.CharField(max_length=40)
    instrument_version = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=20, blank=True)
    size_class = models.PositiveSmallIntegerField(default=0)  # 0: no size class
    code = models.CharField(max_length=40)
    organisations = models.PositiveIntegerField()
    median = models.FloatField()
    q1 = models.FloatField(null=True, blank=True)
    q3 = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("imported benchmark cell")
        verbose_name_plural = _("imported benchmark cells")
        indexes = [models.Index(fields=["instrument_code", "instrument_version"], name="imported_cell_instrument")]
        constraints = [
            models.UniqueConstraint(
                fields=["benchmark", "instrument_code", "instrument_version", "kind", "size_class", "code"],
                name="one_imported_cell_per_group_code",
            )
        ]

    def __str__(self) -> str:
        group = f"{self.kind or 'all'} {self.size_class or ''}".strip()
        return f"{self.instrument_code} v{self.instrument_version} {group} {self.code}"
