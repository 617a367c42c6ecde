"""Who a provider may log in: the link of its subject (`sub`) to a Roer account, made at the first log-in.
The attacks: a provider wrongly given another organisation's domain (Bravo's provider for alfa.example)
tries to log in Alfa's scan manager; an address the provider hands to someone new (a new subject) tries to
open the old account; a subject linked to one account tries another account's address."""

from __future__ import annotations

from typing import Any

import pytest

from roer.accounts.models import User
from roer.audit.models import AuditAction, AuditEvent
from roer.organisations.models import Membership, Role
from roer.sso.models import IdentityProvider, ProviderLink
from roer.sso.services import (
    AddressLinkedElsewhereError,
    OtherOrganisationAccountError,
    SsoRefusedError,
    SubjectLinkedElsewhereError,
    provider_save,
    sso_log_in,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def provider(organisation, by, domains: list[str], issuer: str) -> IdentityProvider:  # type: ignore[no-untyped-def]
    return provider_save(
        by=by,
        organisation=organisation,
        provider=None,
        issuer=issuer,
        client_id="roer",
        client_secret="a-client-secret-0123456789",
        domains=domains,
        manager_claim="groups",
        manager_value="roer-beheerders",
        enabled=True,
    )


@pytest.fixture
def admin(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="beheer@roer.example", is_superuser=True, is_staff=True)


@pytest.fixture
def alfa_idp(organisation, admin) -> IdentityProvider:  # type: ignore[no-untyped-def]
    return provider(organisation, admin, ["alfa.example"], "https://idp.alfa.example/")


@pytest.fixture
def bravo_idp_with_alfas_domain(other_organisation, admin) -> IdentityProvider:  # type: ignore[no-untyped-def]
    """Bravo's provider, wrongly given alfa.example (Alfa has no single sign-on of its own)."""
    return provider(other_organisation, admin, ["alfa.example"], "https://idp.bravo.example/")


def claims(email: str, sub: str, **more: Any) -> dict[str, Any]:
    return {"sub": sub, "email": email, "email_verified": True, **more}


def test_bravos_provider_with_alfas_domain_cannot_log_in_alfas_scan_manager(bravo_idp_with_alfas_domain, alice):
    with pytest.raises(OtherOrganisationAccountError):
        sso_log_in(bravo_idp_with_alfas_domain, claims("alice@alfa.example", "bravo-42", groups=["roer-beheerders"]))
    assert list(Membership.objects.filter(user=alice).values_list("organisation__name", "role")) == [
        ("Gemeente Alfa", Role.BEHEERDER)
    ]
    assert not ProviderLink.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SSO_LOGIN).exists()


def test_the_first_log_in_links_the_subject_and_later_ones_follow_the_link(alfa_idp, alice):
    assert sso_log_in(alfa_idp, claims("alice@alfa.example", "alfa-1")) == alice
    link = ProviderLink.objects.get()
    assert (link.provider, link.subject, link.user) == (alfa_idp, "alfa-1", alice)
    assert AuditEvent.objects.get(action=AuditAction.SSO_LOGIN).subject.endswith(": linked")
    assert sso_log_in(alfa_idp, claims("alice@alfa.example", "alfa-1")) == alice
    assert ProviderLink.objects.count() == 1
    assert list(Membership.objects.filter(user=alice).values_list("role", flat=True)) == [Role.BEHEERDER]


def test_an_address_reassigned_to_a_new_subject_is_refused(alfa_idp, alice):
    sso_log_in(alfa_idp, claims("alice@alfa.example", "alfa-1"))
    # Alice left; the IT department gave her address to a newcomer, who has another subject.
    with pytest.raises(AddressLinkedElsewhereError):
        sso_log_in(alfa_idp, claims("alice@alfa.example", "alfa-newcomer"))
    assert list(ProviderLink.objects.values_list("subject", "user")) == [("alfa-1", alice.pk)]


def test_a_subject_linked_to_one_account_cannot_take_another_accounts_address(alfa_idp, alice, bob):
    sso_log_in(alfa_idp, claims("bob@alfa.example", "alfa-bob"))
    with pytest.raises(SubjectLinkedElsewhereError):
        sso_log_in(alfa_idp, claims("alice@alfa.example", "alfa-bob"))


def test_a_new_account_is_linked_and_its_address_later_given_to_someone_new_is_refused(alfa_idp):
    eva = sso_log_in(alfa_idp, claims("eva@alfa.example", "alfa-eva", name="Eva"))
    assert ProviderLink.objects.get().user == eva
    assert AuditEvent.objects.get(action=AuditAction.SSO_LOGIN).subject.endswith(": new account, new member (lezer)")
    with pytest.raises(AddressLinkedElsewhereError):
        sso_log_in(alfa_idp, claims("eva@alfa.example", "alfa-eva-2"))
    assert User.objects.filter(email="eva@alfa.example").count() == 1


def test_an_account_of_another_organisation_is_refused_but_a_linked_one_keeps_logging_in(
    alfa_idp, other_organisation, bob
):
    other = UserFactory(email="eva@alfa.example")
    Membership.objects.create(user=other, organisation=other_organisation, role=Role.LEZER)
    with pytest.raises(OtherOrganisationAccountError):
        sso_log_in(alfa_idp, claims("eva@alfa.example", "alfa-eva"))
    assert not Membership.objects.filter(user=other, organisation=alfa_idp.organisation).exists()
    # Bob was linked first, and became a member of Bravo since: his link still logs him in.
    sso_log_in(alfa_idp, claims("bob@alfa.example", "alfa-bob"))
    Membership.objects.create(user=bob, organisation=other_organisation, role=Role.LEZER)
    assert sso_log_in(alfa_idp, claims("bob@alfa.example", "alfa-bob")) == bob


def test_the_same_subject_at_another_provider_is_another_link(alfa_idp, admin, other_organisation):
    bravo_idp = provider(other_organisation, admin, ["bravo.example"], "https://idp.bravo.example/")
    sso_log_in(alfa_idp, claims("eva@alfa.example", "1"))
    frank = sso_log_in(bravo_idp, claims("frank@bravo.example", "1"))
    assert frank.email == "frank@bravo.example"
    assert ProviderLink.objects.count() == 2


@pytest.mark.parametrize("sub", [None, "", 42, "x" * 256])
def test_no_usable_subject_is_refused(alfa_idp, sub):
    with pytest.raises(SsoRefusedError):
        sso_log_in(alfa_idp, claims("eva@alfa.example", sub))
    assert not User.objects.filter(email="eva@alfa.example").exists()
