"""An organisation's action plan: the focus its directors chose after a scan, and the actions that
follow, each an investment in knowledge, staff or relations (the source article's three).

A plan belongs to the organisation, not to a scan: it lives across scans, so that the next scan can say
whether an action's dimension moved. An action remembers the scan it was planned after (its baseline).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from roer.instruments.schema import Investment
from roer.organisations.models import Organisation
from roer.scans.models import Scan

# The session picks two or three focus dimensions: fewer gives no choice, more gives no focus.
FOCUS_MIN = 2
FOCUS_MAX = 3


class InvestmentKind(models.TextChoices):
    KENNIS = Investment.KENNIS.value, _("Knowledge")
    MEDEWERKERS = Investment.MEDEWERKERS.value, _("Staff")
    RELATIES = Investment.RELATIES.value, _("Relations")


class FocusDimension(models.Model):
    """One dimension the directors chose to work on in the session after a scan."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="focus_dimensions", verbose_name=_("scan"))
    dimension_code = models.CharField(_("dimension"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("chosen by")
    )
    chosen_at = models.DateTimeField(_("chosen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("focus dimension")
        verbose_name_plural = _("focus dimensions")
        ordering = ["scan", "position"]
        constraints = [models.UniqueConstraint(fields=["scan", "dimension_code"], name="focus_once_per_scan")]

    def __str__(self) -> str:
        return self.dimension_code


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


OPEN_STATUSES = frozenset({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS})


class Action(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="actions", verbose_name=_("organisation")
    )
    # The scan the action was planned after: its score on the dimension is the baseline a later scan is
    # compared with. Kept when the scan goes (SET_NULL): the action then has no baseline.
    baseline_scan = models.ForeignKey(
        Scan, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name=_("planned after")
    )
    instrument_code = models.CharField(_("instrument"), max_length=60)
    dimension_code = models.CharField(_("dimension"), max_length=60)
    investment = models.CharField(_("investment"), max_length=20, choices=InvestmentKind.choices)
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    budget_euros = models.PositiveIntegerField(
        _("budget (euros)"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100_000_000)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    # The due date the owner was last reminded of, so that a reminder goes once per due date however often
    # the scheduled job runs; a new due date gets a new reminder.
    reminded_for = models.DateField(_("reminded for"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["organisation", "status"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on < today


class ProgressNote(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes", verbose_name=_("action"))
    written_on = models.DateField(_("date"))
    text = models.TextField(_("progress"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.written_on}: {self.text[:40]}"
