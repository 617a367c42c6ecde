"""The fast questionnaire page (rendered once, filled per request) is the page the template would render."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from roer.responses import pagecache
from roer.responses.forms import PageForm
from roer.responses.markup import filled, questions_markup
from roer.responses.questionnaire import pages_for
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import draft_of, saved_draft


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("perspective", ["self", "others"])
def test_the_filled_questions_equal_the_template_with_the_answers(instrument_version, language, perspective):
    definition = instrument_version.parsed
    with translation.override(language):
        for page in pages_for(definition, perspective):
            codes = [question.code for question in page.scaled_questions()]
            answers = {
                code: (None if index % 7 == 0 else 1 + index % 5) for index, code in enumerate(codes) if index % 3
            }
            open_answers = {question.code: 'Komma, "quote" <b>en</b>\nregel' for question in page.open}
            form = PageForm(
                initial=PageForm.initial_from(page, answers, open_answers),
                page=page,
                scale=definition.scale,
                developments=definition.developments,
            )
            slow = render_to_string(
                "responses/partials/questions.html",
                {
                    "form": form,
                    "page": page,
                    "page_scaled_codes": {q.code for q in page.scaled},
                    "page_open_codes": {q.code for q in page.open},
                },
            )
            fast = filled(questions_markup(instrument_version, page, perspective, language), answers, open_answers)
            assert fast == slow, f"page {page.number}"


def test_the_csrf_token_of_a_fast_page_is_accepted(scan):
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    path = link_for(invitation)
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"{path}1/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = {"csrfmiddlewaretoken": token, "ken_tijd": "4", "page": "1", "action": "next"}
    response = client.post(f"{path}2/", data)
    assert response.status_code == 200
    assert draft_of(invitation, path).answers == {"ken_tijd": 4}
    # the next page comes with the same token, which its own form then sends
    following = response.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', following)[1]
    data = {"csrfmiddlewaretoken": token, "page": "2", "action": "next"}
    assert client.post(f"{path}3/", data).status_code == 200


def test_two_respondents_get_their_own_answers_address_and_token(scan):
    first, second = (InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS)) for _ in range(2))
    first_path, second_path = link_for(first), link_for(second)
    saved_draft(first, first_path, {"ken_tijd": 5})
    first_page = Client().get(f"{first_path}1/").content.decode()
    second_page = Client().get(f"{second_path}1/").content.decode()
    assert 'value="5" id="id_ken_tijd_4" checked' in first_page
    assert "checked" not in second_page
    assert f'name="next" value="{first_path}1/"' in first_page
    assert f'name="next" value="{second_path}1/"' in second_page
    assert "\x00" not in first_page + second_page


def test_a_signed_in_visitor_leaves_no_name_or_message_in_the_page_others_get(scan, alice_client):
    """The page is rendered once for everyone, so nothing of the first visitor's session may end up in it."""
    pagecache._CACHE.clear()
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, "Invitations sent to 40 people")
    carrier = HttpResponse()
    storage.update(carrier)
    alice_client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    group = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    first, second = InvitationFactory(scan=scan, group=group), InvitationFactory(scan=scan, group=group)
    alice_client.get(f"{link_for(first)}1/")
    page = Client().get(f"{link_for(second)}1/").content.decode()
    assert "Invitations sent" not in page
    assert "alice" not in page.lower()
    # The message was not used up on a page it did not appear on: it waits for the visitor's next page.
    assert "Invitations sent" in alice_client.get(reverse("organisations:dashboard")).content.decode()


def test_a_changed_title_or_organisation_name_shows_at_once_on_cached_pages(scan, alice_client):
    """The cache key is the scan's stored revision, raised by every change a respondent would see."""
    from roer.lifecycle.editing import scan_update
    from roer.lifecycle.organisations import organisation_update

    path = link_for(InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS)))
    assert "Scan Alfa 2026" in Client().get(f"{path}1/").content.decode()
    thresholds = {group.kind: group.threshold for group in scan.groups.all()}
    scan_update(
        scan=scan,
        title="Scan Alfa, tweede ronde",
        opens_on=scan.opens_on,
        closes_on=scan.closes_on,
        thresholds=thresholds,
    )
    assert "Scan Alfa, tweede ronde" in Client().get(f"{path}1/").content.decode()
    organisation = scan.organisation
    organisation.name = "Gemeente Alfa-Omega"
    organisation_update(organisation=organisation, fields=["name"])
    assert "Gemeente Alfa-Omega" in Client().get(f"{path}1/").content.decode()


def test_a_full_cache_lets_the_least_recently_used_page_go():
    cache = pagecache._LeastRecentlyUsed(2)
    page = pagecache.PageParts(("x",))
    cache.put("a", page)
    cache.put("b", page)
    assert cache.get("a") is page  # "a" was used last, so "b" makes way
    cache.put("c", page)
    assert ("a" in cache, "b" in cache, "c" in cache) == (True, False, True)
    assert len(cache) == 2


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from roer.instruments.loader import DEFAULT_INSTRUMENT, read_instrument_file  # noqa: E402
from roer.responses.forms import quick_page_answers  # noqa: E402

DEFINITION, _ = read_instrument_file(DEFAULT_INSTRUMENT)
PAGES = pages_for(DEFINITION, "self")
POINTS = {code: 5 for page in PAGES for code in (q.code for q in page.scaled_questions())}
VALUES = st.one_of(st.sampled_from(["", "1", "3", "5", "dk", "6", "0", "04", " 4", "x", "٣"]), st.text(max_size=6))


@settings(max_examples=300, deadline=None)
@given(
    page=st.sampled_from(PAGES),
    picks=st.lists(st.tuples(st.integers(0, 40), VALUES), max_size=12),
    text=st.text(max_size=30),
)
def test_the_quick_check_agrees_with_the_form_whenever_it_answers(page, picks, text):
    codes = [question.code for question in page.scaled_questions()]
    data = {codes[index % len(codes)]: value for index, value in picks} if codes else {}
    for question in page.open:
        data[question.code] = text
    quick = quick_page_answers(page, data, POINTS)
    form = PageForm(data, page=page, scale=DEFINITION.scale, developments=DEFINITION.developments)
    valid = form.is_valid()
    if quick is None:
        assert not valid or any(value not in {"", "dk", "1", "2", "3", "4", "5"} for value in data.values())
    else:
        assert valid
        assert quick == form.valid_answers()
