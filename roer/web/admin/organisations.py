from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from roer.lifecycle.organisations import organisation_delete, organisation_update
from roer.organisations.models import Membership, Organisation
from roer.web.admin.scoping import OrganisationScoped, is_superuser, staff_user


class MembershipInline(admin.TabularInline[Membership, Any]):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organisation" and not is_superuser(request):
            kwargs["queryset"] = Organisation.objects.filter(memberships__user=staff_user(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OrganisationMembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScoped[Organisation]):
    organisation_path = ""
    list_display = ["name", "kind", "inhabitants", "benchmark_opt_in", "created_at"]
    list_filter = ["kind", "benchmark_opt_in"]
    allowed_lookups = ("kind", "benchmark_opt_in")
    search_fields = ["name"]
    readonly_fields = ["code", "created_at"]
    inlines = [OrganisationMembershipInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def save_model(self, request: HttpRequest, obj: Organisation, form: ModelForm[Any], change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        organisation_update(organisation=obj, fields=list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Organisation) -> None:
        organisation_delete(organisation=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        for organisation in queryset:
            organisation_delete(organisation=organisation)
