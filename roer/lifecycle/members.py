"""An organisation's members and consultants, managed by its own scan managers in the product.

A new address becomes a user without a password and is sent a one-time link to choose one (Django's
`default_token_generator`: an HMAC over the password hash and the last log-in, so the link stops working
once the password is set). An address Roer knows already gets the membership and a notice with the log-in
link. The e-mail is a background task, queued in the same transaction as the membership: the worker sees
it only once the change has committed, and a change rolled back leaves no e-mail behind. The task makes
the link when it sends, so no token sits in the queue; run twice, it sends the message twice (a second
working link or notice) and nothing worse.

An organisation always keeps a scan manager: removing or demoting one locks every membership of the
organisation and counts the scan managers inside that lock, so two scan managers removing each other at
the same moment cannot both succeed. Every change is audited.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lib.emails import TemplatedEmail
from roer.lib.errors import DomainError
from roer.lifecycle.queue import enqueue_once
from roer.organisations.models import Membership, Organisation, Role

logger = logging.getLogger("roer.members")

# The roles a scan manager gives a member; a consultant's access is granted and withdrawn on its own.
MEMBER_ROLES = (Role.BEHEERDER, Role.LEZER)


class InvalidEmailError(DomainError):
    default_message = _("Enter a valid e-mail address.")


class AlreadyMemberError(DomainError):
    default_message = _("This person already has access to the organisation.")


class NotAMemberError(DomainError):
    default_message = _("This person no longer has access to the organisation.")


class LastManagerError(DomainError):
    default_message = _("The organisation needs at least one scan manager. Make another member scan manager first.")


class WrongRoleError(DomainError):
    default_message = _("A consultant's access is granted and withdrawn in the consultants section.")


def normalised_email(email: str) -> str:
    """The address as Roer stores it (the domain and the local part in lower case), or an error."""
    address = User.objects.normalize_email(email.strip()).lower()
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidEmailError from None
    return address


def locked_memberships(organisation: Organisation) -> list[Membership]:
    """Every membership of the organisation, locked until the transaction ends (on SQLite the immediate
    transaction holds the database instead): the rule "one scan manager at least" is checked on these."""
    return list(Membership.objects.select_for_update().filter(organisation=organisation).order_by("pk"))


def _managers(memberships: list[Membership]) -> int:
    return sum(1 for membership in memberships if membership.role == Role.BEHEERDER)


def _current(memberships: list[Membership], membership: Membership) -> Membership:
    for current in memberships:
        if current.pk == membership.pk:
            return current
    raise NotAMemberError


def _user_for(address: str) -> User:
    """The user with this address; a new one gets an unusable password until they choose their own."""
    user, _created = User.objects.get_or_create(email=address, defaults={"password": make_password(None)})
    return user


def _grant(
    *, organisation: Organisation, email: str, role: Role, granted_by: User, base_url: str, action: AuditAction
) -> Membership:
    address = normalised_email(email)
    with transaction.atomic():
        locked_memberships(organisation)  # a second invitation of the same address waits for this one
        user = _user_for(address)
        if Membership.objects.filter(user=user, organisation=organisation).exists():
            raise AlreadyMemberError
        membership = Membership(user=user, organisation=organisation, role=role, granted_by=granted_by)
        membership.full_clean(validate_unique=False, validate_constraints=False)
        membership.save()
        audit_record(user=granted_by, organisation=organisation, action=action, subject=f"{address} ({role})")
        # Roer records no language per user: the message is in the language the scan manager works in.
        language = get_language() or settings.LANGUAGE_CODE
        enqueue_once(send_membership_mail, membership.pk, language, base_url or settings.ROER_BASE_URL)
    return membership


def member_invite(*, organisation: Organisation, email: str, role: Role, invited_by: User, base_url: str) -> Membership:
    """Give the address a membership with `role` (scan manager or reader) and write to it."""
    if role not in MEMBER_ROLES:
        raise WrongRoleError
    return _grant(
        organisation=organisation,
        email=email,
        role=role,
        granted_by=invited_by,
        base_url=base_url,
        action=AuditAction.MEMBER_INVITED,
    )


def consultant_grant(*, organisation: Organisation, email: str, granted_by: User, base_url: str) -> Membership:
    """Give an outside consultant access: they run scans like a scan manager, without managing members."""
    return _grant(
        organisation=organisation,
        email=email,
        role=Role.ADVISEUR,
        granted_by=granted_by,
        base_url=base_url,
        action=AuditAction.CONSULTANT_GRANTED,
    )


def member_role_change(*, membership: Membership, role: Role, changed_by: User) -> Membership:
    """Make a member scan manager or reader; the last scan manager stays one."""
    if role not in MEMBER_ROLES:
        raise WrongRoleError
    with transaction.atomic():
        memberships = locked_memberships(membership.organisation)
        current = _current(memberships, membership)
        if current.role == Role.ADVISEUR:
            raise WrongRoleError
        if current.role == role:
            return current
        if current.role == Role.BEHEERDER and _managers(memberships) <= 1:
            raise LastManagerError
        previous = current.role
        current.role = role
        current.save(update_fields=["role"])
        audit_record(
            user=changed_by,
            organisation=current.organisation,
            action=AuditAction.MEMBER_ROLE_CHANGED,
            subject=f"{current.user.email}: {previous} → {role}",
        )
    return current


def _remove(*, membership: Membership, removed_by: User, consultant: bool) -> None:
    with transaction.atomic():
        memberships = locked_memberships(membership.organisation)
        current = _current(memberships, membership)
        if (current.role == Role.ADVISEUR) != consultant:
            raise WrongRoleError
        if current.role == Role.BEHEERDER and _managers(memberships) <= 1:
            raise LastManagerError
        current.delete()
        audit_record(
            user=removed_by,
            organisation=membership.organisation,
            action=AuditAction.CONSULTANT_REVOKED if consultant else AuditAction.MEMBER_REMOVED,
            subject=f"{current.user.email} ({current.role})",
        )


def member_remove(*, membership: Membership, removed_by: User) -> None:
    """Take a member's access away (the user stays: they may belong to other organisations)."""
    _remove(membership=membership, removed_by=removed_by, consultant=False)


def consultant_revoke(*, membership: Membership, revoked_by: User) -> None:
    """Withdraw a consultant's access to the organisation."""
    _remove(membership=membership, removed_by=revoked_by, consultant=True)


def set_password_url(user: User, base_url: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("set_password", args=[uidb64, token])


@task()
def send_membership_mail(membership_id: int, language: str, base_url: str) -> bool:
    """Tell the person of their new access: with a link to choose a password while they have none, with
    the log-in link otherwise. Nothing is sent when the access was taken away before the task ran, or
    the account is blocked."""
    membership = Membership.objects.select_related("user", "organisation", "granted_by").filter(pk=membership_id)
    found = membership.first()
    if found is None or not found.user.is_active:
        return False
    user = found.user
    context = {
        "organisation": found.organisation,
        "role": Role(found.role).label,
        "consultant": found.role == Role.ADVISEUR,
        "granted_by": found.granted_by,
        "login_link": base_url.rstrip("/") + reverse("login"),
        "set_password_link": "" if user.has_usable_password() else set_password_url(user, base_url),
    }
    TemplatedEmail(
        template="lifecycle/emails/membership", to=user.email, language=language, context=context
    ).build().send()
    logger.info("membership %s: e-mail sent", membership_id)
    return True
