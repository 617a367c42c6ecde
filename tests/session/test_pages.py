"""The presenter view, the conversation guide and the choice of focus, through the HTTP client."""

import re

import pytest
from django.urls import reverse

from roer.lifecycle.planning import focus_of
from roer.plans.models import FocusDimension
from roer.scoring import disclosure
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.django_db

SLIDES = 26  # see test_builder.py


def present(scan, number=None):
    url = reverse("session:present", kwargs={"scan_code": scan.code})
    return f"{url}?slide={number}" if number else url


def every_page(client, scan):
    """The HTML of every slide, the guide and the focus page."""
    pages = [client.get(present(scan, number)).content.decode() for number in range(1, SLIDES + 1)]
    pages.append(client.get(reverse("session:guide", kwargs={"scan_code": scan.code})).content.decode())
    pages.append(client.get(reverse("session:focus", kwargs={"scan_code": scan.code})).content.decode())
    return pages


def test_each_slide_has_its_counter_and_links_to_its_neighbours(bob_client, closed):
    bob_client.cookies["django_language"] = "en"
    first = bob_client.get(present(closed)).content.decode()
    assert "Slide 1 of 26" in first
    assert 'href="?slide=2" rel="next"' in first
    assert 'rel="prev"' not in first
    assert "session.js" in first
    assert "<script>" not in first
    middle = bob_client.get(present(closed, 6)).content.decode()
    assert "Largest blind spot" in middle
    assert "+52" in middle
    assert ">92<" not in middle
    assert 'href="?slide=5" rel="prev"' in middle
    assert 'href="?slide=7" rel="next"' in middle
    last = bob_client.get(present(closed, 26)).content.decode()
    assert 'rel="next"' not in last
    assert reverse("session:focus", kwargs={"scan_code": closed.code}) in last
    assert bob_client.get(present(closed, "x")).status_code == 200  # not a number: the first slide
    assert "Slide 26 of 26" in bob_client.get(present(closed, 500)).content.decode()


def test_the_slides_say_what_the_summary_says(bob_client, closed):
    # in Dutch, the default: the summary's sentences are translated already
    summary = bob_client.get(f"/scans/{closed.code}/report/summary/").content.decode()
    pillars = bob_client.get(present(closed, 3)).content.decode()
    sentence = "niveau 3, Ontwikkelend (40)."
    assert sentence in summary
    assert sentence in pillars


def test_a_question_slide_and_the_guide_show_the_questions_in_english(bob_client, closed, english):
    bob_client.cookies["django_language"] = "en"
    slide = bob_client.get(present(closed, 13)).content.decode()
    assert "Blind spot" in slide
    assert "What do they notice about us that we do not see?" in slide
    guide = bob_client.get(reverse("session:guide", kwargs={"scan_code": closed.code})).content.decode()
    assert guide.count("<h3 id=") == 13
    assert "Which small step can we take in the next three months?" in guide


def test_an_open_scan_has_no_session_yet(bob_client, alice_client, scan):
    for name in ("session:present", "session:guide", "session:focus"):
        response = bob_client.get(reverse(name, kwargs={"scan_code": scan.code}))
        assert response.status_code == 200
        assert response.templates[0].name == "results/not_yet.html"
    response = alice_client.post(
        reverse("session:focus", kwargs={"scan_code": scan.code}), {"dimensions": ["koers", "kennis"]}
    )
    assert response.templates[0].name == "results/not_yet.html"
    assert not FocusDimension.objects.exists()


def test_the_results_page_and_the_scan_page_link_to_the_session(bob_client, closed):
    url = reverse("session:present", kwargs={"scan_code": closed.code})
    assert url in bob_client.get(f"/scans/{closed.code}/results/").content.decode()
    assert url in bob_client.get(f"/scans/{closed.code}/").content.decode()


# --- the choice of focus -------------------------------------------------------------------------------


def focus_url(scan):
    return reverse("session:focus", kwargs={"scan_code": scan.code})


def test_a_scan_manager_records_the_focus_and_goes_to_the_action_plan(alice_client, closed):
    response = alice_client.post(focus_url(closed), {"dimensions": ["koers", "vertrouwen"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:board", kwargs={"organisation_code": closed.organisation.code})
    assert focus_of(closed) == ["koers", "vertrouwen"]
    form = alice_client.get(focus_url(closed)).content.decode()
    assert 'value="koers" id="focus-koers" checked' in form
    assert 'value="kennis" id="focus-kennis">' in form


def test_the_form_lists_each_dimension_with_its_published_level_and_gap(alice_client, closed):
    alice_client.cookies["django_language"] = "en"
    form = alice_client.get(focus_url(closed)).content.decode()
    assert form.count('type="checkbox" name="dimensions"') == 10
    assert form.count("level 3, Developing (40).") == 10
    assert form.count("Blind spot (+52).") == 10


def test_a_reader_sees_the_choice_without_a_form_and_cannot_post(alice, bob_client, closed):
    from roer.lifecycle.planning import focus_choose

    assert '<form method="post" class="focus-form"' not in bob_client.get(focus_url(closed)).content.decode()
    focus_choose(scan=closed, codes=["impact", "koers"], user=alice)
    page = bob_client.get(focus_url(closed)).content.decode()
    chosen = page[page.index('<ol class="focus-chosen">') :]
    chosen = chosen[: chosen.index("</ol>")]
    assert chosen.count("<li>") == 2
    assert chosen.index("impact") < chosen.index("koers")
    assert bob_client.post(focus_url(closed), {"dimensions": ["koers", "kennis"]}).status_code == 403
    assert focus_of(closed) == ["impact", "koers"]


@pytest.mark.parametrize(
    ("codes", "english"),
    [
        (["koers"], "Choose 2 to 3 focus dimensions; 1 was chosen."),
        ([], "Choose 2 to 3 focus dimensions; 0 were chosen."),
        (["koers", "kennis", "impact", "risicos"], "Choose 2 to 3 focus dimensions; 4 were chosen."),
        (["koers", "bestaat_niet"], "Choose dimensions of this scan&#x27;s instrument."),
        (["koers", "koers"], "Choose each dimension once."),
    ],
)
def test_a_refused_choice_is_shown_with_its_reason_and_stores_nothing(alice_client, closed, codes, english):
    alice_client.cookies["django_language"] = "en"
    response = alice_client.post(focus_url(closed), {"dimensions": codes})
    assert response.status_code == 400
    page = response.content.decode()
    assert english in page
    assert 'role="alert"' in page
    assert not FocusDimension.objects.exists()


def test_a_refusal_is_in_dutch_by_default(alice_client, closed):
    response = alice_client.post(focus_url(closed), {"dimensions": ["koers"]})
    assert response.status_code == 400
    assert 'lang="nl"' in response.content.decode()
    assert not FocusDimension.objects.exists()


def test_a_scan_that_moved_on_while_choosing_is_refused_in_words(alice_client, closed, monkeypatch):
    from roer.lifecycle import planning
    from roer.lifecycle.scan_life import ScanStateError
    from roer.scans.models import ScanState

    def moved(*args, **kwargs):
        raise ScanStateError(ScanState.CLOSED)

    monkeypatch.setattr(planning, "guarded", moved)
    response = alice_client.post(focus_url(closed), {"dimensions": ["koers", "kennis"]})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not FocusDimension.objects.exists()


def test_an_outsider_can_neither_see_nor_make_the_choice(charlie_client, closed):
    assert charlie_client.get(focus_url(closed)).status_code == 404
    assert charlie_client.post(focus_url(closed), {"dimensions": ["koers", "kennis"]}).status_code == 404
    assert not FocusDimension.objects.exists()


# --- the disclosure rule, attacked ---------------------------------------------------------------------

# 88 as a figure of its own: not part of a longer number, a code or a decimal (87,5 or 87.5)
HIDDEN_SCORE = re.compile(r"(?<![\w.])(?<!\d,)(?:88|28)(?!\w|[.,]\d)")


@pytest.fixture
def hidden_groups(organisation, instrument_version):
    """Two directors (below their threshold of 3) at 100 and 75, two managers (below 5) at 75 and 100:
    both hidden, at 87.5, shown as "88" if it ever leaked. Staff (8) at 28.1 ("28") are hidden beside all others
    to protect the managers; all others 40."""
    return closed_scan_with(
        organisation,
        instrument_version,
        {"directie": [5, 4], "medewerkers": [2] * 7 + [3], "management": [4, 5]},
    )


LOGO = re.compile(r'<svg class="brand__mark".*?</svg>', re.S)  # drawn 28 pixels wide


def leaks(client, scan):
    pages = [LOGO.sub("", page) for page in every_page(client, scan)]
    return [match.group() for page in pages for match in HIDDEN_SCORE.finditer(page)]


def test_a_hidden_groups_score_appears_on_no_slide_and_not_in_the_guide(alice_client, hidden_groups):
    assert leaks(alice_client, hidden_groups) == []


def test_the_attack_finds_the_hidden_score_once_the_rule_is_broken(alice_client, hidden_groups, monkeypatch):
    # what a session that skipped the rule would show: the directors' 88 against the others' 40
    rule = disclosure.Disclosure.suppression

    def everything_shown(self, group, key):  # every dimension of every group, whatever its size
        unit = self.unit_of(key)
        if unit and not unit.code.startswith(("development:", "reference:")):
            return disclosure.Suppression.NONE
        return rule(self, group, key)

    monkeypatch.setattr(disclosure.Disclosure, "suppression", everything_shown)
    assert leaks(alice_client, hidden_groups)
