"""The account page and the password change in a real browser at 320 CSS pixels, with axe, Dutch and
English, reached with the keyboard from the user's name in the header."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_residents import check, in_english_too, log_in, phone

pytestmark = pytest.mark.browser


def test_from_the_name_in_the_header_to_the_password_change(new_context, live_server, journey, alice):
    page = phone(new_context, live_server)
    log_in(page, alice.email)
    page.locator("a.user-name").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw account")
    in_english_too(journey, page, "the account page", "Your account")
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord wijzigen")
    check(journey, page, "the password change")
