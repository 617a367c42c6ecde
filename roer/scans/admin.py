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
    """Invitations hold personal data (e-mail addresses); who answered what is not stored anywhere.

    Whether a person answered, and how often they were reminded, is left out: beside the answer dates it
    would tell when each person answered."""

    list_display = ["email", "scan", "group", "sent_at"]
    list_filter = ["scan__organisation"]
    search_fields = ["email"]
    list_select_related = ["scan", "group"]
    exclude = ["reminded_at", "reminder_count", "submitted"]
    readonly_fields = ["sent_at", "created_at"]
