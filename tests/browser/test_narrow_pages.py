"""Every page a scan manager reaches, at 320 CSS pixels, with long unbroken words in what people typed.

A 160-character word in an organisation's name, a scan's title, an open answer, an action's title, a
case's title and a foreword, and a 130-character e-mail address of an invitee, must wrap: no page scrolls
sideways (document width <= 320), and a table wider than the screen scrolls inside its own box, which
keyboard users can reach (tabindex=0) and screen readers name (a region with a label). The scans table of
the organisation page is cut off nowhere at 390 pixels either.

The list of pages follows roer/web/urls.py, and a second test keeps it so: every named URL is visited, or
NOT_PAGES says why not (a file, POST only). One browser page visits them all, so that the test stays fast.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

from roer.api.keys import key_create
from roer.learning.models import Case
from roer.lifecycle.editing import scan_foreword_set
from roer.lifecycle.resident_life import survey_create
from roer.organisations.models import Role
from roer.plans.models import Action
from roer.responses.models import OpenAnswer, OpenAnswerStatus, Response
from roer.scans.models import Invitation
from tests.browser.test_residents import WIDE, log_in
from tests.conftest import link_for
from tests.factories import MembershipFactory, OrganisationFactory, ScanFactory, UserFactory
from tests.groups import GroupKind
from tests.helpers import closed_scan_with, publish_open_answers
from tests.tasks import run_tasks
from tests.test_url_access import patterns

pytestmark = pytest.mark.browser

PHONE = 320
LONG = "Informatievoorzieningsverbeteringstraject" * 4  # 164 characters, one word
assert len(LONG) >= 160
# A person's full name holds 150 characters (PostgreSQL refuses more; SQLite would not notice): one long word.
LONG_NAME = LONG[:120]
LONG_EMAIL = f"{'i' * 64}@gemeentelijke-informatievoorziening-{'x' * 27}.example"  # 64 and 63: the most allowed

# Every table wider than the screen scrolls inside a box that the keyboard reaches and that has a name.
TABLES = """() => {
  const screen = document.documentElement.clientWidth, problems = [];
  for (const table of document.querySelectorAll('table')) {
    const rect = table.getBoundingClientRect();
    if (rect.width === 0) continue;  // in a closed <details>
    let box = table.parentElement;
    while (box && box !== document.body && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    const scrolls = box && box !== document.body;
    const label = table.querySelector('caption')?.textContent.trim().slice(0, 40) || table.className;
    if (!scrolls) {
      if (rect.right > screen + 0.5) problems.push(`${label}: wider than the screen, and no box of its own`);
      continue;
    }
    if (box.scrollWidth <= box.clientWidth + 0.5) continue;  // fits: nothing to scroll
    const named = (box.getAttribute('aria-label') || '').trim() || (box.getAttribute('aria-labelledby') || '')
      .split(/\\s+/).map(id => (document.getElementById(id)?.textContent || '').trim()).join(' ').trim();
    if (box.tabIndex !== 0) problems.push(`${label}: its scrolling box is not reached with the keyboard`);
    if (box.getAttribute('role') !== 'region' || !named) problems.push(`${label}: its scrolling box has no name`);
  }
  return problems;
}"""

# The right edge of the scans table's last column, once its box is scrolled to the end, and of that box.
LAST_COLUMN = """() => {
  const table = document.querySelector('main table');
  const cells = table.querySelectorAll('tr > :last-child');
  let box = table.parentElement;
  while (box !== document.body && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
    box = box.parentElement;
  }
  box.scrollLeft = box.scrollWidth;
  const limit = Math.min(document.documentElement.clientWidth, box.getBoundingClientRect().right);
  return {limit, right: Math.max(...[...cells].map(cell => cell.getBoundingClientRect().right)),
          width: document.documentElement.scrollWidth};
}"""


@pytest.fixture
def long_words(instrument_version):  # type: ignore[no-untyped-def]
    """One organisation, its scan manager, an open and a closed scan, and what they typed, all long."""
    organisation = OrganisationFactory(name=f"Gemeente {LONG}")
    manager = UserFactory(email="beheerder@lang.example", full_name=f"Beheerder {LONG_NAME}")
    MembershipFactory(user=manager, organisation=organisation, role=Role.BEHEERDER)
    reader = MembershipFactory(
        user=UserFactory(email=LONG_EMAIL, full_name=f"Lezer {LONG_NAME}"), organisation=organisation, role=Role.LEZER
    )
    consultant = MembershipFactory(
        user=UserFactory(email="adviseur@lang.example", full_name=f"Adviseur {LONG_NAME}"),
        organisation=organisation,
        role=Role.ADVISEUR,
        granted_by=manager,
    )
    closed = closed_scan_with(
        organisation, instrument_version, {"directie": [4, 4, 3], "medewerkers": [3] * 7}, title=f"Scan {LONG}"
    )
    for response in Response.objects.filter(scan=closed, group__kind=GroupKind.MEDEWERKERS):
        OpenAnswer.objects.create(
            response=response, scan=closed, group=response.group, code="open_verbeteren", text=f"Meer {LONG}."
        )
    publish_open_answers(closed)
    waiting = OpenAnswer.objects.filter(scan=closed).first()  # one still waits for review
    OpenAnswer.objects.filter(pk=waiting.pk).update(status=OpenAnswerStatus.PENDING)
    scan_foreword_set(scan=closed, foreword=f"Voor het MT: {LONG}")
    open_scan = ScanFactory(organisation=organisation, instrument_version=instrument_version, title=f"Open {LONG}")
    invitation = Invitation.objects.create(
        scan=open_scan, group=open_scan.groups.get(kind=GroupKind.MEDEWERKERS), email=LONG_EMAIL
    )
    survey = survey_create(scan=open_scan, opens_on=open_scan.opens_on, closes_on=open_scan.closes_on, user=manager)
    action = Action.objects.create(
        organisation=organisation,
        instrument_code=instrument_version.parsed.code,
        dimension_code="kennis",
        investment="kennis",
        title=f"Actie {LONG}",
        due_on=open_scan.closes_on,
        owner=manager,
    )
    case = Case.objects.create(
        organisation=organisation,
        title=f"Casus {LONG}",
        what_they_did=LONG,
        what_it_brought=LONG,
        dimension_codes=["koers"],
        investment="kennis",
        contact_name=LONG,
        contact_email="beheerder@lang.example",
    )
    key = key_create(organisation=organisation, user=manager, name=f"Sleutel {LONG}", scope="read").key
    run_tasks()
    return {
        "api_key": key.pk,
        "manager": manager,
        "organisation": organisation.code,
        "open": open_scan.code,
        "closed": closed.code,
        "invitation": link_for(invitation),
        "survey": survey.slug,
        "action": action.pk,
        "case": case.code,
        "member": reader.pk,
        "consultant": consultant.pk,
        "open_invitation": invitation.pk,
    }


LOGGED_OUT = [
    "/login/",
    "/password/reset/",
    "/password/reset/sent/",
    "/password/reset/done/",
    "/account/set-password/MQ/no-such-token/",  # a used or wrong link: the page that says so
    "/account/set-password/done/",
    "/login/sso/",  # the e-mail step of logging in with an organisation's account
]


def pages_of(objects) -> list[str]:  # type: ignore[no-untyped-def]
    """Every page a scan manager reaches, by the area of roer/web/urls.py it belongs to."""
    organisation, open_scan, closed = objects["organisation"], objects["open"], objects["closed"]
    return [
        # organisations
        "/",
        f"/organisations/{organisation}/",
        f"/organisations/{organisation}/benchmark/",  # POST only: the 405 page
        f"/organisations/{organisation}/look/",
        # API keys
        f"/organisations/{organisation}/api-keys/",
        f"/organisations/{organisation}/api-keys/{objects['api_key']}/revoke/",
        # members and consultants
        f"/organisations/{organisation}/members/",
        f"/organisations/{organisation}/members/{objects['member']}/remove/",
        f"/organisations/{organisation}/consultants/{objects['consultant']}/revoke/",
        # scans
        f"/organisations/{organisation}/scans/new/",
        f"/scans/{open_scan}/",
        f"/scans/{open_scan}/edit/",
        f"/scans/{open_scan}/invitees/",
        f"/scans/{open_scan}/close/",
        f"/scans/{open_scan}/delete/",
        f"/scans/{open_scan}/cancel/",
        f"/scans/{open_scan}/copy/",
        f"/scans/{open_scan}/mail-texts/",
        f"/scans/{open_scan}/invitees/{objects['open_invitation']}/remove/",
        f"/scans/{closed}/",
        f"/scans/{closed}/open-answers/?show=all",
        # residents
        f"/scans/{open_scan}/residents/",
        f"/scans/{open_scan}/residents/setup/",
        f"/scans/{open_scan}/residents/paper/",
        f"/scans/{open_scan}/residents/close/",
        f"/scans/{open_scan}/residents/letters/",
        f"/i/{objects['survey']}/",
        f"/i/{objects['survey']}/brief/",
        f"/i/{objects['survey']}/bedankt/",
        # results, session, reports
        f"/scans/{closed}/results/",
        f"/scans/{closed}/session/",
        f"/scans/{closed}/session/?slide=2",
        f"/scans/{closed}/session/guide/",
        f"/scans/{closed}/session/focus/",
        f"/scans/{closed}/report/summary/",
        f"/scans/{closed}/report/full/",
        f"/scans/{closed}/report/summary.pdf",  # being made: the page that says so
        # plans
        f"/organisations/{organisation}/plan/",
        f"/organisations/{organisation}/plan/new/",
        f"/organisations/{organisation}/plan/{objects['action']}/",
        f"/organisations/{organisation}/plan/{objects['action']}/edit/",
        f"/organisations/{organisation}/plan/{objects['action']}/delete/",
        f"/organisations/{organisation}/plan.pdf",
        # learning
        f"/organisations/{organisation}/learning/",
        "/learning/cases/",
        f"/organisations/{organisation}/learning/cases/new/",
        f"/learning/cases/{objects['case']}/",
        f"/learning/cases/{objects['case']}/edit/",
        "/learning/moderation/",  # for the administrators: the 403 page
        # portfolio: for consultants; a scan manager gets the page that says what it is
        "/portfolio/",
        "/portfolio/report/",
        "/portfolio/scans/new/",
        # the account and the public pages
        "/account/",
        "/password/change/",
        "/password/change/done/",
        "/method/",
        "/accessibility/",
        "/privacy/",
        "/open-data/benchmark/",
        # errors
        "/does-not-exist/",
        f"/scans/{open_scan}/send/invitations/",  # POST only: the 405 page
        # a respondent's questionnaire
        objects["invitation"],
        f"{objects['invitation']}1/",
    ]


# Named URLs of roer/web/urls.py that are not a page to visit, and why.
NOT_PAGES = {
    **dict.fromkeys(
        [
            "organisations:logo",
            "organisations:look_css",
            "portfolio:report_csv",
            "reports:export",
            "reports:export_download",
            "reports:figures",
            "residents:letters_codes",
            "residents:letters_file",
            "residents:paper_pdf",
            "residents:poster_pdf",
            "residents:poster_svg",
            "residents:qr_svg",
            "open_data_benchmark_csv",
            "open_data_benchmark_json",
        ],
        "a file, not a page",
    ),
    **dict.fromkeys(
        [
            "learning:case_moderate",
            "learning:offer_consent",
            "learning:offer_create",
            "learning:offer_withdraw",
            "logout",
            "members:consultant_grant",
            "members:invite",
            "members:role",
            "plans:action_note",
            "plans:action_status",
            "reports:foreword",
            "residents:burst",
            "scans:mailing_cancel",
            "scans:mailing_plan",
            "scans:open_answer_decide",
            "scans:open_answers_publish",
            "scans:send_reminders",
            "set_language",
        ],
        "POST only: its 405 page is the one visited for scans:send_invitations",
    ),
    **dict.fromkeys(
        [
            "api:root",
            "api:api-root",
            "api:openapi-json",
            "api:organisation",
            "api:scan_list",
            "api:scan_detail",
            "api:scan_groups",
            "api:scan_response_rates",
            "api:scan_figures",
            "api:scan_invitations_add",
            "api:plan_actions",
            "api:plan_action_create",
            "api:plan_action_change",
            "api:unknown",
        ],
        "the JSON API, no HTML: tests/api/test_schema.py runs schemathesis against it",
    ),
    "admin_login": "the administration site's log-in, Django's own layout",
    "health": "plain text for the load balancer",
    "ready": "plain text for the load balancer",
    "password_reset_confirm": "needs a signed link from an e-mail",
    "portfolio:created": "shown once, after setting up scans for several clients",
    "sso:continue": "needs the e-mail step in the session and moves on to the provider (tests/browser/test_sso.py)",
    "sso:go": "a redirect to the organisation's identity provider",
    "sso:callback": "the identity provider's way back: a redirect (tests/browser/test_sso.py)",
}
# The platform administration is for platform administrators: tests/browser/test_platform.py visits each
# of its pages as one, at 320 pixels too.
PLATFORM_PAGES = {name for name, _route in patterns() if name.startswith("platform:")}


def test_the_pages_visited_are_every_page_of_the_urlconf():
    code = "00000000-0000-0000-0000-000000000000"
    objects = {"organisation": code, "open": code, "closed": code, "case": code, "survey": "abcdefgh"}
    objects.update(dict.fromkeys(["action", "member", "consultant", "open_invitation", "api_key"], 1))
    paths = [*pages_of({**objects, "invitation": "/a/" + "x" * 43 + "/"}), *LOGGED_OUT]
    visited = set()
    for path in paths:
        try:
            visited.add(resolve(urlsplit(path).path).view_name)
        except Resolver404:
            assert path == "/does-not-exist/", path
    missing = {name for name, _route in patterns()} - visited - set(NOT_PAGES) - PLATFORM_PAGES
    assert missing == set(), f"visit these pages in pages_of(), or say in NOT_PAGES why not: {sorted(missing)}"


def problems_of(page: Page, path: str) -> list[str]:
    """What is wrong with the page at 320 pixels: nothing, or the page's width and what sticks out."""
    response = page.goto(path)
    assert response is not None
    assert response.status < 500, path
    if "text/html" not in (response.headers.get("content-type") or ""):
        return []  # a download
    return measured(page, f"{path} ({response.status})")


def measured(page: Page, what: str) -> list[str]:
    problems = [f"{what}: {problem}" for problem in page.evaluate(TABLES)]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE:
        problems.append(f"{what} is {width} px wide: {page.evaluate(WIDE)}")
    return problems


def test_no_page_scrolls_sideways_at_320_css_pixels_with_long_words(new_context, long_words):
    page = new_context(width=PHONE, height=640).new_page()
    page.set_default_timeout(15_000)
    problems = []
    for path in LOGGED_OUT:
        problems += problems_of(page, path)
    log_in(page, long_words["manager"].email)
    for path in pages_of(long_words):
        problems += problems_of(page, path)
    # a pasted line that is not an address: the table of what was not added, with a reason for each line
    page.goto(f"/scans/{long_words['open']}/invitees/")
    page.locator("#id_paste-addresses").fill("x" * 330)
    page.locator("form:has(#id_paste-addresses) button[type=submit]").click()
    reason = page.locator(".error-summary table tbody td").last
    reason.wait_for()
    problems += measured(page, "the lines that were not added")
    assert reason.bounding_box()["x"] + reason.bounding_box()["width"] <= PHONE, "the reason is out of view"
    assert problems == [], "\n".join(problems)

    # the scans table at 390 pixels: its last column is reached, in the page or in the table's own box
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/organisations/{long_words['organisation']}/")
    edges = page.evaluate(LAST_COLUMN)
    assert edges["width"] <= 390, edges
    assert edges["right"] <= edges["limit"] + 0.5, edges


def test_every_page_passes_axe_at_320_css_pixels_with_long_words(new_context, long_words, journey):
    """The same pages through axe (WCAG 2.1 A/AA): none with a serious or critical violation."""
    page = new_context(width=PHONE, height=640).new_page()
    page.set_default_timeout(15_000)
    failures = []

    def checked(path: str) -> None:
        response = page.goto(path)
        assert response is not None
        if "text/html" not in (response.headers.get("content-type") or ""):
            return  # a download
        try:
            journey.check(page, path)
        except AssertionError as failure:
            failures.append(f"{path}: {failure}")

    for path in LOGGED_OUT:
        checked(path)
    log_in(page, long_words["manager"].email)
    for path in pages_of(long_words):
        checked(path)
    assert failures == [], "\n".join(failures)
