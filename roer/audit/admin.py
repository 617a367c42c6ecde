from django.contrib import admin
from django.http import HttpRequest

from roer.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: an audit log that can be edited is not an audit log."""

    list_display = ["at", "user_email", "organisation", "action", "subject"]
    list_filter = ["action", "organisation"]
    search_fields = ["user_email", "subject"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
