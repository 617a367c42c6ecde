"""A second instrument in a real browser on a phone (320 CSS pixels): a healthcare organisation offered both
instruments chooses the healthcare one first, gets its own groups, sets up the scan, and a platform
administrator reads the version's groups. Each page passes axe and fits without scrolling sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from roer.instruments.loader import DEFAULT_INSTRUMENT, read_instrument_file
from roer.instruments.services import instrument_version_load
from roer.organisations.models import OrganisationKind, Role
from roer.scans.models import Scan
from tests.browser.test_residents import check, log_in, phone
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser

HEALTHCARE = DEFAULT_INSTRUMENT.parent / "digitaal-leiderschap-zorg-v1.yaml"


@pytest.fixture
def healthcare(instrument_version):  # type: ignore[no-untyped-def]
    definition, text = read_instrument_file(HEALTHCARE)
    version = instrument_version_load(definition=definition, source_text=text, source_name=HEALTHCARE.name).version
    zorg = OrganisationFactory(name="Zorggroep Eikenrode", kind=OrganisationKind.ZORG, inhabitants=None)
    manager = UserFactory(email="ria@eikenrode.example")
    MembershipFactory(user=manager, organisation=zorg, role=Role.BEHEERDER)
    return {"version": version, "organisation": zorg, "manager": manager}


def test_a_healthcare_organisation_chooses_its_instrument_first_and_gets_its_groups(
    new_context, live_server, journey, healthcare
):
    page = phone(new_context, live_server)
    log_in(page, healthcare["manager"].email)
    page.goto(f"/organisations/{healthcare['organisation'].code}/scans/new/")
    check(journey, page, "a new scan, two instruments offered")
    page.get_by_role("combobox", name="Instrument").select_option(label=str(healthcare["version"]))
    page.get_by_role("button", name="Toon de groepen").click()
    expect(page.get_by_label("Raad van bestuur (zelfbeoordeling)", exact=True)).to_be_checked()
    expect(page.get_by_label("Directie (zelfbeoordeling)", exact=True)).to_have_count(0)
    expect(page.get_by_label("Drempel Zorgprofessionals", exact=True)).to_have_value("10")
    check(journey, page, "a new scan with the healthcare instrument's groups")
    page.get_by_label("Titel").fill("Digitaal leiderschap in de zorg 2026")
    page.get_by_label("Managers en teamleiders", exact=True).uncheck()
    page.get_by_role("button", name="Scan aanmaken").click()
    expect(page).to_have_url(re.compile(r"/scans/[0-9a-f-]+/invitees/$"))
    scan = Scan.objects.get(organisation=healthcare["organisation"])
    assert scan.instrument_version == healthcare["version"]
    assert [group.kind for group in scan.groups.all()] == [
        "raad_van_bestuur",
        "informatievoorziening_ict",
        "zorgprofessionals",
    ]
    check(journey, page, "the new scan's invitees")


def test_a_platform_administrator_reads_the_groups_of_a_version(new_context, live_server, journey, healthcare):
    UserFactory(email="petra@roer.example", is_superuser=True, is_staff=True)
    page = phone(new_context, live_server)
    log_in(page, "petra@roer.example")
    page.goto(f"/platform/instruments/{healthcare['version'].pk}/")
    table = page.locator("section[aria-labelledby=groups-title] table")
    expect(table).to_contain_text("Raad van bestuur (zelfbeoordeling)")
    expect(table).to_contain_text("beoordeelt zichzelf")
    expect(table).to_contain_text("verpleegkundigen")
    expect(page.locator("details summary").first).to_have_text("Raad van bestuur (zelfbeoordeling)")
    check(journey, page, "an instrument version's groups")
