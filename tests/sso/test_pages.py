"""The single sign-on pages without a provider running: the e-mail step, the start of the flow, callbacks
that are not what they should be, the platform administrator's pages, and password log-in beside it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError
from django.urls import reverse

from roer.audit.models import AuditAction, AuditEvent
from roer.sso import views
from roer.sso.discovery import ProviderConfiguration, ProviderUnreachableError
from roer.sso.models import IdentityProvider, ProviderDomain
from roer.sso.secrets import secret_decrypt
from roer.sso.services import provider_save, starting_role
from tests.conftest import client_for
from tests.factories import PASSWORD, OrganisationFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://login.alfa.example/realms/alfa"
SECRET = "a-client-secret-nobody-may-read-again"


def fake_configuration(issuer: str, *, fresh: bool = False) -> ProviderConfiguration:
    return ProviderConfiguration(
        issuer=issuer,
        authorization_endpoint=f"{issuer}/authorize",
        token_endpoint=f"{issuer}/token",
        jwks_uri=f"{issuer}/jwks",
        userinfo_endpoint=None,
    )


@pytest.fixture(autouse=True)
def _no_network(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "configuration", fake_configuration)


@pytest.fixture
def english(client):  # type: ignore[no-untyped-def]
    """The language switch's cookie: the pages in English, whose texts are the msgids asserted here."""
    client.cookies["django_language"] = "en"


def en(client):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def petra(db):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    return UserFactory(email="petra@roer.example", is_superuser=True)


@pytest.fixture
def provider(organisation, petra) -> IdentityProvider:  # type: ignore[no-untyped-def]
    return provider_save(
        by=petra,
        organisation=organisation,
        provider=None,
        issuer=ISSUER,
        client_id="roer",
        client_secret=SECRET,
        domains=["alfa.example", "alfa.nl"],
        manager_claim="",
        manager_value="",
        enabled=True,
    )


# --- The e-mail step and the start of the flow ------------------------------------------------------------


def test_the_login_page_offers_the_organisations_account(client):
    page = client.get("/login/?next=/account/").content.decode()
    assert 'href="/login/sso/?next=/account/"' in page


def test_an_address_without_single_sign_on_is_told_to_use_the_password(client, provider, english):
    response = client.post("/login/sso/", {"email": "someone@elsewhere.example"})
    assert response.status_code == 400
    assert "No organisation on Roer has set up single sign-on for this e-mail domain" in response.content.decode()


def test_a_disabled_provider_is_not_chosen(client, provider):
    provider.enabled = False
    provider.save()
    assert client.post("/login/sso/", {"email": "eva@alfa.example"}).status_code == 400


def test_a_bad_address_is_a_form_error(client):
    assert client.post("/login/sso/", {"email": "not an address"}).status_code == 400


def test_the_domain_chooses_the_provider_and_the_flow_starts_with_state_nonce_and_pkce(client, provider):
    response = client.post("/login/sso/", {"email": "Eva@ALFA.nl", "next": "/account/"})
    assert response.url == "/login/sso/continue/"
    page = client.get(response.url).content.decode()
    assert 'http-equiv="refresh" content="0; url=/login/sso/go/"' in page
    assert "Gemeente Alfa" in page
    to_provider = client.get("/login/sso/go/")
    assert to_provider.status_code == 302
    location = urlsplit(to_provider["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/authorize"
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == "roer"
    assert query["scope"] == "openid email profile"
    assert query["redirect_uri"] == "http://testserver/login/sso/callback/"
    assert query["code_challenge_method"] == "S256"
    assert query["login_hint"] == "eva@alfa.nl"
    assert len(query["state"]) >= 32
    assert len(query["nonce"]) >= 32
    state = client.session["oidc_states"][query["state"]]
    assert state["provider"] == provider.pk
    assert state["nonce"] == query["nonce"]
    assert len(state["code_verifier"]) >= 43
    assert client.session["oidc_login_next"] == "/account/"


def test_a_next_address_elsewhere_is_dropped(client, provider):
    client.post("/login/sso/", {"email": "eva@alfa.example", "next": "https://evil.example/"})
    client.get("/login/sso/go/")
    assert client.session["oidc_login_next"] is None


def test_continuing_without_the_email_step_goes_back_to_it(client):
    assert client.get("/login/sso/continue/").url == "/login/sso/"
    assert client.get("/login/sso/go/").url == "/login/sso/"


def test_an_unreachable_provider_ends_on_the_login_page(client, provider, monkeypatch, english):
    def unreachable(issuer: str, *, fresh: bool = False) -> ProviderConfiguration:
        raise ProviderUnreachableError

    monkeypatch.setattr(views, "configuration", unreachable)
    client.post("/login/sso/", {"email": "eva@alfa.example"})
    response = client.get("/login/sso/go/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/"
    assert "could not be reached" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?code=x",
        "?state=x",
        "?code=x&state=x",
        "?error=access_denied&state=x",
        "?state=%00&code=%ff",
        "?state=x&state=y&code=z",
    ],
)
def test_a_callback_that_was_not_asked_for_ends_on_the_login_page(client, query, english):
    response = client.get(f"/login/sso/callback/{query}", follow=True)
    assert response.redirect_chain[0][0] == "/login/"
    assert "This log-in attempt has expired" in response.content.decode()


def test_a_refusal_at_the_provider_ends_on_the_login_page(client, provider, english):
    client.post("/login/sso/", {"email": "eva@alfa.example"})
    state = parse_qs(urlsplit(client.get("/login/sso/go/")["Location"]).query)["state"][0]
    response = client.get(f"/login/sso/callback/?error=access_denied&state={state}", follow=True)
    assert "did not log you in" in response.content.decode()
    assert state not in client.session["oidc_states"]


def test_an_authorization_response_naming_another_issuer_is_refused(client, provider):
    client.post("/login/sso/", {"email": "eva@alfa.example"})
    state = parse_qs(urlsplit(client.get("/login/sso/go/")["Location"]).query)["state"][0]
    response = client.get(f"/login/sso/callback/?code=c&state={state}&iss=https://evil.example")
    assert response.url == "/login/"


def test_password_log_in_keeps_working_beside_single_sign_on(client, provider, bob):
    assert authenticate(username="bob@alfa.example", password=PASSWORD) == bob
    response = client.post("/login/", {"username": "bob@alfa.example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def test_the_backend_answers_no_password_log_in():
    from roer.sso.backend import ProviderBackend

    assert ProviderBackend().authenticate(None) is None


@pytest.mark.parametrize(
    ("claims", "accepted"),
    [
        ({"email_verified": True}, True),
        ({"email_verified": "true"}, True),  # AD FS claim rules send strings
        ({"email_verified": False}, False),
        ({"email_verified": "false"}, False),
        ({"email_verified": 1}, False),
        ({}, False),
        ({"xms_edov": True}, True),  # Entra ID's "domain verified", when email_verified is absent
        ({"email_verified": False, "xms_edov": True}, False),
    ],
)
def test_only_a_confirmed_address_of_the_providers_domains_is_accepted(provider, claims, accepted):
    from roer.sso.services import EmailNotVerifiedError, ForeignDomainError, NoEmailError, checked_address

    if accepted:
        assert checked_address(provider, {"email": "Eva@Alfa.NL ", **claims}) == "eva@alfa.nl"
    else:
        with pytest.raises(EmailNotVerifiedError):
            checked_address(provider, {"email": "eva@alfa.nl", **claims})
    with pytest.raises(ForeignDomainError):
        checked_address(provider, {"email": "eva@sub.alfa.nl", "email_verified": True})
    with pytest.raises(ForeignDomainError):
        checked_address(provider, {"email": "eva@alfa.nl.evil.example", "email_verified": True})
    with pytest.raises(NoEmailError):
        checked_address(provider, {"email": ["eva@alfa.nl"], "email_verified": True})
    with pytest.raises(NoEmailError):
        checked_address(provider, {"email": "eva@alfa.nl@evil.example", "email_verified": True})


def test_the_claim_mapping(provider):
    provider.manager_claim, provider.manager_value = "roles", "roer-admin"
    assert starting_role(provider, {"roles": ["x", "roer-admin"]}) == "beheerder"
    assert starting_role(provider, {"roles": "roer-admin"}) == "beheerder"
    assert starting_role(provider, {"roles": ["roer-admins"]}) == "lezer"
    assert starting_role(provider, {}) == "lezer"
    provider.manager_claim = ""
    assert starting_role(provider, {"roles": "roer-admin"}) == "lezer"


# --- The platform administrator's pages ---------------------------------------------------------------


def form_data(**changes: str) -> dict[str, str]:
    return {
        "issuer": ISSUER,
        "client_id": "roer",
        "client_secret": SECRET,
        "domains": "alfa.example\n@Alfa.NL",
        "manager_claim": "groups",
        "manager_value": "roer-beheerders",
        "enabled": "on",
        **changes,
    }


def test_a_platform_administrator_sets_up_single_sign_on(petra, organisation):
    client = client_for(petra)
    assert client.get(reverse("platform:sso_create")).status_code == 200
    response = client.post(reverse("platform:sso_create"), form_data(organisation=str(organisation.pk)))
    assert response.url == reverse("platform:sso")
    provider = IdentityProvider.objects.get(organisation=organisation)
    assert sorted(provider.domains.values_list("domain", flat=True)) == ["alfa.example", "alfa.nl"]
    assert SECRET not in provider.client_secret_encrypted
    assert secret_decrypt(provider.client_secret_encrypted) == SECRET
    event = AuditEvent.objects.get(action=AuditAction.SSO_CHANGED)
    assert event.organisation == organisation
    assert SECRET not in event.subject
    listing = client.get(reverse("platform:sso")).content.decode()
    assert "alfa.example, alfa.nl" in listing
    assert "http://testserver/login/sso/callback/" in client.get(reverse("platform:sso_create")).content.decode()


def test_the_secret_is_never_shown_again_and_kept_when_left_empty(petra, provider):
    client = client_for(petra)
    url = reverse("platform:sso_edit", args=[provider.pk])
    page = client.get(url).content.decode()
    assert SECRET not in page
    assert provider.client_secret_encrypted not in page
    assert client.post(url, form_data(client_secret="")).status_code == 302
    provider.refresh_from_db()
    assert secret_decrypt(provider.client_secret_encrypted) == SECRET
    client.post(url, form_data(client_secret="a-new-secret"))
    provider.refresh_from_db()
    assert secret_decrypt(provider.client_secret_encrypted) == "a-new-secret"
    assert AuditEvent.objects.filter(action=AuditAction.SSO_CHANGED, subject__contains="new client secret").count() == 2


def test_a_domain_belongs_to_one_provider_only(petra, provider, other_organisation):
    client = en(client_for(petra))
    response = client.post(
        reverse("platform:sso_create"),
        form_data(organisation=str(other_organisation.pk), domains="bravo.example\nalfa.nl"),
    )
    assert response.status_code == 400
    assert "alfa.nl already belongs to the single sign-on of Gemeente Alfa." in response.content.decode()
    assert not IdentityProvider.objects.filter(organisation=other_organisation).exists()
    with pytest.raises(IntegrityError):
        ProviderDomain.objects.create(provider=provider, domain="alfa.example")


def test_removing_a_domain_frees_it(petra, provider, other_organisation):
    client = client_for(petra)
    client.post(reverse("platform:sso_edit", args=[provider.pk]), form_data(domains="alfa.example"))
    response = client.post(
        reverse("platform:sso_create"), form_data(organisation=str(other_organisation.pk), domains="alfa.nl")
    )
    assert response.status_code == 302
    assert ProviderDomain.objects.get(domain="alfa.nl").provider.organisation == other_organisation


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"issuer": "http://login.alfa.example/realms/alfa"}, "issuer"),  # http, not on this machine
        ({"issuer": "https://user:pass@login.alfa.example/"}, "issuer"),
        ({"domains": "alfa"}, "domains"),
        ({"domains": "alfa.example\nnot a domain"}, "domains"),
        ({"domains": ""}, "domains"),
        ({"client_secret": ""}, "client_secret"),  # required when creating
        ({"manager_value": ""}, "manager_value"),  # a claim without its value
    ],
)
def test_a_wrong_form_says_what_is_wrong(petra, organisation, changes, field):
    client = client_for(petra)
    response = client.post(reverse("platform:sso_create"), form_data(organisation=str(organisation.pk), **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_an_issuer_without_a_configuration_is_not_saved(petra, organisation, monkeypatch):
    def unreachable(issuer: str, *, fresh: bool = False) -> ProviderConfiguration:
        raise ProviderUnreachableError

    monkeypatch.setattr(views, "configuration", unreachable)
    client = en(client_for(petra))
    response = client.post(reverse("platform:sso_create"), form_data(organisation=str(organisation.pk)))
    assert response.status_code == 400
    assert "could not read the provider&#x27;s configuration" in response.content.decode()
    # switched off, it may be saved before the provider is ready
    response = client.post(reverse("platform:sso_create"), form_data(organisation=str(organisation.pk), enabled=""))
    assert response.status_code == 302


def test_an_organisation_with_a_provider_is_not_offered_again(petra, provider, other_organisation):
    choices = client_for(petra).get(reverse("platform:sso_create")).context["form"].fields["organisation"].queryset
    assert list(choices) == [other_organisation]


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_no_one_but_a_platform_administrator_finds_the_pages(request, who, provider):
    client = client_for(request.getfixturevalue(who))
    for url in (
        reverse("platform:sso"),
        reverse("platform:sso_create"),
        reverse("platform:sso_edit", args=[provider.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, form_data()).status_code == 404
    assert IdentityProvider.objects.get().issuer == ISSUER


def test_an_unknown_provider_is_not_found(petra):
    assert client_for(petra).get(reverse("platform:sso_edit", args=[999])).status_code == 404


def test_a_staff_member_without_superuser_rights_finds_nothing(provider):
    from tests.factories import UserFactory

    staff = client_for(UserFactory(email="staff@roer.example", is_staff=True))
    assert staff.get(reverse("platform:sso")).status_code == 404


def test_many_organisations_can_be_set_up(petra):
    for number in range(3):
        organisation = OrganisationFactory(name=f"Gemeente {number}")
        provider_save(
            by=petra,
            organisation=organisation,
            provider=None,
            issuer=ISSUER,
            client_id=f"client-{number}",
            client_secret=SECRET,
            domains=[f"g{number}.example"],
            manager_claim="",
            manager_value="",
            enabled=True,
        )
    assert client_for(petra).get(reverse("platform:sso")).status_code == 200
