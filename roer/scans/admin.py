from django.contrib import admin

from roer.scans.models import Invitation, RespondentGroup, Scan


class RespondentGroupInline(admin.TabularInline):
    model = RespondentGroup
    extra = 0


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "opens_on", "closes_on", "closed_at"]
    list_filter = ["organisation"]
    search_fields = ["title", "organisation__name"]
    readonly_fields = ["code", "created_at", "created_by"]
    list_select_related = ["organisation"]
    inlines = [RespondentGroupInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations hold personal data (e-mail addresses); who answered what is not stored anywhere."""

    list_display = ["email", "scan", "group", "sent_at", "reminder_count", "submitted"]
    list_filter = ["submitted", "scan__organisation"]
    search_fields = ["email"]
    list_select_related = ["scan", "group"]
    readonly_fields = ["sent_at", "reminded_at", "reminder_count", "submitted", "created_at"]
