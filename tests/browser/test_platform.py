"""The platform administration in a real browser, on a phone (320 CSS pixels wide), as a platform
administrator: every page of it, with long unbroken words in what people typed, a form error and a filter
error. Every page is checked with axe and must fit 320 CSS pixels without scrolling sideways
(tests/browser/test_residents.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lifecycle.platform import user_block
from roer.organisations.models import Role
from tests.browser.test_narrow_pages import LONG, LONG_EMAIL, LONG_NAME
from tests.browser.test_residents import check, log_in, phone, switch_language
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.browser


@pytest.fixture
def platform(organisation, alice, bob, instrument_version):  # type: ignore[no-untyped-def]
    """A platform administrator; an organisation, a scan, an account and an audit event with long words;
    a closed scan for retention and a blocked account."""
    administrator = UserFactory(email="petra@roer.example", is_superuser=True, is_staff=True)
    long_organisation = OrganisationFactory(name=f"Gemeente {LONG}")
    long_user = UserFactory(email=LONG_EMAIL, full_name=f"Medewerker {LONG_NAME}")
    MembershipFactory(user=long_user, organisation=long_organisation, role=Role.LEZER)
    closed_scan_with(long_organisation, instrument_version, {"medewerkers": [3] * 5}, title=f"Scan {LONG}")
    closed_scan_with(organisation, instrument_version, {"medewerkers": [4] * 5}, title="Scan 2026")
    audit_record(user=long_user, organisation=long_organisation, action=AuditAction.REPORT_VIEWED, subject=LONG)
    audit_record(user=alice, organisation=organisation, action=AuditAction.MEMBER_INVITED, subject=bob.email)
    user_block(by=administrator, user=bob)
    return {"administrator": administrator, "organisation": long_organisation, "blocked": bob, "other": alice}


def test_a_platform_administrator_walks_every_platform_page_on_a_phone(new_context, live_server, journey, platform):
    page = phone(new_context, live_server)
    log_in(page, platform["administrator"].email)
    page.get_by_role("link", name="Platform", exact=True).first.click()
    check(journey, page, "the overview")
    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Platform administration")
    check(journey, page, "the overview (English)")

    page.get_by_role("link", name="Organisations", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    check(journey, page, "the organisations")
    page.get_by_role("link", name="New organisation").click()
    check(journey, page, "a new organisation")
    page.get_by_label("Name").fill("Gemeente Nul")
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".error-summary")).to_contain_text("A municipality needs its number of inhabitants.")
    check(journey, page, "a new organisation without its inhabitants")
    page.get_by_label("Inhabitants").fill("12500")
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".messages")).to_contain_text("Gemeente Nul has been created.")
    page.goto(f"/platform/organisations/{platform['organisation'].code}/")
    check(journey, page, "an organisation with a long name")

    page.goto("/platform/users/")
    check(journey, page, "the users")
    page.get_by_role("link", name=re.compile(rf"^Block\W+{re.escape(platform['other'].email)}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Block an account")
    check(journey, page, "the confirmation of a block")
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    page.get_by_role("link", name=re.compile(rf"^Unblock\W+{re.escape(platform['blocked'].email)}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unblock an account")
    check(journey, page, "the confirmation of an unblock")
    page.get_by_role("button", name="Unblock").click()
    expect(page.locator(".messages")).to_contain_text(f"{platform['blocked'].email} can log in again.")
    check(journey, page, "an account unblocked")

    page.goto("/platform/audit/")
    check(journey, page, "the audit log")
    page.get_by_label("From").fill("2026-03-10")
    page.get_by_label("To").fill("2026-03-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".error-summary")).to_contain_text("The end date is before the start date.")
    check(journey, page, "the audit log with a filter error")

    page.goto("/platform/retention/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention")
    check(journey, page, "retention")
    page.goto("/platform/instruments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Instrument versions")
    check(journey, page, "the instrument versions")
    page.goto("/platform/benchmark-exchange/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benchmark across installations")
    check(journey, page, "the benchmark exchange")


def test_a_platform_administrator_uploads_reads_and_publishes_an_instrument_version(
    new_context, live_server, journey, platform, tmp_path
):
    from tests.platform.test_instrument_publication import NEW, version_3

    page = phone(new_context, live_server)
    log_in(page, platform["administrator"].email)
    page.goto("/platform/instruments/")
    switch_language(page, "en")
    page.get_by_role("link", name="Upload a new version").click()
    check(journey, page, "the upload form")
    broken = tmp_path / "digitaal-leiderschap-v3.yaml"
    broken.write_bytes(version_3().replace(b"\nversion: 3\n", b"\nversion: drie\n", 1))
    page.get_by_label("Instrument file (YAML)").set_input_files(str(broken))
    page.get_by_role("button", name="Check and upload").click()
    expect(page.locator(".error-summary")).to_contain_text("The file was not loaded: 1 problem")
    check(journey, page, "an instrument file with a mistake")
    good = tmp_path / "digitaal-leiderschap-v3-good.yaml"
    good.write_bytes(version_3())
    page.get_by_label("Instrument file (YAML)").set_input_files(str(good))
    page.get_by_role("button", name="Check and upload").click()
    expect(page.locator(".diff ins").last).to_contain_text(NEW)
    check(journey, page, "a draft with its difference and preview")
    page.get_by_label("Only the organisations chosen below").check()
    page.get_by_label(platform["organisation"].name).check()
    page.get_by_role("button", name="Publish this version").click()
    expect(page.locator(".messages")).to_contain_text("Version 3 is published.")
    check(journey, page, "a published version")
