"""Setting up an organisation's single sign-on, and who a verified log-in becomes.

`provider_save` is the platform administrator's change (audited SSO_CHANGED). `sso_log_in` turns the
claims of an ID token that roer/sso/backend.py has verified into a Roer user, and refuses them unless the
provider confirmed the e-mail address and the address is in one of that provider's own domains; it never
gives a membership of any organisation but the provider's own (audited SSO_LOGIN).

Who logs in is bound to the provider's subject (`sub`), not only to the address: the first log-in through
a provider links its subject to the Roer account (ProviderLink), and afterwards the link decides. An
address the provider hands to someone else (a new subject) does not open the old account, and an account
linked to one subject cannot be taken by another. An existing account that is a member of any other
organisation is never linked by a provider (a provider wrongly given another organisation's domain cannot
take over that organisation's staff): it logs in with its password.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lib.errors import DomainError
from roer.organisations.models import Membership, Organisation, Role
from roer.sso.models import IdentityProvider, ProviderDomain, ProviderLink
from roer.sso.secrets import secret_encrypt


class SsoRefusedError(DomainError):
    default_message = _("Logging in with your organisation's account did not work. You have not been logged in.")


class NoEmailError(SsoRefusedError):
    default_message = _(
        "Your organisation's log-in service did not give Roer a valid e-mail address. You have not been logged in."
    )


class EmailNotVerifiedError(SsoRefusedError):
    default_message = _(
        "Your organisation's log-in service did not confirm that this e-mail address is yours. You have not been "
        "logged in; please ask your IT department, or log in with your password."
    )


class ForeignDomainError(SsoRefusedError):
    default_message = _(
        "Your organisation's log-in service gave an e-mail address outside the domains it may log in for. "
        "You have not been logged in."
    )


class BlockedAccountError(SsoRefusedError):
    default_message = _("This account is blocked. You have not been logged in.")


class AdministratorAccountError(SsoRefusedError):
    default_message = _(
        "Platform administrators log in with their password, not through an organisation's log-in service."
    )


class ProviderDisabledError(SsoRefusedError):
    default_message = _("Single sign-on is not available for this organisation now. Please log in with your password.")


class OtherOrganisationAccountError(SsoRefusedError):
    default_message = _(
        "This Roer account also belongs to another organisation, so it cannot log in through this "
        "organisation's log-in service. Please log in with your password."
    )


class SubjectLinkedElsewhereError(SsoRefusedError):
    default_message = _(
        "Your account at your organisation's log-in service is linked to another Roer account than the one "
        "with this e-mail address. You have not been logged in; please ask your IT department."
    )


class AddressLinkedElsewhereError(SsoRefusedError):
    default_message = _(
        "The Roer account with this e-mail address is linked to another account at your organisation's "
        "log-in service. You have not been logged in; please ask your IT department."
    )


class DomainTakenError(DomainError):
    pass


def email_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1]


def normalised_address(value: Any) -> str | None:
    """A claimed e-mail address as Roer stores addresses (lower case), or None when it is not one."""
    if not isinstance(value, str):
        return None
    address = User.objects.normalize_email(value.strip()).lower()
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address


def provider_for_email(address: str) -> IdentityProvider | None:
    """The enabled provider whose domains hold this address's domain."""
    return (
        IdentityProvider.objects.filter(enabled=True, domains__domain=email_domain(address))
        .select_related("organisation")
        .first()
    )


def _true(value: Any) -> bool:
    """The JSON true, or the string "true" (all that an AD FS claim rule can send)."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _verified(claims: Mapping[str, Any]) -> bool:
    """The provider confirmed the address: email_verified is true. Entra ID never sends email_verified for
    an organisation's accounts; in its place, and only when email_verified is absent, its optional claim
    xms_edov ("the e-mail's domain is verified by the tenant") counts."""
    if "email_verified" in claims:
        return _true(claims["email_verified"])
    return _true(claims.get("xms_edov"))


def starting_role(provider: IdentityProvider, claims: Mapping[str, Any]) -> Role:
    """Scan manager when the mapped claim holds the mapped value, otherwise reader."""
    if not (provider.manager_claim and provider.manager_value):
        return Role.LEZER
    value = claims.get(provider.manager_claim)
    values = value if isinstance(value, list) else [value]
    return Role.BEHEERDER if provider.manager_value in [str(item) for item in values] else Role.LEZER


def checked_address(provider: IdentityProvider, claims: Mapping[str, Any]) -> str:
    """The claimed address, when the provider confirmed it and it lies in one of the provider's domains."""
    address = normalised_address(claims.get("email"))
    if address is None:
        raise NoEmailError
    if not _verified(claims):
        raise EmailNotVerifiedError
    if not ProviderDomain.objects.filter(provider=provider, domain=email_domain(address)).exists():
        raise ForeignDomainError
    return address


def _subject(claims: Mapping[str, Any]) -> str:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise SsoRefusedError
    return subject


def _linked_user(provider: IdentityProvider, subject: str, address: str) -> tuple[User | None, bool]:
    """The account the provider's subject is, by its link, or by the address when the subject has no
    link yet (True: to be linked now); None for an address Roer does not know (to be created and linked)."""
    by_address = User.objects.filter(email=address).first()
    link = ProviderLink.objects.filter(provider=provider, subject=subject).select_related("user").first()
    if link is not None:
        if by_address is not None and by_address.pk != link.user_id:
            raise SubjectLinkedElsewhereError
        return link.user, False
    if by_address is None:
        return None, True
    if ProviderLink.objects.filter(provider=provider, user=by_address).exists():
        raise AddressLinkedElsewhereError  # the address was handed to someone new at the provider
    if Membership.objects.filter(user=by_address).exclude(organisation=provider.organisation_id).exists():
        raise OtherOrganisationAccountError
    return by_address, True


def sso_log_in(provider: IdentityProvider, claims: Mapping[str, Any]) -> User:
    """The user the verified claims name: by the link of the provider's subject; at the first log-in by
    e-mail address (an account of no other organisation) or created without a password, and linked. The
    user becomes a member of the provider's organisation (with the mapped role, or reader) when missing."""
    if not provider.enabled:
        raise ProviderDisabledError
    address = checked_address(provider, claims)
    subject = _subject(claims)
    organisation = provider.organisation
    try:
        with transaction.atomic():
            user, new_link = _linked_user(provider, subject, address)
            notes: list[str] = []
            if user is None:
                name = claims.get("name")
                user = User.objects.create_user(address, None, full_name=name[:150] if isinstance(name, str) else "")
                notes.append("new account")
            elif not user.is_active:
                raise BlockedAccountError
            elif user.is_superuser or user.is_staff:
                # A provider speaks for an organisation's staff, never for the platform's administrators.
                raise AdministratorAccountError
            if new_link:
                if not notes:  # an existing account, linked at its first log-in through the provider
                    notes.append("linked")
                ProviderLink.objects.create(provider=provider, subject=subject, user=user)
            if not Membership.objects.filter(user=user, organisation=organisation).exists():
                role = starting_role(provider, claims)
                Membership.objects.create(user=user, organisation=organisation, role=role)
                notes.append(f"new member ({role})")
            subject_line = f"{address} (sub {subject}) via {provider.issuer}" + (
                f": {', '.join(notes)}" if notes else ""
            )
            audit_record(user=user, organisation=organisation, action=AuditAction.SSO_LOGIN, subject=subject_line)
    except IntegrityError:
        # The same subject or address logged in at the same moment in another browser: refuse this one.
        raise SsoRefusedError from None
    return user


def _taken(domains: Sequence[str], provider: IdentityProvider | None) -> None:
    taken = ProviderDomain.objects.filter(domain__in=domains).select_related("provider__organisation")
    if provider is not None:
        taken = taken.exclude(provider=provider)
    first = taken.first()
    if first is not None:
        raise DomainTakenError(
            _("%(domain)s already belongs to the single sign-on of %(organisation)s.")
            % {"domain": first.domain, "organisation": first.provider.organisation.name}
        )


def provider_save(
    *,
    by: User,
    organisation: Organisation,
    provider: IdentityProvider | None,
    issuer: str,
    client_id: str,
    client_secret: str,
    domains: Sequence[str],
    manager_claim: str,
    manager_value: str,
    enabled: bool,
) -> IdentityProvider:
    """Create or change the organisation's provider; an empty client_secret keeps the one saved."""
    with transaction.atomic():
        _taken(domains, provider)
        if provider is None:
            provider = IdentityProvider(organisation=organisation)
        provider.issuer = issuer
        provider.client_id = client_id
        if client_secret:
            provider.client_secret_encrypted = secret_encrypt(client_secret)
        provider.manager_claim = manager_claim
        provider.manager_value = manager_value
        provider.enabled = enabled
        provider.save()
        provider.domains.exclude(domain__in=domains).delete()
        kept = set(provider.domains.values_list("domain", flat=True))
        try:
            with transaction.atomic():
                ProviderDomain.objects.bulk_create(
                    [ProviderDomain(provider=provider, domain=domain) for domain in domains if domain not in kept]
                )
        except IntegrityError:  # saved by another provider since _taken looked
            _taken(domains, provider)
            raise
        subject = (
            f"{organisation.name}: {issuer}, client {client_id}, domains {', '.join(domains)}, "
            f"{'enabled' if enabled else 'disabled'}"
            + (", new client secret" if client_secret else "")
            + (f", scan managers: {manager_claim} = {manager_value}" if manager_claim else "")
        )
        audit_record(user=by, organisation=organisation, action=AuditAction.SSO_CHANGED, subject=subject)
    return provider
