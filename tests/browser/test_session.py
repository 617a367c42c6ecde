"""The directors' session in a real browser, on a phone (320 CSS pixels) and on a projector-sized screen
(1280): every kind of slide, the conversation guide and the choice of focus pass axe, fit the width without
scrolling sideways, and the slides move with the keyboard (arrow keys, Page Up/Down, Home, End, Escape)
through our own script, and with visible focus on the links that work without it.

The browser keeps the machine's clock (tests/conftest.py); closed_scan_with gives its dates relative to it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_residents import WIDE, log_in
from tests.helpers import closed_scan_with

SLIDES = 26  # ten blind spots and three weakest dimensions: see tests/session/test_builder.py
KINDS = [*range(1, 15), SLIDES]  # every kind of slide once: up to the first question, and the last

FOCUS_RING = """() => {
  const e = document.activeElement, style = getComputedStyle(e);
  return {rel: e.getAttribute('rel') || '', outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


@pytest.fixture
def closed(organisation, instrument_version):
    return closed_scan_with(
        organisation, instrument_version, {"directie": [5, 5, 4], "medewerkers": [2] * 7 + [3], "management": [4, 5]}
    )


def fits(journey, page: Page, step: str, width: int) -> None:  # type: ignore[no-untyped-def]
    journey.check(page, f"{step} at {width}")
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{step}: {page.url} is {scrolled} px wide at {width} px: {page.evaluate(WIDE)}"


def screen(new_context, width: int) -> Page:  # type: ignore[no-untyped-def]
    page = new_context(width=width, height=640 if width < 400 else 800).new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("width", [320, 1280])
def test_every_session_page_passes_axe_and_fits_the_screen(new_context, journey, closed, alice, width):
    page = screen(new_context, width)
    log_in(page, alice.email)
    base = f"/scans/{closed.code}/session/"
    for number in KINDS:
        page.goto(f"{base}?slide={number}")
        expect(page.locator(".session__counter")).to_contain_text(f"{number}")
        expect(page.get_by_role("heading", level=1).or_(page.get_by_role("heading", level=2)).first).to_be_visible()
        fits(journey, page, f"slide {number}", width)
    page.goto(f"{base}guide/")
    expect(page.locator("section.session-guide__entry")).to_have_count(13)
    fits(journey, page, "conversation guide", width)
    page.goto(f"{base}focus/")
    expect(page.locator("input[type=checkbox][name=dimensions]")).to_have_count(10)
    fits(journey, page, "focus form", width)
    # one dimension is too few: the form says so, in a summary that takes the focus, and keeps the tick
    page.locator("#focus-koers").check()
    page.get_by_role("button").filter(has_text=re.compile("focus", re.I)).click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#focus-koers")).to_be_checked()
    fits(journey, page, "focus form with an error", width)


def test_the_slides_move_with_the_keyboard_and_show_where_the_focus_is(new_context, journey, closed, bob):
    page = screen(new_context, 1280)
    log_in(page, bob.email)
    page.goto(f"/scans/{closed.code}/session/")
    counter = page.locator(".session__counter")
    for key, number in [("ArrowRight", 2), ("PageDown", 3), ("ArrowRight", 4), ("ArrowLeft", 3), ("PageUp", 2)]:
        page.keyboard.press(key)
        expect(page).to_have_url(re.compile(rf"\?slide={number}$"))
        expect(counter).to_contain_text(f"{number} ")
    page.keyboard.press("End")
    expect(page).to_have_url(re.compile(rf"\?slide={SLIDES}$"))
    page.keyboard.press("Home")
    expect(page).to_have_url(re.compile(r"\?slide=1$"))
    # Tab reaches the next link with a visible ring, and Enter follows it: no script needed for that
    for _ in range(20):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_RING)
        if focused["rel"] == "next":
            break
    assert focused["rel"] == "next"
    assert focused["outline"] != "none"
    assert focused["width"] >= 2
    journey.check(page, "focus on the next link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?slide=2$"))
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(rf"/scans/{closed.code}/results/$"))


def test_the_slides_work_without_javascript(browser, live_server, closed, bob):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="nl-NL")
    try:
        page = context.new_page()
        log_in(page, bob.email)
        page.goto(f"/scans/{closed.code}/session/")
        page.locator("a[rel=next]").click()
        expect(page).to_have_url(re.compile(r"\?slide=2$"))
        page.locator("a[rel=prev]").click()
        expect(page).to_have_url(re.compile(r"\?slide=1$"))
    finally:
        context.close()
