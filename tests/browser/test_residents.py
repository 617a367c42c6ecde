"""The residents' survey in a real browser, on a phone (320 × 640 CSS pixels), in Dutch and in English.

A resident answers through the open link with the keyboard only and is thanked once; residents with a
letter type its code or come in through its QR code (the code after "#"), and a wrong code is refused in
words; a survey not yet open and a closed one say so. A scan manager opens a survey (after a date error),
asks for letters and downloads them once the worker made them, enters a paper form with the keyboard,
leaves a burst out of the figures and closes the survey. A reader sees the residents' expectation gap
per channel on the results page, and the answer the scan manager publishes from the residents' open
answers.

Every page is photographed and checked with axe (tests/browser/conftest.py) and must fit 320 CSS pixels
without scrolling sideways. The browser keeps the machine's clock (tests/conftest.py), so every date is
given relative to today.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from roer.instruments.loader import DEFAULT_INSTRUMENT, read_instrument_file
from roer.instruments.services import instrument_version_load
from roer.lifecycle.resident_life import resident_submit, survey_close, survey_create, surveys_follow_clock
from roer.residents.answers import code_hash, new_letter_code
from roer.residents.models import (
    Burst,
    BurstStatus,
    Channel,
    LetterBatch,
    LetterCode,
    ResidentOpenAnswer,
    ResidentResponse,
    ResidentSurvey,
)
from roer.scans.models import ScanState
from tests.factories import PASSWORD, ScanFactory
from tests.results.resident_data import closed_scan_with_perceived, store_response
from tests.tasks import run_tasks

PHONE = 320
FIRST_VERSION = DEFAULT_INSTRUMENT.with_name("digitaal-leiderschap-v1.yaml")  # without a residents' module

# What the pages say, in the two languages every page is checked in.
TEXTS = {
    "nl": {
        "name": "Wat verwacht u van de gemeente?",
        "thanks": "Bedankt voor uw antwoorden",
        "already": "U hebt deze vragenlijst al ingevuld.",
        "letter_help": "Hebt u een brief van de gemeente gekregen?",
        "code_label": "Code uit uw brief",
        "not_a_code": "Dit is geen code uit onze brieven.",
        "unknown_code": "Deze code kennen we niet, of de vragenlijst van deze brief is al ingevuld.",
        "planned": "Deze vragenlijst opent op",
        "closed": "Deze vragenlijst is gesloten.",
    },
    "en": {
        "name": "What do you expect of the municipality?",
        "thanks": "Thank you for your answers",
        "already": "You have already filled in this questionnaire.",
        "letter_help": "Did you get a letter from the municipality?",
        "code_label": "Code from your letter",
        "not_a_code": "This is not a code from our letters.",
        "unknown_code": "This code is not known, or its questionnaire has been filled in already.",
        "planned": "This questionnaire opens on",
        "closed": "This questionnaire is closed.",
    },
}

# The keyboard's answers: three steps right from the first option of every statement ("agree", 4), one
# step on the preferred way of contact (the second option, an app), Space on some checkboxes.
STEPS_RIGHT = {"inw_kanaal": 1}
STATEMENT_STEPS = 3
TICKED = {"inw_diensten": {"afspraak", "verhuizing"}, "inw_steun": {"uitleg"}}
OPEN_TEXT = "Meer uitleg in eenvoudige taal."

FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '', value: e.value || '',
          inForm: !!e.closest('form.resident-questionnaire')};
}"""

WIDE = """() => {
  const limit = document.documentElement.clientWidth + 0.5, found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  while (walker.nextNode() && found.length < 10) {
    const node = walker.currentNode, range = document.createRange();
    range.selectNodeContents(node);
    const right = node.nodeType === 1 ? node.getBoundingClientRect().right : range.getBoundingClientRect().right;
    const what = node.nodeType === 1 ? node.tagName : JSON.stringify(node.textContent.trim().slice(0, 40));
    const parent = node.parentElement;
    if (right > limit) found.push(`${what} in ${parent.tagName}.${parent.className} ${Math.round(right)}`);
  }
  return found;
}"""


# --- helpers --------------------------------------------------------------------------------------------


def check(journey, page: Page, step: str) -> None:  # type: ignore[no-untyped-def]
    """Axe finds nothing serious (with a screenshot), and the page fits a phone without scrolling sideways."""
    journey.check(page, step)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"{step}: {page.url} is {width} px wide at {PHONE} px; too wide: {page.evaluate(WIDE)}"


def phone(new_context, live_server, language: str = "nl") -> Page:  # type: ignore[no-untyped-def]
    """A fresh phone-sized browser; with the language cookie the switch sets when English is asked for."""
    context: BrowserContext = new_context(width=PHONE, height=640)
    if language != "nl":
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def switch_language(page: Page, language: str) -> None:
    """Roer's own language switch, in the page's header."""
    page.get_by_role("button", name="English" if language == "en" else "Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def in_english_too(journey, page: Page, step: str, heading: str) -> None:  # type: ignore[no-untyped-def]
    """Check the page (in Dutch), switch to English, check it again, and switch back."""
    check(journey, page, step)
    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check(journey, page, f"{step} (English)")
    switch_language(page, "nl")


def log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn organisaties")


def answer_with_keyboard(page: Page, *, code: str = "") -> None:
    """Answer every question of the residents' form with Tab, the arrow keys, Space and typing, then
    press Enter on the submit button. Tab goes on until focus reaches that button, rather than a fixed
    number of times, so the proof does not depend on what comes before the form."""
    answered: set[str] = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["inForm"]:
            continue
        if focused["type"] == "submit":
            break
        if focused["name"] == "code" and code:
            page.keyboard.press("ControlOrMeta+A")
            page.keyboard.type(code)
        elif focused["type"] == "radio" and focused["name"] not in answered:
            for _ in range(STEPS_RIGHT.get(focused["name"], STATEMENT_STEPS)):
                page.keyboard.press("ArrowRight")  # moves and checks
            answered.add(focused["name"])
        elif focused["type"] == "checkbox" and focused["value"] in TICKED.get(focused["name"], ()):
            page.keyboard.press("Space")
        elif focused["tag"] == "textarea":
            page.keyboard.type(OPEN_TEXT)
    else:
        raise AssertionError("Tab never reached the submit button")
    assert len(answered) == page.locator("form.resident-questionnaire fieldset.question:has(input[type=radio])").count()
    page.keyboard.press("Enter")


def assert_keyboard_answers(response: ResidentResponse) -> None:
    """The stored answers are those the keyboard gave."""
    module = response.survey.scan.instrument_version.parsed.residents
    codes, packed = module.answer_codes(), bytes(response.packed_answers)
    assert {packed[codes.index(statement.code)] for statement in module.statements} == {4}
    assert packed[codes.index("inw_kanaal")] == 2  # the second option: an app
    assert packed[codes.index("inw_diensten__afspraak")] == packed[codes.index("inw_diensten__verhuizing")] == 1
    assert packed[codes.index("inw_diensten__melding")] == 0
    assert packed[codes.index("inw_steun__uitleg")] == 1
    assert response.open_answers.get().text == OPEN_TEXT


def open_survey(scan, user) -> ResidentSurvey:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return survey_create(
        scan=scan, opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=20), user=user
    )


def letter_codes(survey: ResidentSurvey, count: int) -> list[str]:
    """A batch of letters as the worker leaves it: only the codes' hashes are stored."""
    batch = LetterBatch.objects.create(survey=survey, size=count, status=LetterBatch.Status.READY)
    codes = [new_letter_code() for _ in range(count)]
    LetterCode.objects.bulk_create(LetterCode(survey=survey, batch=batch, code_hash=code_hash(c)) for c in codes)
    return codes


# --- residents -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_residents_answer_on_a_phone_with_the_keyboard_only(new_context, live_server, journey, scan, alice, language):
    text = TEXTS[language]
    survey = open_survey(scan, alice)
    first, second = letter_codes(survey, 2)
    open_link, letter_link = f"/i/{survey.slug}/", f"/i/{survey.slug}/brief/"

    # --- A resident opens the link from the poster and answers with the keyboard only ----------------
    page = phone(new_context, live_server)
    page.goto(open_link)
    if language == "en":
        expect(page.get_by_role("heading", level=1)).to_have_text(TEXTS["nl"]["name"])
        switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(text["name"])
    check(journey, page, "open link")
    answer_with_keyboard(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(text["thanks"])
    expect(page).to_have_url(re.compile(re.escape(f"{open_link}bedankt/")))
    check(journey, page, "thanks")
    assert_keyboard_answers(ResidentResponse.objects.get(channel=Channel.OPEN_LINK))
    # The thanks page's address carries ?taal=; Roer's switch still changes the language there.
    other = "nl" if language == "en" else "en"
    switch_language(page, other)
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXTS[other]["thanks"])
    switch_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(text["thanks"])

    # ... and comes back from the same browser: thanked, not asked again.
    page.goto(open_link)
    expect(page.locator("main")).to_contain_text(text["already"])
    expect(page.locator("form.resident-questionnaire")).to_have_count(0)
    check(journey, page, "already answered")

    # --- A resident with a letter follows the link to type its code, and mistypes it first -------------
    letter = phone(new_context, live_server, language)
    letter.goto(open_link)
    letter.get_by_role("link", name=text["letter_help"]).click()
    expect(letter).to_have_url(re.compile(re.escape(letter_link)))
    code_field = letter.get_by_label(text["code_label"])
    code_field.fill("ABCDE-FGHJ1")  # a 1 is never in a code
    code_field.press("Enter")
    expect(letter.locator(".error-summary")).to_contain_text(text["not_a_code"])
    check(journey, letter, "letter with a mistyped code")
    letter.get_by_label(text["code_label"]).fill("ABCDE-FGHJK")  # well formed, but not one of ours
    letter.get_by_label(text["code_label"]).press("Enter")
    expect(letter.locator(".error-summary")).to_contain_text(text["unknown_code"])
    check(journey, letter, "letter with an unknown code")
    answer_with_keyboard(letter, code=first.lower().replace("-", " "))  # case and spaces do not matter
    expect(letter.get_by_role("heading", level=1)).to_have_text(text["thanks"])

    # --- ... and one scans the letter's QR code: the code comes after "#" and is filled in ---------------
    scanned = phone(new_context, live_server, language)
    scanned.goto(f"{letter_link}#code={second}")
    expect(scanned.get_by_label(text["code_label"])).to_have_value(second)
    check(journey, scanned, "letter with the code from its QR code")
    answer_with_keyboard(scanned)
    expect(scanned.get_by_role("heading", level=1)).to_have_text(text["thanks"])
    letters = ResidentResponse.objects.filter(channel=Channel.LETTER)
    assert letters.count() == 2
    for response in letters:
        assert_keyboard_answers(response)
    assert LetterCode.objects.filter(used=True).count() == 2

    # --- A survey that opens in three days says when; a closed one says so, to whoever answered before ---
    today = timezone.localdate()
    next_one = survey_create(
        scan=ScanFactory(organisation=scan.organisation, instrument_version=scan.instrument_version),
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
        user=alice,
    )
    page.goto(f"/i/{next_one.slug}/")
    expect(page.locator("main")).to_contain_text(text["planned"])
    expect(page.locator("form.resident-questionnaire")).to_have_count(0)
    check(journey, page, "not open yet")
    survey_close(survey=survey)
    page.goto(open_link)
    expect(page.locator("main")).to_contain_text(text["closed"])
    check(journey, page, "closed")
    letter.goto(letter_link)
    expect(letter.locator("main")).to_contain_text(text["closed"])
    expect(letter.locator("form.resident-questionnaire")).to_have_count(0)


# --- the scan manager ---------------------------------------------------------------------------------


def a_burst_from_one_network(survey: ResidentSurvey, size: int = 10) -> None:
    """`size` open-link answers from one /24 in one ten-minute window (the clock held still, so a
    window's edge cannot split them), found by the minute job."""
    module = survey.scan.instrument_version.parsed.residents
    with time_machine.travel(timezone.now(), tick=False):
        for number in range(size):
            resident_submit(
                survey=survey,
                module=module,
                channel=Channel.OPEN_LINK,
                answers=dict.fromkeys((s.code for s in module.statements), 5),
                open_answers={},
                address=f"203.0.113.{number + 10}",
            )
        surveys_follow_clock()


def test_a_scan_manager_runs_the_residents_survey_on_a_phone(new_context, live_server, journey, scan, alice, tmp_path):
    page = phone(new_context, live_server)
    log_in(page, alice.email)
    today = timezone.localdate()

    # --- Opening a survey beside the scan: a closing date before the opening date is refused -----------
    page.goto(f"/scans/{scan.code}/")
    page.get_by_role("link", name="Inwonersenquête: wat inwoners willen en verwachten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Een inwonersenquête openen")
    in_english_too(journey, page, "set-up", "Open a residents' survey")
    for language, button, error in [
        ("nl", "De inwonersenquête openen", "De sluitingsdatum kan niet vóór de openingsdatum liggen."),
        ("en", "Open the residents' survey", "The closing date cannot be before the opening date."),
    ]:
        if language == "en":
            switch_language(page, "en")
        page.locator("#id_opens_on").fill(f"{today + datetime.timedelta(days=10):%Y-%m-%d}")
        page.locator("#id_closes_on").fill(f"{today + datetime.timedelta(days=3):%Y-%m-%d}")
        page.get_by_role("button", name=button).click()
        expect(page.locator(".error-summary")).to_contain_text(error)
        check(journey, page, f"set-up with a closing date before the opening date ({language})")
    switch_language(page, "nl")  # back on the form, in Dutch, with the dates it offers: today and four weeks
    expect(page.locator("#id_opens_on")).to_have_value(f"{today:%Y-%m-%d}")
    page.get_by_role("button", name="De inwonersenquête openen").click()
    expect(page.locator(".messages")).to_contain_text("De inwonersenquête is aangemaakt.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inwonersenquête")
    survey = ResidentSurvey.objects.get(scan=scan)
    assert (survey.opens_on, survey.closes_on) == (today, today + datetime.timedelta(days=28))
    in_english_too(journey, page, "residents' survey, open", "Residents' survey")

    # --- Letters: a number that is not whole is refused; three are made by the worker ------------------
    page.get_by_role("link", name="Brieven en hun codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brieven voor een steekproef")
    in_english_too(journey, page, "letters, none yet", "Letters for a random sample")
    page.get_by_label("Aantal brieven").fill("2,5")
    page.get_by_role("button", name="Maak de brieven").click()
    expect(page.locator(".error-summary")).to_contain_text("Vul een heel aantal brieven in, zoals 500.")
    check(journey, page, "letters with a number that is not whole")
    page.get_by_label("Aantal brieven").fill("3")
    page.get_by_role("button", name="Maak de brieven").click()
    expect(page.locator(".messages")).to_contain_text("3 brieven worden klaargemaakt.")
    expect(page.locator("table")).to_contain_text("Wordt klaargemaakt: laad deze pagina over een minuut opnieuw.")
    check(journey, page, "letters being made")
    run_tasks()  # the worker makes the codes, the letters and the mail-merge file
    page.reload()
    expect(page.get_by_role("link", name="Brieven (pdf)")).to_be_visible()
    in_english_too(journey, page, "letters ready", "Letters for a random sample")
    with page.expect_download() as download:
        page.get_by_role("link", name="Codes voor de samenvoeging (CSV)").click()
    download.value.save_as(tmp_path / "codes.csv")
    header, *codes = (tmp_path / "codes.csv").read_text().split()
    assert (header, len(codes)) == ("code", 3)
    assert LetterCode.objects.filter(code_hash__in=[code_hash(code) for code in codes], used=False).count() == 3
    page.get_by_role("link", name="Terug naar de inwonersenquête").click()

    # --- A returned paper form, entered with the keyboard, counts as paper -----------------------------
    page.get_by_role("link", name="Een papieren vragenlijst invoeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Een papieren vragenlijst invoeren")
    in_english_too(journey, page, "paper entry", "Enter a paper form")
    answer_with_keyboard(page)
    expect(page.locator(".messages")).to_contain_text("De papieren vragenlijst is opgeslagen.")
    expect(page.locator(".lead")).to_have_text("Tot nu toe is 1 papieren vragenlijst ingevoerd.")
    check(journey, page, "paper form saved, the next one")
    assert_keyboard_answers(ResidentResponse.objects.get(channel=Channel.PAPER))
    page.get_by_role("link", name="Klaar").click()
    counts = page.locator("table").first
    expect(counts.locator("tr", has_text="Papieren vragenlijst").locator("td")).to_have_text("1")

    # --- A burst from one network: the scan manager leaves it out ---------------------------------------
    a_burst_from_one_network(survey)
    page.reload()
    bursts = page.locator("#bursts table")
    expect(bursts.locator("tbody tr")).to_have_count(1)
    expect(bursts.locator("tbody tr")).to_contain_text("Eén netwerk")
    expect(bursts.locator("tbody tr")).to_contain_text("Nog beoordelen")
    in_english_too(journey, page, "a burst to decide on", "Residents' survey")
    page.locator("#bursts").get_by_role("button", name="Buiten de cijfers laten").click()
    expect(page.locator(".messages")).to_contain_text("Deze antwoorden blijven buiten de cijfers.")
    expect(bursts.locator("tbody tr")).to_contain_text("Buiten de cijfers gelaten")
    check(journey, page, "burst left out")
    assert Burst.objects.get().status == BurstStatus.EXCLUDED

    # --- Closing: confirmed, then the worker computes the figures --------------------------------------
    page.get_by_role("link", name="De inwonersenquête sluiten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("De inwonersenquête sluiten?")
    in_english_too(journey, page, "close the survey", "Close the residents' survey?")
    page.get_by_role("button", name="Ja, sluit de inwonersenquête nu").click()
    expect(page.locator(".messages")).to_contain_text("De inwonersenquête is gesloten. De cijfers worden klaargemaakt.")
    expect(page.get_by_role("link", name="Een papieren vragenlijst invoeren")).to_have_count(0)
    check(journey, page, "survey closed, figures being prepared")
    run_tasks()
    page.reload()
    expect(page.get_by_role("link", name="Bekijk de uitkomsten van inwoners")).to_be_visible()
    in_english_too(journey, page, "survey closed, figures ready", "Residents' survey")
    survey.refresh_from_db()
    assert survey.state == ScanState.FIGURES_READY
    page.goto(f"/scans/{scan.code}/residents/letters/")
    expect(page.locator(".notice")).to_contain_text("De inwonersenquête is gesloten")
    check(journey, page, "letters after closing")

    # --- A scan on the first version of the instrument has no residents' module, and says so ------------
    definition, source = read_instrument_file(FIRST_VERSION)
    version = instrument_version_load(definition=definition, source_text=source, source_name=FIRST_VERSION.name).version
    earlier = ScanFactory(organisation=scan.organisation, instrument_version=version, title="Scan 2025")
    page.goto(f"/scans/{earlier.code}/residents/setup/")
    expect(page.locator("main")).to_contain_text("heeft geen inwonersdeel")
    in_english_too(journey, page, "a scan without a residents' module", "Residents' survey")


# --- the results -------------------------------------------------------------------------------------------

# How many residents answered through each channel: every channel at or above the threshold (10), so the
# channel selector offers each with figures of its own.
PER_CHANNEL = {Channel.OPEN_LINK: 12, Channel.LETTER: 10, Channel.PAPER: 10}
OPEN_ANSWERS = [
    "Graag alles in eenvoudige taal.",
    "Een loket in de wijk houden.",
    "Sneller antwoord op mijn e-mail.",
    "Een app voor meldingen over de straat.",
    "Uitleg over wat er met mijn gegevens gebeurt.",
    "Hulp in de bibliotheek, ook 's avonds.",
    "Minder formulieren, meer vooraf ingevuld.",
    "Afspraken online kunnen verzetten.",
    "Bellen moet altijd kunnen blijven.",
    "Laat zien hoe ver mijn aanvraag is.",
    "Bel me gerust op 06-12345678.",
]


def closed_survey_with_figures(organisation, instrument_version, user) -> ResidentSurvey:  # type: ignore[no-untyped-def]
    """A closed scan with the directors' and staff's view of residents, beside it a residents' survey
    with answers in every channel (made with the ORM, not the browser), closed with its figures."""
    scan = closed_scan_with_perceived(organisation, instrument_version)
    survey = open_survey(scan, user)
    module = instrument_version.parsed.residents
    statements = [statement.code for statement in module.statements]
    responses = []
    for offset, (channel, count) in enumerate(PER_CHANNEL.items()):
        for number in range(count):
            answers: dict[str, int | None] = {
                code: 1 + (number + offset + index) % 5 for index, code in enumerate(statements)
            }
            answers["inw_kanaal"] = 1 + (number + offset) % 7
            answers["inw_diensten__afspraak" if number % 3 else "inw_diensten__niets"] = 1
            answers["inw_steun__uitleg" if number % 4 == 0 else "inw_steun__geen"] = 1
            responses.append(store_response(survey, module, channel, answers))
    ResidentOpenAnswer.objects.bulk_create(
        ResidentOpenAnswer(response=one, survey=survey, channel=one.channel, code="inw_verwachting", text=text)
        for one, text in zip(responses, OPEN_ANSWERS, strict=False)
    )
    survey_close(survey=survey)
    run_tasks()  # the figures
    survey.refresh_from_db()
    assert survey.state == ScanState.FIGURES_READY
    return survey


def test_the_residents_results_and_their_open_answers_on_a_phone(
    new_context, live_server, journey, organisation, instrument_version, alice, bob
):
    survey = closed_survey_with_figures(organisation, instrument_version, alice)
    scan = survey.scan

    # --- A reader sees the expectation gap as a chart and a table, all channels together ---------------------
    reader = phone(new_context, live_server)
    log_in(reader, bob.email)
    reader.goto(f"/scans/{scan.code}/results/")
    section = reader.locator("#residents")
    expect(section.get_by_role("heading", level=2)).to_have_text("De stem van inwoners")
    expect(section.locator("#residents-gap")).to_have_text("De verwachtingskloof: Alle kanalen samen")
    expect(section.locator("svg[role=img]").first).to_be_visible()
    gap_table = section.locator("table", has=reader.locator("caption", has_text="Verwachtingskloof per stelling"))
    expect(gap_table.locator("caption")).to_have_text("Verwachtingskloof per stelling: Alle kanalen samen")
    expect(gap_table.locator("tbody tr")).to_have_count(9)
    check(journey, reader, "results, residents together")

    # --- ... and per channel, through the selector (?residents=<channel>) ------------------------------------
    selector = section.get_by_role("navigation")
    expect(selector.get_by_role("link")).to_have_text(
        ["Alle kanalen samen", "Open link en poster", "Brief met een code (steekproef)", "Papieren vragenlijst"]
    )
    selector.get_by_role("link", name="Brief met een code (steekproef)").click()
    expect(reader).to_have_url(re.compile(r"\?residents=letter#residents$"))
    expect(selector.locator("[aria-current=page]")).to_have_text("Brief met een code (steekproef)")
    expect(section.locator("#residents-gap")).to_have_text("De verwachtingskloof: Brief met een code (steekproef)")
    expect(gap_table.locator("caption")).to_have_text("Verwachtingskloof per stelling: Brief met een code (steekproef)")
    expect(section.locator("ul.open-answers")).to_have_count(0)  # nothing published yet
    check(journey, reader, "results, residents by letter")

    # --- The scan manager reviews the residents' open answers, on their own tab -----------------------------
    manager = phone(new_context, live_server)
    log_in(manager, alice.email)
    manager.goto(f"/scans/{scan.code}/open-answers/")
    manager.get_by_role("navigation", name="Wiens antwoorden").get_by_role("link", name="Inwoners").click()
    expect(manager).to_have_url(re.compile(r"\?tab=residents$"))
    expect(manager.get_by_role("heading", level=2, name="Open antwoorden van inwoners")).to_be_visible()
    items = manager.locator("article.review-item")
    expect(items).to_have_count(len(OPEN_ANSWERS))
    expect(items.filter(has=manager.locator("mark"))).to_contain_text("06-12345678")  # a telephone number
    in_english_too(journey, manager, "review of residents' open answers", "Review open answers")
    items.filter(has_text=OPEN_ANSWERS[0]).get_by_role("button", name="Publiceren zoals geschreven").click()
    expect(manager.locator(".messages")).to_contain_text("Het antwoord is gepubliceerd zoals het is geschreven.")
    expect(items).to_have_count(len(OPEN_ANSWERS) - 1)  # those still waiting
    check(journey, manager, "review after publishing a resident's answer")

    # --- The reader, in English, on paper only: the published answer is there ---------------------------
    selector.get_by_role("link", name="Papieren vragenlijst").click()
    switch_language(reader, "en")
    expect(reader).to_have_url(re.compile(r"\?residents=paper"))
    expect(section.locator("#residents-gap")).to_have_text("The expectation gap: Paper form")
    expect(section.locator("ul.open-answers")).to_have_text(OPEN_ANSWERS[0])
    check(journey, reader, "results, residents on paper (English)")
