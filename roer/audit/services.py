from __future__ import annotations

from roer.accounts.models import User
from roer.audit.models import AuditAction, AuditEvent
from roer.organisations.models import Organisation


def audit_record(*, user: User, organisation: Organisation | None, action: AuditAction, subject: str) -> AuditEvent:
    """One line in the audit log; `organisation` is None for the platform's own events (a blocked user)."""
    return AuditEvent.objects.create(
        user=user, user_email=user.email, organisation=organisation, action=action, subject=subject[:300]
    )
