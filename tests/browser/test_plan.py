"""The action plan in a real browser, on a phone (320 CSS pixels wide), in Dutch and English.

A scan manager turns the suggestion for a focus dimension into an action, gives it an owner and a due
date, and removes one; the owner records status and progress with the keyboard only, and a date to come
is refused in words; a reader sees the board and the balance of the investments. Every page is checked
with axe and must fit 320 CSS pixels without scrolling sideways (tests/browser/test_residents.py)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from roer.lifecycle.planning import focus_choose
from roer.plans.models import Action, ActionStatus
from roer.results.presentation import label_of
from tests.browser.test_residents import check, in_english_too, log_in, phone
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.browser


@pytest.fixture
def baseline(organisation, instrument_version, alice):  # type: ignore[no-untyped-def]
    scan = closed_scan_with(organisation, instrument_version, {"medewerkers": [2, 3, 2, 3, 2, 3]}, title="Scan 2025")
    focus_choose(scan=scan, codes=["kennis", "ervaringen"], user=alice)
    return scan


def test_a_scan_manager_plans_and_an_owner_keeps_the_action_going(
    new_context, live_server, journey, organisation, baseline, alice, bob
):
    definition = baseline.instrument_version.parsed
    suggestion = definition.dimension("kennis").recommendations[1].nl  # 37.5: level 2
    page = phone(new_context, live_server)
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/organisations/{organisation.code}/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Actieplan")
    in_english_too(journey, page, "an empty plan with suggestions", "Action plan")

    label = label_of(definition, "kennis", "nl")  # "3. Investeert in eigen digitale kennis"
    page.get_by_role("link", name=re.compile(rf"^Maak er een actie van\W+{re.escape(label)}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe actie")
    expect(page.get_by_label("Actie", exact=True)).to_have_value(suggestion)
    page.get_by_label("Einddatum").fill("2099-01-01")
    page.get_by_role("button", name="Aan het plan toevoegen").click()
    expect(page.locator(".error-summary")).to_contain_text("Kies een einddatum binnen vijf jaar.")
    check(journey, page, "a due date too far away")
    due = timezone.localdate() + datetime.timedelta(days=60)
    page.get_by_label("Einddatum").fill(f"{due:%Y-%m-%d}")
    page.get_by_label("Eigenaar").select_option(value=str(bob.pk))
    page.get_by_label("Budget (euro)").fill("2500")
    page.get_by_role("button", name="Aan het plan toevoegen").click()
    expect(page.get_by_role("link", name=suggestion)).to_be_visible()
    check(journey, page, "the plan with one action")
    assert Action.objects.get().owner == bob

    # the owner, a reader of the organisation, keeps it going with the keyboard only
    owner = phone(new_context, live_server)
    log_in(owner, bob.email)
    owner.goto(f"{live_server.url}/organisations/{organisation.code}/plan/")
    owner.get_by_role("link", name=suggestion).click()
    check(journey, owner, "the action, for its owner")
    owner.get_by_label("Status").focus()
    owner.keyboard.press("ArrowDown")  # Gepland -> Bezig
    owner.get_by_role("button", name="Status opslaan").focus()
    owner.keyboard.press("Enter")
    expect(owner.locator(".messages")).to_contain_text("Status opgeslagen: Bezig.")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    owner.get_by_label("Datum").fill(f"{tomorrow:%Y-%m-%d}")
    owner.get_by_label("Wat er gebeurde").focus()
    owner.keyboard.type("Eerste bijeenkomst gehouden.")
    owner.get_by_role("button", name="Voortgang vastleggen").focus()
    owner.keyboard.press("Enter")
    expect(owner.locator(".error-summary")).to_contain_text("niet voor een dag die nog komt")
    expect(owner.get_by_label("Wat er gebeurde")).to_have_value("Eerste bijeenkomst gehouden.")
    check(journey, owner, "progress for a day to come")
    owner.get_by_label("Datum").fill(f"{timezone.localdate():%Y-%m-%d}")
    owner.get_by_role("button", name="Voortgang vastleggen").focus()
    owner.keyboard.press("Enter")
    expect(owner.locator(".notes")).to_contain_text("Eerste bijeenkomst gehouden.")
    in_english_too(journey, owner, "the action with its progress", suggestion)
    action = Action.objects.get()
    assert (action.status, action.notes.count()) == (ActionStatus.IN_PROGRESS, 1)

    # the scan manager changes and removes it
    page.get_by_role("link", name=suggestion).click()
    page.get_by_role("link", name="De actie wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("De actie wijzigen")
    check(journey, page, "changing the action")
    page.get_by_role("link", name="Annuleren").click()
    page.get_by_role("link", name="De actie verwijderen").click()
    in_english_too(journey, page, "removing the action", "Remove the action")
    page.get_by_role("button", name="Verwijderen").click()
    expect(page.locator(".messages")).to_contain_text("De actie is uit het plan gehaald.")
    assert not Action.objects.exists()
