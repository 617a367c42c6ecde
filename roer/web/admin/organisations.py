from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from roer.accounts.models import User
from roer.lifecycle.organisations import organisation_delete, organisation_update
from roer.organisations.models import Membership, Organisation
from roer.web.admin.scoping import OrganisationScoped, is_superuser, staff_user


def colleagues(request: HttpRequest) -> QuerySet[User]:
    """The users who share an organisation with this staff member."""
    return User.objects.filter(memberships__organisation__memberships__user=staff_user(request)).distinct()


class ScopedMemberships:
    """A staff member without superuser rights sees and edits memberships of their own organisations
    only, and can add only their colleagues to them."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        queryset: QuerySet[Membership] = super().get_queryset(request)  # type: ignore[misc]
        if is_superuser(request):
            return queryset
        return queryset.filter(organisation__memberships__user=staff_user(request)).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not is_superuser(request):
            if db_field.name == "organisation":
                kwargs["queryset"] = Organisation.objects.filter(memberships__user=staff_user(request))
            elif db_field.name == "user":
                kwargs["queryset"] = colleagues(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class MembershipInline(ScopedMemberships, admin.TabularInline[Membership, Any]):
    model = Membership
    fk_name = "user"
    extra = 1
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role"]


class OrganisationMembershipInline(ScopedMemberships, admin.TabularInline[Membership, Organisation]):
    model = Membership
    fk_name = "organisation"
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role"]


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

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """Only counts, not every invitation, link and draft by name (each person's number of links would
        tell how often they were reminded); and whether it may go is the service's rule, not the per-model
        permissions of everything it holds."""
        _objects, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return [str(obj) for obj in objs], counts, set(), protected

    def delete_model(self, request: HttpRequest, obj: Organisation) -> None:
        organisation_delete(organisation=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        for organisation in queryset:
            organisation_delete(organisation=organisation)
