"""Answering through a link: pages save, the link resumes, bad input loses nothing, and after submission
nothing links the person to the answers."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from roer.responses.models import OpenAnswer, Response, ResponseDraft
from roer.responses.questionnaire import pages_for
from roer.scans.models import AccessToken, Invitation
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import answer_all, constant, draft_of, page_data, post_page, stored_answers, stored_scores


@pytest.fixture
def director(scan):
    return InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.DIRECTIE))


@pytest.fixture
def staff_member(scan):
    return InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))


@pytest.fixture
def definition(instrument_version):
    return instrument_version.parsed


def test_a_link_opens_the_first_page_with_the_self_wording_for_a_director(client, director):
    path = link_for(director)
    response = client.get(path, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"{path}1/"
    assert "Ik weet welke digitale ontwikkelingen" in page
    assert "Onze directie" not in page
    assert "Stap 1 van 6" in page


def test_others_see_the_others_wording_and_no_reference_questions(client, staff_member, definition):
    path = link_for(staff_member)
    assert "Onze directie weet welke" in client.get(f"{path}1/").content.decode()
    last = pages_for(definition, "others")[-1]
    assert [question.code for question in last.scaled] == []
    assert "ref_verandering" not in client.get(f"{path}{last.number}/").content.decode()


def test_every_item_is_a_fieldset_with_a_legend(client, staff_member, definition):
    page = client.get(f"{link_for(staff_member)}1/").content.decode()
    first_page = pages_for(definition, "others")[0]
    assert page.count('<fieldset class="question"') == len(first_page.scaled)
    assert page.count("<legend>") == len(first_page.scaled)


def test_each_page_saves_and_going_back_shows_the_answers(client, staff_member, definition):
    path = link_for(staff_member)
    pages = pages_for(definition, "others")
    client.post(f"{path}2/", page_data(pages[0], definition, constant(5)))
    draft = draft_of(staff_member, path)
    assert len(draft.answers) == len(pages[0].scaled)
    assert draft.page == 2
    back = client.post(f"{path}1/", page_data(pages[1], definition, constant(3), action="previous"))
    assert back.status_code == 200  # page 1 itself, at its own address
    shown = back.content.decode()
    assert '<input type="hidden" name="page" value="1">' in shown
    assert shown.count(" checked") == len(pages[0].scaled)
    assert draft_of(staff_member, path).page == 1


def test_save_and_continue_later_keeps_answers_and_resumes_on_that_page(client, staff_member, definition):
    path = link_for(staff_member)
    pages = pages_for(definition, "others")
    client.post(f"{path}2/", page_data(pages[0], definition, constant(4)))
    response = client.post(f"{path}2/", page_data(pages[1], definition, constant(4), action="save"))
    assert response.status_code == 200
    assert Client().get(path).url == f"{path}2/"


def test_a_tampered_value_is_refused_and_the_other_answers_are_kept(client, staff_member, definition):
    path = link_for(staff_member)
    first = pages_for(definition, "others")[0]
    data = page_data(first, definition, constant(4))
    bad_code = first.scaled[0].code
    data[bad_code] = "7"
    response = client.post(f"{path}2/", data)  # posted to the next page, as the form does
    assert response.status_code == 200
    assert response.context["form"].errors[bad_code]
    assert response.context["page"].number == 1  # the page with the error is shown again
    draft = draft_of(staff_member, path)
    assert bad_code not in draft.answers
    assert len(draft.answers) == len(first.scaled) - 1
    assert draft.page == 1


def test_dont_know_is_stored_as_no_value_and_blank_clears_an_earlier_answer(client, staff_member, definition):
    path = link_for(staff_member)
    first = pages_for(definition, "others")[0]
    data = page_data(first, definition, constant(4))
    code = first.scaled[0].code
    data[code] = "dk"
    client.post(f"{path}2/", data)
    assert draft_of(staff_member, path).answers[code] is None
    data[code] = ""
    client.post(f"{path}2/", data)
    assert code not in draft_of(staff_member, path).answers


def test_an_open_answer_that_is_too_long_is_refused_but_the_rest_is_kept(client, director, definition):
    path = link_for(director)
    last = pages_for(definition, "self")[-1]
    data = page_data(last, definition, constant(4), action="submit")
    data[last.open[0].code] = "x" * 5001
    response = client.post(path, data)  # the last page submits to the link itself
    assert response.status_code == 200
    assert response.context["form"].errors[last.open[0].code]
    assert not Response.objects.exists()
    draft = draft_of(director, path)
    assert draft.answers["ref_verandering"] == 4
    assert last.open[0].code not in draft.open_answers
    assert draft.open_answers[last.open[1].code] == f"Antwoord op {last.open[1].code}"


def test_a_page_number_out_of_range_goes_to_the_first_page(client, director):
    path = link_for(director)
    assert client.get(f"{path}99/").url == f"{path}1/"
    assert client.get(f"{path}0/").url == f"{path}1/"


def test_submission_stores_answers_scores_and_open_answers_without_a_link_to_the_person(client, director, definition):
    path = link_for(director)
    answer_all(client, path, definition, "self", constant(4))
    response = Response.objects.get()
    assert response.group == director.group
    assert response.submitted_on == timezone.localdate()
    # every item, both reference questions and both halves of every development
    reverse = definition.reverse_codes()
    assert stored_answers(response) == {code: 2 if code in reverse else 4 for code in definition.scaled_codes()}
    assert stored_scores(response) == dict.fromkeys(stored_scores(response), 75.0)
    assert len(stored_scores(response)) == 10
    assert OpenAnswer.objects.filter(response=response).count() == 3
    assert not ResponseDraft.objects.exists()
    director.refresh_from_db()
    assert director.submitted is True


def test_a_response_row_has_no_key_or_time_that_leads_back_to_the_invitation():
    related = {field.related_model for field in Response._meta.get_fields() if field.is_relation}
    assert Invitation not in related
    assert AccessToken not in related
    names = {field.name for field in Response._meta.get_fields()}
    assert not names & {"invitation", "token", "user", "email", "ip", "created_at", "submitted_at"}
    assert {field.get_internal_type() for field in Response._meta.fields if "submitted" in field.name} == {"DateField"}


def test_submitting_twice_stores_one_response(client, director, definition):
    path = link_for(director)
    answer_all(client, path, definition, "self", constant(4))
    last = pages_for(definition, "self")[-1]
    again = client.post(path, page_data(last, definition, constant(2), action="submit"))
    assert again.status_code == 200
    assert Response.objects.count() == 1
    assert set(stored_scores(Response.objects.get()).values()) == {75.0}  # the first submit's answers


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_store_exactly_one_response(instrument_version):
    from tests.factories import OrganisationFactory, ScanFactory

    scan = ScanFactory(organisation=OrganisationFactory(), instrument_version=instrument_version)
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    definition = instrument_version.parsed
    path = link_for(invitation)
    pages = pages_for(definition, "others")
    for page in pages[:-1]:
        post_page(Client(), path, page, len(pages), page_data(page, definition, constant(3)))
    data = page_data(pages[-1], definition, constant(3), action="submit")
    barrier = threading.Barrier(2)
    statuses = []

    def submit():
        barrier.wait()
        try:
            response = Client().post(path, data)
            statuses.append((response.status_code, "Bedankt" in response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # one stored it, the other was told it was already sent: both see the thank-you page
    assert statuses == [(200, True), (200, True)]
    assert Response.objects.filter(scan=scan).count() == 1


def test_an_unknown_link_gets_a_clear_page_with_status_404(client, db):
    response = client.get("/a/" + "x" * 43 + "/")
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()
    assert client.get("/a/short/").status_code == 404
    assert client.get("/a/" + "y" * 43 + "/2/").status_code == 404


def test_a_closed_scan_gets_a_clear_page_and_saves_nothing(client, director, definition):
    from roer.lifecycle.scan_life import scan_close

    path = link_for(director)
    scan_close(scan=director.scan)
    response = client.get(path)
    assert response.status_code == 410
    first = pages_for(definition, "self")[0]
    assert client.post(f"{path}1/", page_data(first, definition, constant(4))).status_code == 410
    assert not ResponseDraft.objects.exists()


def test_a_scan_whose_closing_date_has_passed_refuses_answers_at_once(client, director, definition):
    """Before the clock job has stored the closed state, the date alone already refuses the answer."""
    path = link_for(director)
    first = pages_for(definition, "self")[0]
    assert client.post(f"{path}2/", page_data(first, definition, constant(4))).status_code == 200
    saved = draft_of(director, path).answers
    scan = director.scan
    scan.refresh_from_db()
    assert scan.state in ("planned", "open")
    with time_machine.travel(scan.closes_on + datetime.timedelta(days=1), tick=True):
        assert client.post(f"{path}1/", page_data(first, definition, constant(2))).status_code == 410
        assert client.get(f"{path}1/").status_code == 410
    assert draft_of(director, path).answers == saved  # the late answer changed nothing


def test_a_scan_that_has_not_opened_says_when_it_opens(client, director):
    scan = director.scan
    scan.opens_on = timezone.localdate() + datetime.timedelta(days=5)
    scan.save()
    response = client.get(link_for(director))
    assert response.status_code == 200
    assert scan.opens_on.strftime("%Y") in response.content.decode()


def test_the_questionnaire_switches_to_english(client, director):
    path = link_for(director)
    client.post("/i18n/setlang/", {"language": "en", "next": f"{path}1/"})
    page = client.get(f"{path}1/").content.decode()
    assert "I know which digital developments matter" in page
    assert "Strongly agree" in page
    assert '<html lang="en">' in page


def test_the_questionnaire_needs_no_login_and_works_without_a_session(client, director):
    path = link_for(director)
    assert client.get(f"{path}1/").status_code == 200
    assert "sessionid" not in client.cookies


def test_an_english_invitation_opens_the_questionnaire_in_english(client, director):
    director.language = "en"
    director.save()
    page = client.get(f"{link_for(director)}1/").content.decode()
    assert "I know which digital developments matter" in page
    assert '<html lang="en">' in page


def test_the_browser_language_does_not_override_dutch(client, director):
    page = client.get(f"{link_for(director)}1/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nl">' in page


def test_the_developments_page_stores_knowledge_and_impact(client, staff_member, definition):
    path = link_for(staff_member)
    pages = pages_for(definition, "others")
    developments = next(page for page in pages if page.developments)
    assert developments.number == 2
    first = developments.developments[0]
    data = {first.knowledge.code: "2", first.impact.code: "dk", "page": str(developments.number), "action": "next"}
    client.post(f"{path}{developments.number + 1}/", data)
    draft = draft_of(staff_member, path)
    assert draft.answers == {first.knowledge.code: 2, first.impact.code: None}
    page = client.get(f"{path}{developments.number}/").content.decode()
    assert page.count('class="development"') == len(definition.developments.items)
    answer_all(client, path, definition, "others", constant(3))
    stored = stored_answers(Response.objects.get())
    assert (stored[first.knowledge.code], stored[first.impact.code]) == (3, 3)
