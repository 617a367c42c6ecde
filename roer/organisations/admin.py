from django.contrib import admin

from roer.organisations.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


class OrganisationMembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "inhabitants", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = ["code", "created_at"]
    inlines = [OrganisationMembershipInline]
