from __future__ import annotations

from roer.accounts.models import User
from roer.audit.models import AuditAction, AuditEvent
from roer.organisations.models import Organisation


def audit_record(*, user: User, organisation: Organisation, action: AuditAction, subject: str) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user, user_email=user.email, organisation=organisation, action=action, subject=subject[:300]
    )
