"""Learning from others in a real browser, on a phone (320 × 640 CSS pixels): an information manager
agrees to be the contact person of the organisation's own offer, then finds a peer for a focus
dimension, offers to share on another dimension, finds a case in the library and writes one (after an
error); the platform administrator publishes it. Buttons and links are used with the keyboard.

Every page is photographed and checked with axe (tests/browser/conftest.py), in English (whose texts
are the source and do not change with the translation) and in Dutch, and must fit 320 CSS pixels.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from roer.learning.models import Case, CaseStatus, SharingOffer
from tests.browser.test_residents import PHONE, check, log_in, phone
from tests.factories import MembershipFactory, UserFactory
from tests.learning.helpers import (
    FOCUS,
    SIZE,
    case_of,
    filler,
    peer,
    published_scan_with_focus,
    sharing,
    store_scores,
)


def to_english(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def press(page: Page, name: str, key: str = "Enter") -> None:
    """Focus the link or button by its accessible name and press a key, as a keyboard user does."""
    target = page.get_by_role("button", name=name).or_(page.get_by_role("link", name=name)).first
    expect(target).to_be_visible()
    target.focus()
    page.keyboard.press(key)


def test_an_information_manager_finds_a_peer_and_a_case_on_a_phone(
    new_context, live_server, journey, organisation, instrument_version, alice
):
    organisation.benchmark_opt_in = True
    organisation.save()
    published_scan_with_focus(organisation, instrument_version)
    SharingOffer.objects.create(organisation=organisation, dimension_code=FOCUS[1], contact=alice)  # pending
    strong = peer("Gemeente Sterkerwaard")
    contact = UserFactory(email="im@sterkerwaard.example", full_name="Noor Sterk")
    sharing(strong, FOCUS[0], contact=contact, note="Bel gerust over onze aanpak.")
    MembershipFactory(user=contact, organisation=strong)
    store_scores(instrument_version, SIZE, FOCUS[0], {organisation: 40, strong: 90, **dict.fromkeys(filler(11), 55)})
    case_of(strong, title="Een datateam met de buurgemeenten")

    page = phone(new_context, live_server)
    log_in(page, alice.email)
    to_english(page, live_server)
    page.goto(f"/organisations/{organisation.code}/")
    page.locator(f"a[href='/organisations/{organisation.code}/learning/']").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning from others")
    expect(
        page.get_by_text("Peers are shown only to organisations that share their own experience too")
    ).to_be_visible()
    check(journey, page, "learning page before sharing")

    press(page, "I agree to be contacted", "Space")
    expect(page.get_by_text("Gemeente Sterkerwaard")).to_be_visible()
    expect(page.get_by_text("in the top quarter among municipalities of the same size")).to_be_visible()
    expect(page.get_by_role("link", name="im@sterkerwaard.example")).to_be_visible()
    check(journey, page, "peers for the focus")

    page.get_by_label("Dimension").select_option("koers")
    page.get_by_label("Contact person").select_option(label=f"{alice.full_name} ({alice.email})")
    page.get_by_label("What you can tell others").fill("Onze koersdag")
    press(page, "Offer to share")
    expect(page.get_by_text("The offer has been made")).to_be_visible()
    check(journey, page, "an offer made")

    page.goto("/learning/cases/")
    page.get_by_role("textbox", name="Search").fill('datateam" *')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 case found")).to_be_visible()
    check(journey, page, "the case library searched")
    press(page, "Een datateam met de buurgemeenten")
    expect(page.get_by_role("heading", level=1)).to_have_text("Een datateam met de buurgemeenten")
    check(journey, page, "a case")

    page.goto(f"/organisations/{organisation.code}/learning/cases/new/")
    press(page, "Send to the moderator")
    expect(page.get_by_role("alert")).to_be_visible()
    check(journey, page, "a case with errors")
    page.get_by_label("Title").fill("Koersdag met het college")
    page.get_by_label("What we did").fill("Een dag over de digitale koers.")
    page.get_by_label("What it brought").fill("Een gedeelde agenda.")
    page.locator("input[name=dimension_codes][value=koers]").check()
    press(page, "Send to the moderator")
    expect(page.get_by_text("The case has been sent to the moderator")).to_be_visible()
    check(journey, page, "a case sent to the moderator")
    written = Case.objects.get(title="Koersdag met het college")
    assert written.status == CaseStatus.SUBMITTED

    # In Dutch too: the same pages pass axe and fit the phone.
    page.context.clear_cookies(name="django_language")
    for url, step in (
        (f"/organisations/{organisation.code}/learning/", "learning page (Dutch)"),
        ("/learning/cases/", "case library (Dutch)"),
    ):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        check(journey, page, step)

    admin = UserFactory(email="admin@roer.example", is_superuser=True, is_staff=True)
    moderator = phone(new_context, live_server)
    log_in(moderator, admin.email)
    to_english(moderator, live_server)
    moderator.goto("/learning/moderation/")
    check(journey, moderator, "the moderation queue")
    press(moderator, "Koersdag met het college")
    check(journey, moderator, "a case to moderate")
    press(moderator, "Publish")
    expect(moderator.get_by_text("The case has been published")).to_be_visible()
    written.refresh_from_db()
    assert written.status == CaseStatus.PUBLISHED
    assert moderator.evaluate("document.documentElement.scrollWidth") <= PHONE
