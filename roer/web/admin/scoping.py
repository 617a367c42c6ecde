"""Admin pages that show a staff member only what belongs to their own organisations."""

from __future__ import annotations

from typing import TypeVar, cast

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from roer.accounts.models import User

M = TypeVar("M", bound=Model)


def staff_user(request: HttpRequest) -> User:
    """The admin's own login check has run: its visitor is a staff User."""
    return cast(User, request.user)


def is_superuser(request: HttpRequest) -> bool:
    user = staff_user(request)
    return bool(user.is_active and user.is_superuser)


class OrganisationScoped(admin.ModelAdmin[M]):
    """`organisation_path` leads from the model to its organisation ("" for Organisation itself)."""

    organisation_path = "organisation"
    # Lookups a visitor may put in the address (the filters this page offers); all others are refused.
    allowed_lookups: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[M]:
        queryset = super().get_queryset(request)
        if is_superuser(request):
            return queryset
        prefix = f"{self.organisation_path}__" if self.organisation_path else ""
        return queryset.filter(**{f"{prefix}memberships__user": staff_user(request)}).distinct()

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if not any(lookup == allowed or lookup.startswith(f"{allowed}__") for allowed in self.allowed_lookups):
            return False  # the admin answers 400: filtering on what this page does not offer is refused
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ReadOnly(OrganisationScoped[M]):
    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
