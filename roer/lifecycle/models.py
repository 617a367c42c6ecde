"""What the background workers keep for themselves: which scheduled slots have been enqueued, which
workers are alive, and how far the sweep of database traces got."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduleSlot(models.Model):
    """One run of a scheduled job. Every worker tries to create the slot that is due; the unique
    constraint lets exactly one of them, on any machine, enqueue the job."""

    job = models.CharField(_("job"), max_length=60)
    due_at = models.DateTimeField(_("due at"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-due_at"]
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="one_run_per_job_and_slot")]

    def __str__(self) -> str:
        return f"{self.job} {self.due_at:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """A worker writes its heartbeat every few seconds, also while it runs a long task; a task whose
    worker has fallen silent was abandoned (the process was killed) and is queued again."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"))

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class TraceSweep(models.Model):
    """How many responses of a scan the last sweep of roer.lifecycle.traces had seen, so that it restamps
    a scan's invitations only when answers came in since."""

    scan = models.OneToOneField("scans.Scan", on_delete=models.CASCADE, related_name="+")
    responses_seen = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("trace sweep")
        verbose_name_plural = _("trace sweeps")

    def __str__(self) -> str:
        return f"traces of scan {self.scan_id}"
