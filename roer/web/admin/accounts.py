from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from roer.accounts.forms import UserChangeForm, UserCreationForm
from roer.accounts.models import User
from roer.web.admin.organisations import MembershipInline
from roer.web.admin.scoping import is_superuser, staff_user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]  # our User is no AbstractUser, which the stubs want
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        """A staff member without superuser rights sees the members of their own organisations only."""
        queryset = super().get_queryset(request)
        if is_superuser(request):
            return queryset
        colleagues = User.objects.filter(memberships__organisation__memberships__user=staff_user(request))
        return queryset.filter(pk__in=colleagues.values("pk"))

    def _beyond_reach(self, request: HttpRequest, obj: User | None) -> bool:
        """A staff member without superuser rights changes no superuser, no other staff member, and nobody
        who also belongs to an organisation they do not: their password or address would open it."""
        if obj is None or is_superuser(request) or obj.pk == staff_user(request).pk:
            return False
        if obj.is_superuser or obj.is_staff:
            return True
        own = set(staff_user(request).memberships.values_list("organisation_id", flat=True))
        return not set(obj.memberships.values_list("organisation_id", flat=True)) <= own

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_change_permission(request, obj) and not self._beyond_reach(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._beyond_reach(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not is_superuser(request):
            fields += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return fields
