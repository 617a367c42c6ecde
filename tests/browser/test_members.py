"""The members page in a real browser, on a phone (320 CSS pixels wide): a scan manager invites a
colleague (a bad address first), the colleague chooses a password with the link in the e-mail, and the
removal asks first. Every page is checked with axe and must fit 320 CSS pixels without scrolling
sideways (tests/browser/test_residents.py)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from roer.organisations.models import Membership, Role
from tests.browser.test_residents import check, log_in, phone, switch_language
from tests.tasks import run_tasks

pytestmark = pytest.mark.browser


def test_a_scan_manager_invites_a_colleague_who_chooses_a_password(
    new_context, live_server, journey, organisation, alice, bob
):
    page = phone(new_context, live_server)
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/organisations/{organisation.code}/")
    page.locator(f'a[href="/organisations/{organisation.code}/members/"]').click()
    check(journey, page, "the members page")
    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    check(journey, page, "the members page (English)")

    page.get_by_label("E-mail address", exact=True).fill("not an address")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter a valid e-mail address")
    check(journey, page, "an invitation with a bad address")
    page.get_by_label("E-mail address", exact=True).fill("eva@alfa.example")
    page.get_by_label("Role", exact=True).select_option(Role.BEHEERDER.value)
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".messages")).to_contain_text("eva@alfa.example has access now")
    assert Membership.objects.get(user__email="eva@alfa.example").role == Role.BEHEERDER
    page.get_by_label("Consultant's e-mail address").fill("dana@bureau.example")
    page.get_by_role("button", name="Give access").click()
    expect(page.locator(".messages")).to_contain_text("dana@bureau.example has access as a consultant now")
    check(journey, page, "the members page with a consultant")
    page.get_by_role("link", name=re.compile(r"^Withdraw access\W+dana@bureau\.example$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw a consultant's access")
    check(journey, page, "the confirmation of a withdrawal")
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name=re.compile(r"^Remove\W+bob@alfa\.example$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove a member")
    check(journey, page, "the confirmation of a removal")
    page.get_by_role("button", name="Remove").click()
    expect(page.locator(".messages")).to_contain_text("bob@alfa.example no longer has access.")

    run_tasks()
    link = re.search(r"https?://\S+/account/set-password/\S+/", mail.outbox[0].body)
    assert link
    newcomer = phone(new_context, live_server)
    newcomer.goto(live_server.url + "/account/" + link.group(0).split("/account/", 1)[1])
    check(journey, newcomer, "choosing a password")
    newcomer.get_by_label("Nieuw wachtwoord", exact=True).fill("a-long-and-new-pass-phrase-42")
    newcomer.get_by_label("Nieuw wachtwoord bevestigen").fill("a-long-and-new-pass-phrase-42")
    newcomer.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(newcomer.get_by_role("link", name="Inloggen").last).to_be_visible()
    check(journey, newcomer, "the password is saved")
