from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from roer.audit.models import AuditEvent
from roer.web.admin.scoping import ReadOnly


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly[AuditEvent]):
    """Read-only: an audit log that can be edited is not an audit log."""

    list_display = ["at", "user_email", "organisation", "action", "subject"]
    list_filter = ["action", ("organisation", admin.RelatedOnlyFieldListFilter)]
    allowed_lookups = ("action", "organisation", "at")
    search_fields = ["user_email", "subject"]
    date_hierarchy = "at"

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
