"""A consultant's portfolio in a real browser, on a phone (320 × 640 CSS pixels): from the header's link to
the board of every client, the anonymised report across clients, and the form for one scan for several
clients, which is sent once with an error and then correctly.

Every page is photographed and checked with axe (tests/browser/conftest.py) and must fit 320 CSS pixels."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from roer.organisations.models import Role
from roer.scans.models import Scan
from tests.browser.test_learning import press, to_english
from tests.browser.test_residents import check, log_in, phone
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, ScanFactory, UserFactory
from tests.helpers import closed_scan_with


def test_a_consultant_reads_the_portfolio_and_sets_up_scans_for_two_clients_on_a_phone(
    new_context, live_server, journey, instrument_version
):
    anne = UserFactory(email="anne@adviseur.example", full_name="Anne Adviseur")
    clients = []
    for name, value in (("Gemeente Aaltjesdijk", 2), ("Gemeente Bommelerwaard-Noord", 3), ("Gemeente Cuijkerveen", 5)):
        organisation = OrganisationFactory(name=name)
        MembershipFactory(user=anne, organisation=organisation, role=Role.ADVISEUR)
        closed_scan_with(organisation, instrument_version, {"medewerkers": [value] * 5}, title="Scan 2025")
        clients.append(organisation)
    open_scan = ScanFactory(organisation=clients[0], instrument_version=instrument_version, title="Scan 2026")
    InvitationFactory.create_batch(4, scan=open_scan)

    page: Page = phone(new_context, live_server)
    log_in(page, anne.email)
    to_english(page, live_server)
    page.goto("/")
    press(page, "Portfolio")
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    expect(page.get_by_role("heading", name="Gemeente Bommelerwaard-Noord")).to_be_visible()
    expect(page.get_by_text("0 of 4 (0%)")).to_be_visible()
    check(journey, page, "portfolio board")

    press(page, "Anonymised report across your clients")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anonymised portfolio report")
    expect(page.get_by_text("Gemeente Aaltjesdijk")).to_have_count(0)
    check(journey, page, "anonymised report")

    page.goto("/portfolio/scans/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New scan for several clients")
    check(journey, page, "form for several clients")
    page.get_by_label("Title").fill("Scan digitaal leiderschap 2026")
    page.get_by_role("button", name="Create the scans").click()
    expect(page.get_by_text("Choose at least one client.").first).to_be_visible()
    check(journey, page, "form with an error")
    page.get_by_label("Gemeente Aaltjesdijk").check()
    page.get_by_label("Gemeente Cuijkerveen").check()
    page.get_by_role("button", name="Create the scans").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scans created")
    expect(page.get_by_role("link", name="Gemeente Cuijkerveen: Scan digitaal leiderschap 2026")).to_be_visible()
    check(journey, page, "scans created")
    assert Scan.objects.filter(title="Scan digitaal leiderschap 2026").count() == 2
