"""The method page, the accessibility statement and the privacy statement in a real browser at 320 CSS
pixels, with axe, Dutch and English, reached from the footer of a public page with the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_residents import check, in_english_too, phone

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/method/", "How we calculate"),
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy statement"),
    ],
    ids=["method", "accessibility", "privacy"],  # the test's name names its screenshots: no slashes
)
def test_each_page_from_the_footer_on_a_phone(new_context, live_server, journey, path, heading):
    page = phone(new_context, live_server)
    page.goto("/login/")
    page.locator(f'.site-footer a[href="{path}"]').focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    in_english_too(journey, page, f"the page {path}", heading)


def test_the_method_pages_contents_lead_to_its_sections(new_context, live_server, journey):
    page = phone(new_context, live_server)
    page.goto("/method/")
    page.locator(".page-toc a").last.click()
    expect(page).to_have_url(f"{live_server.url}/method/#worked-example")
    expect(page.locator("#worked-example")).to_be_in_viewport()
    check(journey, page, "the method page at its worked example")
