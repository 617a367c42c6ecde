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
    FOCUS_CHOSEN = "focus_chosen", _("Focus dimensions chosen")
    ACTION_CREATED = "action_created", _("Action added to the plan")
    ACTION_CHANGED = "action_changed", _("Action changed")
    ACTION_DELETED = "action_deleted", _("Action removed from the plan")
    ACTION_NOTE_ADDED = "action_note_added", _("Progress recorded on an action")
    SHARING_OFFERED = "sharing_offered", _("Offer to share experience made")
    SHARING_CONSENTED = "sharing_consented", _("Contact person agreed to be contacted")
    SHARING_WITHDRAWN = "sharing_withdrawn", _("Offer to share experience withdrawn")
    CASE_SUBMITTED = "case_submitted", _("Case submitted to the case library")
    CASE_PUBLISHED = "case_published", _("Case published in the case library")
    CASE_REJECTED = "case_rejected", _("Case sent back by the moderator")
    MEMBER_INVITED = "member_invited", _("Member invited")
    MEMBER_ROLE_CHANGED = "member_role_changed", _("Member's role changed")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    CONSULTANT_GRANTED = "consultant_granted", _("Consultant given access")
    CONSULTANT_REVOKED = "consultant_revoked", _("Consultant's access withdrawn")
    SCAN_COPIED = "scan_copied", _("Scan copied")
    SCAN_CANCELLED = "scan_cancelled", _("Scan cancelled")
    SCAN_DELETED = "scan_deleted", _("Scan deleted")
    MAIL_TEXT_CHANGED = "mail_text_changed", _("Invitation or reminder text changed")
    TEST_MAIL_SENT = "test_mail_sent", _("Test e-mail sent")
    LOOK_CHANGED = "look_changed", _("Logo or colour changed")
    ORGANISATION_CREATED = "organisation_created", _("Organisation created")
    ORGANISATION_CHANGED = "organisation_changed", _("Organisation changed")
    USER_DEACTIVATED = "user_deactivated", _("User account blocked")
    USER_REACTIVATED = "user_reactivated", _("User account unblocked")
    API_KEY_CREATED = "api_key_created", _("API key created")
    API_KEY_REVOKED = "api_key_revoked", _("API key revoked")
    API_WRITE = "api_write", _("Changed through the API")
    SSO_CHANGED = "sso_changed", _("Single sign-on set up or changed")
    SSO_LOGIN = "sso_login", _("Logged in through single sign-on")
    BENCHMARK_EXPORTED = "benchmark_exported", _("Benchmark figures exported for other installations")
    BENCHMARK_IMPORTED = "benchmark_imported", _("Benchmark figures of another installation imported")
    INSTRUMENT_UPLOADED = "instrument_uploaded", _("Instrument version uploaded as a draft")
    INSTRUMENT_PUBLISHED = "instrument_published", _("Instrument version published")
    INSTRUMENT_DISCARDED = "instrument_discarded", _("Draft instrument version discarded")


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
