"""Accessibility beyond the journey: error pages, 400% zoom, visible focus and text alternatives."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.conftest import link_for
from tests.factories import PASSWORD, InvitationFactory
from tests.groups import GroupKind
from tests.helpers import close
from tests.tasks import run_tasks

FOCUS_STYLE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const name = element.name || element.textContent.trim().slice(0, 40);
  return {tag: element.tagName, name: name, visible: outline || shadow};
}"""


def log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_error_pages_are_accessible(page: Page, journey, db, scan, alice):
    page.goto("/does-not-exist/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    journey.check(page, "404")
    page.goto("/a/" + "x" * 43 + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet")
    journey.check(page, "unknown link")
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    path = link_for(invitation)
    close(scan)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze scan is gesloten")
    journey.check(page, "closed scan")
    page.goto("/login/")
    page.get_by_label("E-mailadres").fill(alice.email)
    page.get_by_label("Wachtwoord").fill("wrong password")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".error-summary")).to_be_visible()
    journey.check(page, "login error")


def test_a_reader_gets_an_accessible_no_permission_page(page: Page, journey, scan, bob):
    log_in(page, bob.email)
    page.goto(f"/scans/{scan.code}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toestemming")
    journey.check(page, "403")


def test_the_review_of_open_answers_works_at_320_css_pixels(new_context, journey, db):
    from django.core.management import call_command

    from roer.scans.models import Scan

    call_command("seed_demo", verbosity=0)
    scan = Scan.objects.get(organisation__name="Gemeente Dijkstad", title="Digitaal leiderschap 2026")
    page = new_context(width=320, height=640).new_page()
    page.goto("/login/")
    page.get_by_label("E-mailadres").fill("beheerder@dijkstad.example")
    page.get_by_label("Wachtwoord").fill("roer-demo-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"/scans/{scan.code}/open-answers/?show=all")
    expect(page.locator("article.review-item").first).to_be_visible()
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 320)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, wide
    journey.check(page, "review of open answers at 320 px")


def test_the_questionnaire_works_at_320_css_pixels_without_horizontal_scrolling(new_context, journey, scan):
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    page = new_context(width=320, height=640).new_page()
    page.goto(f"{link_for(invitation)}1/")
    for step in (1, 2):
        # Wait for the step's own page: measuring while the next one loads finds no document.
        expect(page.locator(".steps__text")).to_have_text(f"Stap {step} van 6")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.locator("fieldset.question").first.locator("input[type=radio]").nth(3).check()
        journey.check(page, f"questionnaire at 320 px, step {step}")
        page.get_by_role("button", name="Volgende").click()
    expect(page.locator(".steps__text")).to_have_text("Stap 3 van 6")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_focus_is_always_visible_on_the_questionnaire_and_the_results(page: Page, scan, bob):
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    pages = [f"{link_for(invitation)}1/"]
    for path in pages:
        page.goto(path)
        seen = set()
        for _ in range(200):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STYLE)
            if state is None:
                break
            key = (state["tag"], state["name"])
            if key in seen and state["tag"] == "A":
                break
            seen.add(key)
            assert state["visible"], f"no visible focus on {state} at {path}"
        assert len(seen) > 10
    close(scan)
    log_in(page, bob.email)
    page.goto(f"/scans/{scan.code}/results/")
    for _ in range(25):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE)
        if state is None:
            break
        assert state["visible"], f"no visible focus on {state} on the results page"


def test_every_chart_has_a_text_alternative_and_a_table(page: Page, scan, bob):
    close(scan)
    log_in(page, bob.email)
    page.goto(f"/scans/{scan.code}/results/")
    charts = page.locator("main svg:not([aria-hidden='true'])")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img"
        names = chart.get_attribute("aria-labelledby").split()
        texts = [page.locator(f"#{name}").text_content().strip() for name in names]
        assert all(texts), texts
    expect(page.locator("table.scores")).to_be_visible()


def test_the_full_results_page_of_the_demo_is_accessible(page: Page, journey, db):
    from django.core.management import call_command

    from roer.scans.models import Scan

    call_command("seed_demo", verbosity=0)
    scan = Scan.objects.get(organisation__name="Gemeente Dijkstad", title="Digitaal leiderschap 2026")
    page.goto("/login/")
    page.get_by_label("E-mailadres").fill("beheerder@dijkstad.example")
    page.get_by_label("Wachtwoord").fill("roer-demo-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"/scans/{scan.code}/results/")
    expect(page.locator("#benchmark")).to_be_visible()
    expect(page.locator("#progress table").first).to_be_visible()
    expect(page.locator("#developments svg").first).to_be_visible()
    journey.check(page, "demo results, every section")
    page.get_by_role("link", name="Managementsamenvatting", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Managementsamenvatting")
    journey.check(page, "management summary")
    page.get_by_role("link", name="Volledig rapport", exact=True).first.click()
    expect(page.locator("#open-answers")).to_be_visible()
    journey.check(page, "full report")
    page.goto(f"/scans/{scan.code}/open-answers/?show=flagged")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open antwoorden controleren")
    journey.check(page, "review of open answers")
    first = page.locator("article.review-item", has=page.locator("mark")).first
    first.get_by_text("Inkorten en publiceren").click()
    suggestion = first.locator("textarea").input_value()
    assert "[…]" in suggestion
    first.get_by_role("button", name="Ingekort publiceren").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("gepubliceerd zonder de gemarkeerde delen")
    journey.check(page, "review after shortening an answer")
    page.goto(f"/scans/{scan.code}/results/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    journey.check(page, "demo results in English")


def test_the_pages_of_background_work_are_accessible(page: Page, journey, scan, alice, settings):
    """Planned e-mails, a round under way, deleting, results being prepared, a PDF being made, an export
    being made and ready: every page that waits for a worker."""
    from roer.lifecycle.mailing import mailing_plan, mailing_request
    from roer.scans.models import MailingKind

    InvitationFactory.create_batch(3, scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS), sent_at=None)
    mailing_plan(scan=scan, kind=MailingKind.REMINDERS, send_on=scan.closes_on, requested_by=alice, base_url="")
    mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=alice, base_url="")
    log_in(page, alice.email)
    page.goto(f"/scans/{scan.code}/")
    expect(page.get_by_role("status").filter(has_text="wachten op verzending")).to_be_visible()
    journey.check(page, "a round under way and one planned")
    page.get_by_role("link", name="Verwijder de scan…").click()
    journey.check(page, "delete the scan")
    run_tasks()
    from roer.lifecycle.scan_life import scan_close

    scan_close(scan=scan)
    page.goto(f"/scans/{scan.code}/results/")
    expect(page.get_by_role("heading", level=1)).to_have_text("De resultaten worden berekend")
    journey.check(page, "results being prepared")
    run_tasks()
    page.goto(f"/scans/{scan.code}/report/summary.pdf")
    expect(page.get_by_role("heading", level=1)).to_have_text("De pdf wordt gemaakt")
    journey.check(page, "pdf being made")
    settings.ROER_EXPORT_INLINE_MAX = -1  # even this empty scan counts as large
    page.goto(f"/scans/{scan.code}/export/scores.csv")
    journey.check(page, "export to be made")
    page.get_by_role("button", name="Maak de export").click()
    expect(page.get_by_role("status")).to_contain_text("Wacht op een verwerker")
    journey.check(page, "export being made")
    run_tasks()
    page.reload()
    expect(page.get_by_role("link", name="Download de export")).to_be_visible()
    journey.check(page, "export ready")
