"""A scan manager's changes to a scan, each checked against the scan's state under its lock."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lib.errors import DomainError
from roer.lifecycle import documents
from roer.lifecycle.scan_life import CLOSED, NOT_CLOSED, guarded
from roer.scans import mail_texts, services
from roer.scans.invitees import Invitee
from roer.scans.models import Invitation, MailingKind, RespondentGroup, Scan, ScanState

EVERY_STATE = tuple(ScanState)


class ScanHasAnswersError(DomainError):
    default_message = _("A scan that people have answered cannot be deleted; its results stay available.")


def scan_update(
    *,
    scan: Scan,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    thresholds: Mapping[str, int],
    retention_days: int | None = None,
) -> Scan:
    """Title, dates and thresholds; a closed scan keeps its dates and thresholds (ValidationError). A
    published scan's reports are made again with its new title. A cancelled scan stays as it was."""
    with guarded(scan, *NOT_CLOSED, *CLOSED) as locked:
        updated = services.scan_update(
            scan=locked,
            title=title,
            opens_on=opens_on,
            closes_on=closes_on,
            thresholds=thresholds,
            retention_days=retention_days,
        )
        if updated.has_figures:
            documents.prepare_reports(updated)
        return updated


def scan_foreword_set(*, scan: Scan, foreword: str) -> Scan:
    """The report's foreword, for a closed scan; both reports are rendered again with it."""
    with guarded(scan, *CLOSED) as locked:
        locked.report_foreword = foreword.strip()
        locked.full_clean()
        locked.save(update_fields=["report_foreword"])
        if locked.has_figures:
            documents.prepare_reports(locked)
        return locked


MAIL_TEXT_FIELDS = (
    "mail_sender_name",
    "mail_signatory",
    "invitation_subject",
    "invitation_text",
    "reminder_subject",
    "reminder_text",
)


def scan_mail_texts_set(*, scan: Scan, user: User, texts: Mapping[str, str]) -> list[str]:
    """The scan's own invitation and reminder, while it is planned or open (a closed scan sends nothing
    more); returns the fields that changed, each change in the audit log."""
    mail_texts.one_line_check(texts["mail_sender_name"])
    mail_texts.one_line_check(texts["mail_signatory"])
    for kind in MailingKind:
        subject_field, text_field = mail_texts.fields_of(kind)
        mail_texts.subject_check(texts[subject_field])
        mail_texts.text_check(texts[text_field])
    with guarded(scan, *NOT_CLOSED) as locked:
        changed = [name for name in MAIL_TEXT_FIELDS if getattr(locked, name) != texts[name].strip()]
        if not changed:
            return []
        for name in changed:
            setattr(locked, name, texts[name].strip())
        locked.clean_fields(exclude=[field.name for field in Scan._meta.fields if field.name not in changed])
        locked.save(update_fields=changed)
        audit_record(
            user=user,
            organisation=locked.organisation,
            action=AuditAction.MAIL_TEXT_CHANGED,
            subject=f"{locked.title}: {', '.join(changed)}",
        )
        return changed


def scan_delete(*, scan: Scan, user: User) -> None:
    """Delete a scan nobody has answered (set up by mistake, never used, or cancelled); the audit log
    keeps who deleted which."""
    with guarded(scan, *EVERY_STATE) as locked:
        if locked.responses.exists():
            raise ScanHasAnswersError
        audit_record(
            user=user,
            organisation=locked.organisation,
            action=AuditAction.SCAN_DELETED,
            subject=f"{locked.title} ({locked.opens_on:%d-%m-%Y})",
        )
        documents.scan_files_delete(Scan.objects.filter(pk=locked.pk))
        locked.delete()


def invitees_add(
    *, scan: Scan, invitees: Iterable[Invitee], default_group: RespondentGroup, default_language: str
) -> services.InviteesAdded:
    """Add invitees while the scan is planned or open."""
    with guarded(scan, *NOT_CLOSED) as locked:
        return services.invitees_add(
            scan=locked, invitees=invitees, default_group=default_group, default_language=default_language
        )


def invitation_remove(*, invitation: Invitation) -> None:
    """Remove an invitation that was never sent, while the scan is planned or open."""
    with guarded(invitation.scan_id, *NOT_CLOSED):
        services.invitation_remove(invitation=invitation)
