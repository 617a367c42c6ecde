"""Single sign-on end to end: Roer's live server and a real OpenID provider (tests/oidc_provider), the
authorization code flow with PKCE, state and nonce, driven with `requests` as a browser would. Then the
attacks: an address outside the provider's domains, an unconfirmed address, a tampered state, another
organisation's user, a platform administrator's address."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from roer.accounts.models import User
from roer.audit.models import AuditAction, AuditEvent
from roer.organisations.models import Membership, Role
from roer.sso.models import ProviderLink
from tests.factories import UserFactory
from tests.sso.conftest import provider_for

# The provider's clock and tokens are real: the fixed clock of the other tests would make them look
# issued in the future.
pytestmark = [pytest.mark.real_clock, pytest.mark.django_db(transaction=True)]


def account_page(flow, live_server):  # type: ignore[no-untyped-def]
    return flow.session.get(f"{live_server.url}/account/", allow_redirects=False, timeout=30)


def test_a_new_colleague_logs_in_with_the_organisations_account_and_becomes_a_reader(
    sso_flow, alfa_provider, organisation, live_server
):
    flow = sso_flow("eva")
    assert flow.response.status_code == 302
    assert flow.response.headers["Location"] == "/"
    dashboard = flow.landing()
    assert dashboard.status_code == 200
    assert "Gemeente Alfa" in dashboard.text
    assert "eva@alfa.example" in account_page(flow, live_server).text
    eva = User.objects.get(email="eva@alfa.example")
    assert not eva.has_usable_password()
    assert eva.full_name == "Eva"
    assert list(Membership.objects.filter(user=eva).values_list("organisation__name", "role")) == [
        ("Gemeente Alfa", Role.LEZER)
    ]
    event = AuditEvent.objects.get(action=AuditAction.SSO_LOGIN)
    assert event.user == eva
    assert event.organisation == organisation
    assert event.subject.endswith(": new account, new member (lezer)")


def test_the_claim_mapping_makes_a_new_member_scan_manager(sso_flow, alfa_provider):
    flow = sso_flow("manager")
    assert flow.landing().status_code == 200
    membership = Membership.objects.get(user__email="manager@alfa.example")
    assert membership.role == Role.BEHEERDER


def test_an_existing_member_logs_in_and_keeps_their_role_and_password(sso_flow, alfa_provider, bob, live_server):
    flow = sso_flow("bob")
    assert flow.response.headers["Location"] == "/"
    assert "bob@alfa.example" in account_page(flow, live_server).text
    bob.refresh_from_db()
    assert bob.has_usable_password()
    assert list(Membership.objects.filter(user=bob).values_list("role", flat=True)) == [Role.LEZER]


def refused(flow, live_server, message: str) -> None:  # type: ignore[no-untyped-def]
    assert flow.response.status_code == 302
    assert flow.response.headers["Location"] == "/login/"
    login_page = flow.landing()
    assert login_page.status_code == 200
    assert message in login_page.text.replace("&#x27;", "'"), login_page.text
    assert account_page(flow, live_server).status_code == 302  # not logged in


def test_an_address_outside_the_providers_domains_is_refused(sso_flow, alfa_provider, charlie, live_server):
    # The provider asserts charlie@bravo.example (Gemeente Bravo's scan manager): Alfa's provider may
    # only speak for alfa.example, so Charlie is neither logged in nor given a membership of Alfa.
    flow = sso_flow("intruder", email="eva@alfa.example")
    refused(flow, live_server, "outside the domains it may log in for")
    assert list(Membership.objects.filter(user=charlie).values_list("organisation__name", flat=True)) == [
        "Gemeente Bravo"
    ]
    assert not AuditEvent.objects.filter(action=AuditAction.SSO_LOGIN).exists()


def test_another_organisations_user_is_not_captured_even_when_that_organisation_has_single_sign_on(
    sso_flow, alfa_provider, openid_provider, other_organisation, platform_admin, charlie, live_server
):
    provider_for(openid_provider, other_organisation, platform_admin, ["bravo.example"], client_id="bravo-client")
    flow = sso_flow("intruder", email="eva@alfa.example")  # through Alfa's provider, by the address typed
    refused(flow, live_server, "outside the domains it may log in for")
    assert not Membership.objects.filter(user=charlie, organisation__name="Gemeente Alfa").exists()


def test_an_unconfirmed_address_is_refused(sso_flow, alfa_provider, live_server):
    flow = sso_flow("unverified")
    refused(flow, live_server, "did not confirm that this e-mail address is yours")
    assert not User.objects.filter(email="unverified@alfa.example").exists()


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    return parts._replace(query=urlencode({**query, **changes})).geturl()


def test_a_tampered_state_is_refused(sso_flow, alfa_provider, live_server):
    flow = sso_flow("eva", tamper=lambda url: _with_query(url, state="a-state-roer-never-gave-out"))
    refused(flow, live_server, "This log-in attempt has expired or was not started in this browser")
    assert not User.objects.filter(email="eva@alfa.example").exists()


def test_a_callback_is_used_once(sso_flow, alfa_provider, live_server):
    flow = sso_flow("eva")
    assert flow.response.headers["Location"] == "/"
    again = flow.session.get(flow.callback, allow_redirects=False, timeout=30)
    assert again.headers["Location"] == "/login/"


def test_a_callback_in_another_browser_is_refused(sso_flow, alfa_provider, live_server):
    """Someone who gets hold of the code and state (a link passed on) cannot use them in their browser."""
    import requests

    stranger: dict[str, requests.Response] = {}

    def steal(url: str) -> str:
        stranger["response"] = requests.get(url, allow_redirects=False, timeout=30)
        return url

    flow = sso_flow("eva", tamper=steal)
    assert stranger["response"].headers["Location"] == "/login/"
    assert flow.response.headers["Location"] == "/"  # the browser that started the log-in still can


def test_a_platform_administrator_is_not_logged_in_by_an_organisations_provider(sso_flow, alfa_provider, live_server):
    UserFactory(email="beheer@alfa.example", is_superuser=True)
    flow = sso_flow("admin")
    refused(flow, live_server, "Platform administrators log in with their password")


def test_a_blocked_account_is_refused(sso_flow, alfa_provider, bob, live_server):
    bob.is_active = False
    bob.save()
    flow = sso_flow("bob")
    refused(flow, live_server, "This account is blocked")


def test_a_provider_disabled_after_the_start_logs_no_one_in(sso_flow, alfa_provider, live_server):
    def disable(url: str) -> str:
        alfa_provider.enabled = False
        alfa_provider.save()
        return url

    flow = sso_flow("eva", tamper=disable)
    refused(flow, live_server, "Single sign-on is not available for this organisation now")


def test_an_account_of_another_organisation_is_refused_and_gets_no_membership(
    sso_flow, alfa_provider, other_organisation, live_server
):
    elsewhere = UserFactory(email="eva@alfa.example")
    Membership.objects.create(user=elsewhere, organisation=other_organisation, role=Role.LEZER)
    refused(sso_flow("eva"), live_server, "also belongs to another organisation")
    assert list(Membership.objects.filter(user=elsewhere).values_list("organisation__name", "role")) == [
        ("Gemeente Bravo", Role.LEZER)
    ]
    assert not ProviderLink.objects.exists()


def test_bravos_provider_given_alfas_domain_cannot_log_in_alfas_members(
    sso_flow, openid_provider, other_organisation, platform_admin, bob, live_server
):
    """A platform administrator's mistake: Gemeente Bravo's provider for alfa.example, Gemeente Alfa's
    domain. Bob (Alfa's reader) is neither logged in nor made a member of Bravo."""
    provider_for(openid_provider, other_organisation, platform_admin, ["alfa.example"])
    refused(sso_flow("bob"), live_server, "also belongs to another organisation")
    assert list(Membership.objects.filter(user=bob).values_list("organisation__name", "role")) == [
        ("Gemeente Alfa", Role.LEZER)
    ]
    assert not AuditEvent.objects.filter(action=AuditAction.SSO_LOGIN).exists()


def test_the_first_log_in_links_the_providers_subject_and_an_address_given_to_a_new_subject_is_refused(
    sso_flow, alfa_provider, bob, live_server
):
    assert sso_flow("bob").response.headers["Location"] == "/"
    link = ProviderLink.objects.get()
    assert (link.provider, link.user) == (alfa_provider, bob)
    assert link.subject  # the provider's sub, from the ID token
    # The provider's account "bob" is deleted and bob@alfa.example given to a new colleague: a new sub.
    ProviderLink.objects.filter(pk=link.pk).update(subject="the-previous-holder-of-the-address")
    refused(sso_flow("bob"), live_server, "is linked to another account at your organisation")
