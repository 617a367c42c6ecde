"""Files made in the background: report PDFs, rendered once per state of what they show, and exports of
large scans. Both are kept in the default file storage (var/files unless configured), never under a
public URL: every download goes through a view that checks who asks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from roer.organisations.models import Organisation
from roer.scans.models import Scan


class FileStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReportKind(models.TextChoices):
    SUMMARY = "summary", _("Management summary")
    FULL = "full", _("Full report")


def _report_path(instance: ReportFile, filename: str) -> str:
    return f"reports/{instance.scan.code}/{filename}"


def _export_path(instance: ExportFile, filename: str) -> str:
    return f"exports/{instance.scan.code}/{filename}"


class StoredPdf(models.Model):
    """A PDF rendered once for one fingerprint of what it shows, in one language, by a background task."""

    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=FileStatus.choices, default=FileStatus.PENDING)
    # Why it failed, when it did: UNAVAILABLE when this server lacks the libraries to render PDFs.
    error = models.CharField(max_length=40, blank=True)
    task_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)

    UNAVAILABLE = "pdf-libraries-missing"

    class Meta:
        abstract = True


class ReportFile(StoredPdf):
    """One report PDF for one fingerprint of its inputs (`roer.reports.documents.report_fingerprint`):
    a changed foreword, new benchmarks or a new title give a new fingerprint and so a new file."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="report_files", verbose_name=_("scan"))
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    file = models.FileField(upload_to=_report_path, blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.UniqueConstraint(
                fields=["scan", "kind", "language", "fingerprint"], name="one_report_file_per_fingerprint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scan} {self.kind} {self.language}"


def _plan_path(instance: PlanFile, filename: str) -> str:
    return f"plans/{instance.organisation.code}/{filename}"


class PlanFile(StoredPdf):
    """An organisation's action plan on one page, for one fingerprint of what it shows
    (`roer.reports.plan.plan_fingerprint`): any change to an action gives a new file."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="plan_files", verbose_name=_("organisation")
    )
    file = models.FileField(upload_to=_plan_path, blank=True)

    class Meta:
        verbose_name = _("action plan file")
        verbose_name_plural = _("action plan files")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language", "fingerprint"], name="one_plan_file_per_fingerprint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.language}"


class ExportName(models.TextChoices):
    SCORES = "scores", _("Scores per group")
    RESPONDENTS = "respondents", _("Answers per respondent")
    OPEN_ANSWERS = "open-answers", _("Open answers")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV file")
    XLSX = "xlsx", _("Excel workbook")


class ExportFile(models.Model):
    """An export of a large scan, built by a background task with its progress counted here, and
    deleted after `ROER_EXPORT_RETENTION_HOURS`."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="export_files", verbose_name=_("scan"))
    name = models.CharField(_("export"), max_length=20, choices=ExportName.choices)
    extension = models.CharField(_("format"), max_length=5, choices=ExportFormat.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=FileStatus.choices, default=FileStatus.PENDING)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(upload_to=_export_path, blank=True)
    task_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("deleted after"))

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.scan} {self.name}.{self.extension}"

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.extension}"

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
