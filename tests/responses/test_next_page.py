"""A save is answered with the page it leads to: each page's form posts to that page's address, with the
page being saved as a field, so the browser's address is the page it shows and a reload posts the same
answers again. The redirect of a form opened before this change still works."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from roer.responses.models import Response, ResponseDraft
from roer.responses.questionnaire import pages_for
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import constant, draft_of, page_data, post_page, saved_draft

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def staff_member(scan):
    return InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))


@pytest.fixture
def pages(instrument_version):
    return pages_for(instrument_version.parsed, "others")


def shown_page(response) -> int:  # type: ignore[no-untyped-def]
    """The number of the questionnaire page in a response (the hidden field its form sends)."""
    found = re.search(r'<input type="hidden" name="page" value="(\d+)">', response.content.decode())
    assert found, response.content.decode()[:2000]
    return int(found[1])


def form_addresses(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Where the form of a page posts: the form itself and every button with its own address."""
    page = response.content.decode()
    form = re.search(r'<form method="post" action="([^"]*)" novalidate class="questionnaire">', page)
    assert form, page[:2000]
    addresses = {"form": form[1]}
    for value, address in re.findall(r'name="action" value="(\w+)" formaction="([^"]*)"', page):
        addresses[value] = address
    return addresses


def test_each_page_posts_to_the_page_it_leads_to_and_the_last_to_the_link(client, staff_member, pages):
    path = link_for(staff_member)
    assert form_addresses(client.get(f"{path}1/")) == {"form": f"{path}2/", "save": f"{path}1/"}
    middle = form_addresses(client.get(f"{path}3/"))
    assert middle == {"form": f"{path}4/", "previous": f"{path}2/", "save": f"{path}3/"}
    last = form_addresses(client.get(f"{path}{len(pages)}/"))
    assert last["form"] == path
    assert last["previous"] == f"{path}{len(pages) - 1}/"


def test_a_save_is_answered_with_the_next_page_itself(client, staff_member, pages, instrument_version):
    path = link_for(staff_member)
    definition = instrument_version.parsed
    response = client.post(f"{path}2/", page_data(pages[0], definition, constant(4)))
    assert response.status_code == 200
    assert shown_page(response) == 2
    assert "Stap 2 van 6" in response.content.decode()
    assert f'name="next" value="{path}2/"' in response.content.decode()  # the language switch returns here
    draft = draft_of(staff_member, path)
    assert len(draft.answers) == len(pages[0].scaled)
    assert draft.page == 2  # the link resumes on the page shown
    # the page in the answer is the page a GET of its address gives, token apart
    assert CSRF.sub("", response.content.decode()) == CSRF.sub("", client.get(f"{path}2/").content.decode())


def test_the_next_page_shows_what_was_saved_on_it_before(client, staff_member, pages, instrument_version):
    path = link_for(staff_member)
    definition = instrument_version.parsed
    saved_draft(staff_member, path, {"ken_tijd": 2, pages[1].developments[0].knowledge.code: 3}, page=1)
    response = client.post(f"{path}2/", page_data(pages[0], definition, constant(5)))
    page = response.content.decode()
    assert page.count(" checked") == 1  # page 2's own saved answer, and none of page 1's
    assert draft_of(staff_member, path).answers["ken_tijd"] == 5


def test_a_reload_posts_the_same_answers_again_and_changes_nothing(client, staff_member, pages, instrument_version):
    path = link_for(staff_member)
    data = page_data(pages[0], instrument_version.parsed, constant(4))
    first = client.post(f"{path}2/", data)
    saved = draft_of(staff_member, path)
    again = client.post(f"{path}2/", data)
    assert (again.status_code, shown_page(again)) == (first.status_code, 2)
    repeated = draft_of(staff_member, path)
    assert (repeated.answers, repeated.page) == (saved.answers, saved.page)
    assert ResponseDraft.objects.filter(invitation=staff_member).count() == 1


def test_previous_saves_this_page_and_shows_the_one_before(client, staff_member, pages, instrument_version):
    path = link_for(staff_member)
    definition = instrument_version.parsed
    post_page(client, path, pages[0], len(pages), page_data(pages[0], definition, constant(4)))
    back = post_page(client, path, pages[1], len(pages), page_data(pages[1], definition, constant(2), "previous"))
    assert (back.status_code, shown_page(back)) == (200, 1)
    assert back.content.decode().count(" checked") == len(pages[0].scaled)
    draft = draft_of(staff_member, path)
    assert draft.page == 1
    assert all(draft.answers[question.code] == 2 for question in pages[1].scaled_questions())


def test_a_page_with_errors_stays_that_page_and_keeps_the_valid_answers(
    client, staff_member, pages, instrument_version
):
    path = link_for(staff_member)
    data = page_data(pages[0], instrument_version.parsed, constant(4))
    bad = pages[0].scaled[0].code
    data[bad] = "9"
    response = client.post(f"{path}2/", data)
    assert response.status_code == 200
    assert shown_page(response) == 1
    assert response.context["form"].errors[bad]
    assert form_addresses(response)["form"] == f"{path}2/"  # corrected, it goes on as before
    assert f'name="next" value="{path}1/"' in response.content.decode()
    draft = draft_of(staff_member, path)
    assert (draft.page, bad in draft.answers, len(draft.answers)) == (1, False, len(pages[0].scaled) - 1)


def test_the_last_page_submits_to_the_link_and_gets_the_thank_you_page(client, staff_member, pages, instrument_version):
    path = link_for(staff_member)
    definition = instrument_version.parsed
    for page in pages[:-1]:
        post_page(client, path, page, len(pages), page_data(page, definition, constant(3)))
    data = page_data(pages[-1], definition, constant(3), "submit")
    thanks = client.post(path, data)
    assert thanks.status_code == 200
    assert "Bedankt" in thanks.content.decode()
    assert Response.objects.filter(scan=staff_member.scan).count() == 1
    assert not ResponseDraft.objects.filter(invitation=staff_member).exists()
    reload = client.post(path, data)  # the browser's reload of the thank-you page
    assert (reload.status_code, "Bedankt" in reload.content.decode()) == (200, True)
    assert Response.objects.filter(scan=staff_member.scan).count() == 1
    assert "Bedankt" in client.get(path).content.decode()  # the address shown is the link: thank you again


def test_submit_posted_to_a_page_address_only_saves(client, staff_member, pages, instrument_version):
    path = link_for(staff_member)
    data = page_data(pages[-1], instrument_version.parsed, constant(3), "submit")
    response = client.post(f"{path}{len(pages)}/", data)
    assert (response.status_code, shown_page(response)) == (200, len(pages))
    assert not Response.objects.exists()
    assert draft_of(staff_member, path).page == len(pages)


def test_a_post_to_the_link_that_is_no_submit_saves_and_goes_to_that_page(
    client, staff_member, pages, instrument_version
):
    path = link_for(staff_member)
    response = client.post(path, page_data(pages[1], instrument_version.parsed, constant(3)))
    assert response.status_code == 302
    assert response.url == f"{path}2/"
    assert not Response.objects.exists()


@pytest.mark.parametrize("page", ["0", "99", "x", "", "²"])
def test_a_page_field_that_names_no_page_saves_nothing(client, staff_member, page):
    path = link_for(staff_member)
    response = client.post(f"{path}2/", {"page": page, "ken_tijd": "4", "action": "next"})
    assert response.status_code == 302
    assert not ResponseDraft.objects.exists()


def test_a_form_without_the_page_field_posted_beyond_the_last_page_saves_nothing(client, staff_member):
    path = link_for(staff_member)
    response = client.post(f"{path}7/", {"ken_tijd": "4", "action": "next"})
    assert (response.status_code, response.url) == (302, path)
    assert not ResponseDraft.objects.exists()


def test_an_address_beyond_the_last_page_saves_and_redirects_to_the_saved_page(client, staff_member, pages):
    path = link_for(staff_member)
    response = client.post(f"{path}99/", {"page": "1", "ken_tijd": "4", "action": "next"})
    assert (response.status_code, response.url) == (302, f"{path}1/")
    assert draft_of(staff_member, path).answers == {"ken_tijd": 4}


def test_a_form_opened_before_this_change_still_saves_and_redirects(client, staff_member, pages, instrument_version):
    """A page opened before the deploy posts to its own address without the `page` field."""
    path = link_for(staff_member)
    data = page_data(pages[0], instrument_version.parsed, constant(4))
    del data["page"]
    response = client.post(f"{path}1/", data)
    assert (response.status_code, response.url) == (302, f"{path}2/")
    assert draft_of(staff_member, path).page == 2
    last = page_data(pages[-1], instrument_version.parsed, constant(4), "submit")
    del last["page"]
    submitted = client.post(f"{path}{len(pages)}/", last)
    assert (submitted.status_code, submitted.url) == (302, path)
    assert Response.objects.count() == 1


def test_a_closed_scan_refuses_the_save_with_its_page(client, staff_member, pages, instrument_version):
    from roer.lifecycle.scan_life import scan_close

    path = link_for(staff_member)
    scan_close(scan=staff_member.scan)
    response = client.post(f"{path}2/", page_data(pages[0], instrument_version.parsed, constant(4)))
    assert response.status_code == 410
    assert not ResponseDraft.objects.exists()


def test_a_save_after_a_submit_in_another_tab_gets_the_thank_you_page(client, staff_member, pages, instrument_version):
    from tests.helpers import answer_all

    path = link_for(staff_member)
    answer_all(Client(), path, instrument_version.parsed, "others", constant(3))
    stale = client.post(f"{path}2/", page_data(pages[0], instrument_version.parsed, constant(1)))
    assert (stale.status_code, "Bedankt" in stale.content.decode()) == (200, True)
    assert Response.objects.count() == 1


def test_saving_with_a_second_links_replaces_the_draft_and_drops_the_notice(
    client, staff_member, pages, instrument_version
):
    first = link_for(staff_member)
    saved_draft(staff_member, first, {"ken_tijd": 5, pages[1].developments[0].knowledge.code: 3}, page=2)
    second = link_for(staff_member)  # the reminder's link
    assert "andere e-mail" in client.get(f"{second}1/").content.decode()
    response = client.post(f"{second}2/", page_data(pages[0], instrument_version.parsed, constant(2)))
    page = response.content.decode()
    assert "andere e-mail" not in page  # the draft is this link's now
    assert " checked" not in page  # and holds nothing of page 2 from the first link's draft
    assert draft_of(staff_member, second).answers["ken_tijd"] == 2


def test_every_save_still_needs_its_csrf_token(scan, staff_member, pages, instrument_version):
    strict = Client(enforce_csrf_checks=True)
    path = link_for(staff_member)
    assert strict.post(f"{path}2/", page_data(pages[0], instrument_version.parsed, constant(4))).status_code == 403
    assert strict.post(path, page_data(pages[-1], instrument_version.parsed, constant(4), "submit")).status_code == 403
    assert not ResponseDraft.objects.exists()


def test_unknown_links_are_rate_limited_on_posts_too(client, db, settings):
    settings.ROER_BAD_LINKS = "3/10m"
    for number in range(4):  # as a GET: the failures beyond the rate are refused
        assert client.post(f"/a/{'x' * 42}{number}/2/", {"page": "1"}).status_code == 404
    assert client.post(f"/a/{'y' * 43}/", {"page": "5", "action": "submit"}).status_code == 429


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ANSWER_VALUES = st.one_of(st.sampled_from(["1", "2", "3", "4", "5", "dk", ""]), st.text(max_size=20))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.dictionaries(st.sampled_from(["ken_tijd", "ken_kansen", "open_goed", "x"]), ANSWER_VALUES, max_size=4),
    page=st.one_of(st.sampled_from(["1", "2", "5", "0", "6", ""]), st.text(max_size=4)),
    address=st.one_of(st.none(), st.integers(-2, 8)),
    action=st.one_of(st.sampled_from(["next", "previous", "save", "submit"]), st.text(max_size=8)),
)
def test_any_post_in_the_new_flow_is_handled_and_earlier_answers_are_kept(client, scan, fields, page, address, action):
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    path = link_for(invitation)
    saved_draft(invitation, path, {"ken_tijd": 4, "ont_overzicht": 2}, page=2)
    url = path if address is None else f"{path}{abs(address)}/"
    response = client.post(url, {**fields, "page": page, "action": action})
    assert response.status_code in (200, 302)
    invitation.refresh_from_db()
    if invitation.submitted:
        assert Response.objects.filter(scan=scan).exists()
        return
    after = draft_of(invitation, path).answers
    assert after.get("ont_overzicht") == 2  # on another page than the one posted: never touched
    if page != "1" or fields.get("ken_tijd") not in {"1", "2", "3", "4", "5", "dk", ""}:
        assert after.get("ken_tijd") == 4
