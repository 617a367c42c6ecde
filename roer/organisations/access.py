"""The one access-control funnel.

Every view reaches an organisation's data through these functions (or the per-app getters built on
them). An outsider gets 404, so that the existence of another organisation's objects is not revealed; a
member without the needed role gets 403, because they already know the object exists.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.cache import never_cache

from roer.organisations.models import MANAGING_ROLES, Membership, Organisation, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from roer.accounts.models import User


def is_platform_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def role_in(user: User | AnonymousUser, organisation: Organisation) -> str | None:
    """The user's role in the organisation; platform administrators act as beheerder everywhere."""
    if not user.is_authenticated:
        return None
    if not user.is_active:
        return None
    if is_platform_admin(user):
        return Role.BEHEERDER
    membership = Membership.objects.filter(user=user, organisation=organisation).only("role").first()
    return membership.role if membership else None


def organisations_for_user(user: User | AnonymousUser) -> QuerySet[Organisation]:
    if is_platform_admin(user):
        return Organisation.objects.all()
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def check_access(user: User | AnonymousUser, organisation: Organisation, *, manage: bool) -> str:
    """Raise unless the user may read (or, with manage=True, run scans for) the organisation."""
    role = role_in(user, organisation)
    if role is None:
        raise Http404
    if manage and role not in MANAGING_ROLES:
        raise PermissionDenied
    return role


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: Organisation
    role: str

    @property
    def can_manage(self) -> bool:
        """Runs scans and the action plan: a scan manager or a granted consultant."""
        return self.role in MANAGING_ROLES

    @property
    def can_manage_members(self) -> bool:
        """Invites members and grants consultants: the organisation's own scan managers only."""
        return self.role == Role.BEHEERDER


def get_organisation_for_user(
    user: User | AnonymousUser, code: uuid.UUID, *, manage: bool = False
) -> OrganisationAccess:
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise Http404
    return OrganisationAccess(organisation, check_access(user, organisation, manage=manage))


View = Callable[..., HttpResponseBase]


def platform_admin_required(view: View) -> View:
    """A view of the platform administration: logged in (else the log-in page) and a platform
    administrator (else 404, so that the page does not reveal it exists), never cached."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_platform_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))
