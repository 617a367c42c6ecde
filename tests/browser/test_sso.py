"""Single sign-on in a real browser on a phone (320 CSS pixels): Roer's log-in page, the e-mail step, the
real test provider's log-in and consent pages (tests/oidc_provider), and back to Roer, logged in; then a
refusal; then the platform administrator's pages. Roer's pages are photographed and checked with axe and
must fit the phone; the provider's pages are not Roer's and are only used. The CSP listener
(tests/browser/conftest.py) proves the way to the provider breaks no form-action rule."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from roer.organisations.models import Membership, Role
from tests.browser.test_residents import check, log_in, phone
from tests.oidc_provider import run as provider_run
from tests.sso.conftest import alfa_provider, openid_provider, platform_admin  # noqa: F401  (fixtures)


def at_the_provider(page: Page, username: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Test provider: log in")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(provider_run.PASSWORD)
    page.get_by_role("button", name="Log in at the provider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request for Permission")
    page.get_by_role("button", name="Authorize").click()


def start(page: Page, journey, email: str, *, first: bool = False) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login/")
    if first:
        check(journey, page, "the log-in page offers the organisation's account")
    page.locator('main a[href^="/login/sso/"]').click()
    if first:
        check(journey, page, "the e-mail step")
    page.locator("#id_email").fill(email)
    page.locator("main form button[type=submit]").click()


def test_logging_in_with_the_organisations_account_on_a_phone(
    new_context,
    live_server,
    journey,
    alfa_provider,  # noqa: F811
    organisation,
):
    page = phone(new_context, live_server)
    start(page, journey, "someone@elsewhere.example", first=True)
    expect(page.locator(".error-summary")).to_be_visible()
    check(journey, page, "an address without single sign-on")

    start(page, journey, "eva@alfa.example")
    at_the_provider(page, "eva")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn organisaties")
    expect(page.get_by_role("link", name="Gemeente Alfa").first).to_be_visible()
    check(journey, page, "logged in with the organisation's account")
    assert list(Membership.objects.filter(user__email="eva@alfa.example").values_list("role", flat=True)) == [
        Role.LEZER
    ]

    refused = phone(new_context, live_server)
    start(refused, journey, "unverified@alfa.example")
    at_the_provider(refused, "unverified")
    expect(refused.locator(".messages")).to_be_visible()
    expect(refused.locator("#id_password")).to_be_visible()  # the log-in page, with the password as before
    check(journey, refused, "an unconfirmed address is refused")


def test_the_platform_administrator_sets_up_single_sign_on_on_a_phone(
    new_context,
    live_server,
    journey,
    alfa_provider,  # noqa: F811
    platform_admin,  # noqa: F811
):
    page = phone(new_context, live_server)
    log_in(page, platform_admin.email)
    page.goto("/platform/")
    page.locator('a[href="/platform/sso/"]').click()  # the overview's link
    expect(page.get_by_role("cell", name="alfa.example")).to_be_visible()
    check(journey, page, "the identity providers")
    page.goto(f"/platform/sso/{alfa_provider.pk}/")
    check(journey, page, "an identity provider")
    page.locator("#id_manager_value").fill("")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(journey, page, "an incomplete claim mapping")
    page.goto("/platform/sso/new/")
    check(journey, page, "a new identity provider")
