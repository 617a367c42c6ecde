"""Open answers reach nobody before a scan manager has reviewed them.

The leak this closes: a respondent typed a telephone number into an open answer and the full report
printed it for every director. Each test plays one side: the respondent whose details must not travel,
the reader and the report that must see only what was published, and the manager who may take words out
of an answer but never put words in."""

from __future__ import annotations

import re

import pytest

from roer.audit.models import AuditAction, AuditEvent
from roer.reports.documents import report_fingerprint
from roer.reports.exports import export_for
from roer.responses.models import OpenAnswer, OpenAnswerStatus
from roer.results.review import review_items
from roer.scans.models import Invitation
from tests.factories import ScanFactory
from tests.groups import GroupKind
from tests.helpers import answer_directly, close

pytestmark = pytest.mark.django_db

PHONE_ANSWER = "Bel me gerust op 06-12345678 als u meer wilt weten."
NAMED_ANSWER = "Ik heb dit met Jansen besproken en hij is het eens."
ENGLISH_ANSWER = "The board should share its digital plans with all of us."
PLAIN = [f"Meer tijd voor kennis over data, punt {number}." for number in range(6)]


@pytest.fixture
def reviewed_scan(organisation, instrument_version):
    """Nine staff members answer "what should improve"; one gives a phone number, one a colleague's name
    (also in an invitee's address), one writes English; six write plain Dutch. Two managers answer too:
    below the open-answer threshold, their texts are for nobody, the scan manager included."""
    scan = ScanFactory(
        organisation=organisation, instrument_version=instrument_version, groups=["medewerkers", "management"]
    )
    staff = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    texts = [PHONE_ANSWER, NAMED_ANSWER, ENGLISH_ANSWER, *PLAIN]
    for number, text in enumerate(texts):
        email = "p.jansen@alfa.example" if number == 8 else f"m{number}@alfa.example"
        answer_directly(Invitation.objects.create(scan=scan, group=staff, email=email), {}, {"open_verbeteren": text})
    managers = scan.groups.get(kind=GroupKind.MANAGEMENT)
    for number in range(2):
        invitation = Invitation.objects.create(scan=scan, group=managers, email=f"mt{number}@alfa.example")
        answer_directly(invitation, {}, {"open_verbeteren": f"Alleen voor het MT {number}"})
    return close(scan)


def handle_of(scan, text):  # type: ignore[no-untyped-def]
    return OpenAnswer.objects.get(response__scan=scan, text=text).handle


def everything_readers_get(scan, bob_client) -> str:  # type: ignore[no-untyped-def]
    """The results page, the full report page and the open-answers export, as one text."""
    pages = [
        bob_client.get(f"/scans/{scan.code}/results/").content.decode(),
        bob_client.get(f"/scans/{scan.code}/report/full/").content.decode(),
    ]
    export = export_for(scan, "open-answers", "nl")
    rows = [" ".join(str(cell) for cell in row) for row in export.rows]
    return "\n".join(pages + rows)


def test_nothing_is_shown_before_review_and_a_phone_number_never_is(reviewed_scan, bob_client, alice_client):
    shown = everything_readers_get(reviewed_scan, bob_client)
    assert "12345678" not in shown
    assert "Meer tijd voor kennis" not in shown  # nothing at all before review
    assert "9 open antwoorden wachten op controle" in shown
    response = alice_client.post(f"/scans/{reviewed_scan.code}/open-answers/publish/")
    assert response.status_code == 302
    shown = everything_readers_get(reviewed_scan, bob_client)
    assert "12345678" not in shown  # found, so it waits for a person's decision
    assert "Jansen" not in shown
    assert ENGLISH_ANSWER not in shown
    assert all(text in shown for text in PLAIN)


def test_screening_flags_the_number_the_name_and_the_lone_language(reviewed_scan):
    flags = {item.text: {flag.value for flag in item.flags} for item in review_items(reviewed_scan)}
    assert flags[PHONE_ANSWER] == {"phone"}
    assert flags[NAMED_ANSWER] == {"name"}
    assert flags[ENGLISH_ANSWER] == {"language"}  # one English answer among nine: it points at its writer
    assert all(flags[text] == set() for text in PLAIN)
    assert "Alleen voor het MT 0" not in flags  # the managers' group is too small even for the reviewer


def test_a_shortened_answer_is_what_every_reader_and_the_pdf_get(reviewed_scan, alice_client, bob_client):
    before = report_fingerprint(reviewed_scan, "full", "nl")
    response = alice_client.post(
        f"/scans/{reviewed_scan.code}/open-answers/decide/",
        {"handle": handle_of(reviewed_scan, PHONE_ANSWER), "decision": "redact", "text": "Bel me gerust op […]"},
    )
    assert response.status_code == 302
    shown = everything_readers_get(reviewed_scan, bob_client)
    assert "Bel me gerust op […]" in shown
    assert "12345678" not in shown
    assert report_fingerprint(reviewed_scan, "full", "nl") != before  # the PDF is made anew with it
    event = AuditEvent.objects.get(action=AuditAction.OPEN_ANSWER_REDACTED)
    assert event.user_email == "alice@alfa.example"
    assert "Bel" not in event.subject  # the log names the answer, it does not copy it


def test_a_manager_cannot_put_words_in_a_respondents_mouth(reviewed_scan, alice_client):
    handle = handle_of(reviewed_scan, NAMED_ANSWER)
    for invented in ("Ik heb dit met de directeur besproken en hij is het eens.", "Ik heb dit […] niet eens."):
        response = alice_client.post(
            f"/scans/{reviewed_scan.code}/open-answers/decide/",
            {"handle": handle, "decision": "redact", "text": invented},
            follow=True,
        )
        assert "Een antwoord kan alleen worden ingekort" in response.content.decode()
    for nothing_left in ("[…]", "  "):
        response = alice_client.post(
            f"/scans/{reviewed_scan.code}/open-answers/decide/",
            {"handle": handle, "decision": "redact", "text": nothing_left},
            follow=True,
        )
        assert "Er zou niets van dit antwoord overblijven" in response.content.decode()
    answer = OpenAnswer.objects.get(handle=handle)
    assert (answer.status, answer.published_text) == (OpenAnswerStatus.PENDING, "")
    assert not AuditEvent.objects.filter(action=AuditAction.OPEN_ANSWER_REDACTED).exists()


def test_hiding_and_taking_back_a_decision(reviewed_scan, alice_client, bob_client):
    handle = handle_of(reviewed_scan, PLAIN[0])
    url = f"/scans/{reviewed_scan.code}/open-answers/decide/"
    alice_client.post(url, {"handle": handle, "decision": "publish"})
    assert PLAIN[0] in everything_readers_get(reviewed_scan, bob_client)
    alice_client.post(url, {"handle": handle, "decision": "withdraw"})
    assert PLAIN[0] not in everything_readers_get(reviewed_scan, bob_client)
    alice_client.post(url, {"handle": handle, "decision": "hide"})
    assert PLAIN[0] not in everything_readers_get(reviewed_scan, bob_client)
    decisions = AuditEvent.objects.filter(action__startswith="open_answer").order_by("pk")
    assert list(decisions.values_list("action", flat=True)) == [
        "open_answer_published",
        "open_answer_withdrawn",
        "open_answer_hidden",
    ]


def test_a_small_groups_answer_cannot_be_decided_even_by_its_handle(reviewed_scan, alice_client, bob_client):
    """The manager cannot read the managers' two answers; a handle found elsewhere (a database copy, a
    guess) does not let them publish one either."""
    handle = handle_of(reviewed_scan, "Alleen voor het MT 0")
    response = alice_client.post(
        f"/scans/{reviewed_scan.code}/open-answers/decide/", {"handle": handle, "decision": "publish"}, follow=True
    )
    assert "hoort niet bij de controle van deze scan" in response.content.decode()
    assert OpenAnswer.objects.get(handle=handle).status == OpenAnswerStatus.PENDING
    assert (
        "Alleen voor het MT"
        not in alice_client.get(f"/scans/{reviewed_scan.code}/open-answers/?show=all").content.decode()
    )


def test_another_scans_answer_cannot_be_decided_from_this_scan(
    reviewed_scan, alice_client, organisation, instrument_version
):
    other = ScanFactory(organisation=organisation, instrument_version=instrument_version, groups=["medewerkers"])
    close(other)
    response = alice_client.post(
        f"/scans/{other.code}/open-answers/decide/",
        {"handle": handle_of(reviewed_scan, PLAIN[1]), "decision": "publish"},
        follow=True,
    )
    assert "hoort niet bij de controle van deze scan" in response.content.decode()
    assert OpenAnswer.objects.get(text=PLAIN[1]).status == OpenAnswerStatus.PENDING


def test_the_review_page_names_answers_by_random_handles_in_the_readers_order(reviewed_scan, alice_client):
    page = alice_client.get(f"/scans/{reviewed_scan.code}/open-answers/?show=all").content.decode()
    ids = [str(pk) for pk in OpenAnswer.objects.values_list("pk", flat=True)]
    handles = re.findall(r'name="handle" value="([^"]+)"', page)
    assert len(handles) == 9
    assert not set(handles) & set(ids)
    order = [OpenAnswer.objects.get(handle=handle).pk for handle in handles]
    assert order != sorted(order)  # not by arrival
    assert '<mark title="telefoonnummer">06-12345678</mark>' in page


def test_nothing_is_reviewed_while_the_scan_is_open(alice_client, scan):
    assert alice_client.get(f"/scans/{scan.code}/open-answers/").status_code == 404
    assert alice_client.post(f"/scans/{scan.code}/open-answers/publish/").status_code == 404
