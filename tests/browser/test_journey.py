"""The scan journey in a real browser: a scan manager creates a scan and invites, a respondent answers
with the keyboard only, leaves halfway and comes back through the link, a reader reads the results and
switches to English. Every step is photographed and checked with axe-core."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import Page, expect

from roer.organisations.models import Role
from roer.scans.models import Scan
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.tasks import run_tasks


def log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn organisaties")


def answer_page_with_keyboard(page: Page, presses: int) -> None:
    """Tab into each question's radio group and move right to pick an answer, then Tab on to Next.

    Tab is pressed until focus reaches a radio group not answered yet, rather than a fixed number of
    times: Chromium (156 here) starts sequential navigation at the top of the page (skip link, language
    button) even after the heading was focused, and the proof should not depend on that.
    """
    questions = page.locator("fieldset.question").count()
    page.locator("h1").focus()
    answered: set[str] = set()
    while len(answered) < questions:
        page.keyboard.press("Tab")
        kind, name, value = page.evaluate(
            "[document.activeElement.type, document.activeElement.name, document.activeElement.value]"
        )
        if kind != "radio" or name in answered:
            assert value not in ("next", "submit"), "Tab passed a question without reaching it"
            continue
        for _ in range(presses):
            page.keyboard.press("ArrowRight")  # moves and checks
        answered.add(name)
    # then on, past any open questions and the Previous button, to Next (or Submit on the last page)
    while page.evaluate("document.activeElement.value") not in ("next", "submit"):
        page.keyboard.press("Tab")


def test_a_scan_from_creation_to_results_in_the_browser(
    page: Page, new_context, organisation, journey, instrument_version
):
    manager = MembershipFactory(user=UserFactory(email="beheerder@alfa.example"), organisation=organisation).user
    MembershipFactory(user=UserFactory(email="lezer@alfa.example"), organisation=organisation, role=Role.LEZER)

    # --- The scan manager creates a scan -------------------------------------------------------
    log_in(page, manager.email)
    journey.check(page, "dashboard")
    page.get_by_role("link", name=organisation.name).click()
    journey.check(page, "organisation")
    page.get_by_role("link", name="Nieuwe scan").click()
    page.get_by_role("button", name="Scan aanmaken").click()  # without a title: a clear error
    expect(page.locator(".error-summary")).to_be_visible()
    journey.check(page, "new scan with an error")
    page.get_by_label("Titel").fill("Digitaal leiderschap 2026")
    page.get_by_role("checkbox", name="Management", exact=True).uncheck()
    page.get_by_role("checkbox", name="Informatievoorziening en adviseurs", exact=True).uncheck()
    page.get_by_role("button", name="Scan aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Genodigden toevoegen")
    scan = Scan.objects.get(title="Digitaal leiderschap 2026")

    # --- ... and invites: the directors, then staff with one bad line -----------------------------
    paste = page.locator("form").filter(has=page.get_by_label("E-mailadressen"))
    paste.get_by_label("Groep").select_option(label="Directie (zelfbeoordeling)")
    paste.get_by_label("E-mailadressen").fill("d1@alfa.example\nd2@alfa.example\nd3@alfa.example")
    paste.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(scan.title)
    page.get_by_role("link", name="Genodigden toevoegen").click()
    paste = page.locator("form").filter(has=page.get_by_label("E-mailadressen"))
    paste.get_by_label("Groep").select_option(label="Medewerkers")
    paste.get_by_label("E-mailadressen").fill("m1@alfa.example\nm2@alfa\nm3@alfa.example")
    paste.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".error-summary")).to_contain_text("m2@alfa")
    journey.check(page, "invitees with a bad line")
    page.get_by_role("link", name="Terug naar de scan").click()
    page.get_by_role("button", name=re.compile("5 uitnodigingen versturen")).click()
    expect(page.locator(".messages")).to_contain_text("5 uitnodigingen worden verstuurd")
    expect(page.get_by_role("status").filter(has_text="wachten op verzending")).to_be_visible()
    journey.check(page, "scan with invitations waiting for the worker")
    run_tasks()  # the worker sends them
    page.reload()
    expect(page.locator("table").filter(has_text="Verzendrondes")).to_contain_text("Verstuurd")
    journey.check(page, "scan with invitations sent")
    links = {
        message.to[0]: re.search(r"(/a/[A-Za-z0-9_-]{43}/)", message.body).group(1)  # type: ignore[union-attr]
        for message in mail.outbox
    }

    # --- A director answers with the keyboard only, leaves halfway, and comes back ----------------
    link = links["d1@alfa.example"]
    respondent = new_context().new_page()
    respondent.goto(link)
    expect(respondent.locator(".steps__text")).to_have_text("Stap 1 van 6")
    journey.check(respondent, "questionnaire page 1")
    answer_page_with_keyboard(respondent, presses=2)  # the third option: "Neutraal" (3)
    respondent.keyboard.press("Enter")
    # The save is answered with the next page itself, at that page's address.
    expect(respondent.locator(".steps__text")).to_have_text("Stap 2 van 6")
    expect(respondent).to_have_url(re.compile(re.escape(f"{link}2/") + "$"))
    respondent.reload()  # posts page 1 again: the same answers, the same page
    expect(respondent.locator(".steps__text")).to_have_text("Stap 2 van 6")
    respondent.context.close()  # the browser is closed halfway

    back = new_context().new_page()
    back.goto(links["d1@alfa.example"])
    expect(back.locator(".steps__text")).to_have_text("Stap 2 van 6")
    journey.check(back, "questionnaire resumed on the developments page")
    for step in (2, 3):
        answer_page_with_keyboard(back, presses=2)
        back.keyboard.press("Enter")
        expect(back.locator(".steps__text")).to_have_text(f"Stap {step + 1} van 6")
    # Previous, from the keyboard: page 3 again, at its own address, with its answers in place.
    back.get_by_role("button", name="Vorige").focus()
    back.keyboard.press("Enter")
    expect(back.locator(".steps__text")).to_have_text("Stap 3 van 6")
    expect(back).to_have_url(re.compile(re.escape(f"{link}3/") + "$"))
    expect(back.locator("fieldset.question input:checked")).to_have_count(back.locator("fieldset.question").count())
    back.get_by_role("button", name="Volgende").focus()
    back.keyboard.press("Enter")
    expect(back.locator(".steps__text")).to_have_text("Stap 4 van 6")
    answer_page_with_keyboard(back, presses=2)
    back.keyboard.press("Enter")
    expect(back.locator(".steps__text")).to_have_text("Stap 5 van 6")
    journey.check(back, "questionnaire: what residents expect, as the director thinks")
    answer_page_with_keyboard(back, presses=2)
    back.keyboard.press("Enter")
    expect(back.locator(".steps__text")).to_have_text("Stap 6 van 6")
    journey.check(back, "questionnaire last page")
    answer_page_with_keyboard(back, presses=2)
    expect(back.locator(":focus")).to_have_text("Mijn antwoorden versturen")
    back.keyboard.press("Enter")
    expect(back.get_by_role("heading", level=1)).to_have_text("Bedankt")
    expect(back).to_have_url(re.compile(re.escape(link) + "$"))  # the thank-you page is the link's own
    journey.check(back, "thank you")
    back.context.close()

    # The others answer quickly (the browser journey above is the keyboard proof).
    from django.test import Client

    from tests.helpers import answer_all, constant

    definition = instrument_version.parsed
    for email in ("d2@alfa.example", "d3@alfa.example"):
        answer_all(Client(), links[email], definition, "self", constant(4))

    # --- The scan manager closes the scan -------------------------------------------------------
    page.goto(f"/scans/{scan.code}/")
    page.get_by_role("link", name="Scan sluiten…").click()
    journey.check(page, "confirm closing")
    page.get_by_role("button", name="Ja, sluit de scan nu").click()
    expect(page.locator(".notice")).to_contain_text("De resultaten worden berekend")
    journey.check(page, "closed, results being prepared")
    run_tasks()  # the worker computes the figures
    page.get_by_role("button", name="Uitloggen").click()

    # --- A reader reads the results and switches to English -------------------------------------
    log_in(page, "lezer@alfa.example")
    page.get_by_role("link", name=organisation.name).click()
    page.get_by_role("link", name=re.compile("Resultaten bekijken")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Resultaten")
    # Directors on every dimension: the keyboard respondent 3 everywhere (50; "neutral" is the same
    # reverse-keyed), the two others 4 (75): (50 + 75 + 75) / 3 = 66.67, shown as 67.
    pillar_row = page.locator("table.scores tbody tr").first
    expect(pillar_row.locator("td").first).to_have_text("67")
    journey.check(page, "results in Dutch")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    journey.check(page, "results in English")
