from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from roer.organisations.models import Organisation


class AuditAction(models.TextChoices):
    REPORT_VIEWED = "report_viewed", _("Report viewed")
    REPORT_DOWNLOADED = "report_downloaded", _("Report downloaded (PDF)")
    EXPORT_DOWNLOADED = "export_downloaded", _("Export downloaded")
    OPEN_ANSWER_PUBLISHED = "open_answer_published", _("Open answer published")
    OPEN_ANSWER_REDACTED = "open_answer_redacted", _("Open answer published with parts taken out")
    OPEN_ANSWER_HIDDEN = "open_answer_hidden", _("Open answer hidden")
    OPEN_ANSWER_WITHDRAWN = "open_answer_withdrawn", _("Open answer back to waiting for review")
    BURST_EXCLUDED = "burst_excluded", _("Burst of residents' answers left out of the figures")
    BURST_INCLUDED = "burst_included", _("Burst of residents' answers counted again")
    PAPER_FORM_ENTERED = "paper_form_entered", _("Residents' paper form entered")


class AuditEvent(models.Model):
    """Who fetched what, and when, and who decided what readers see of an open answer. Written by the
    views that hand out reports and exports and by the review of open answers."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who")
    )
    user_email = models.EmailField(_("e-mail address at the time"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("organisation")
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    subject = models.CharField(_("what"), max_length=300)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_email} {self.action} {self.subject}"
