"""The whole life of one scan through the HTTP client: create, invite, answer across pages, resume,
submit (twice), close and read the results, with the expected figures worked out by hand."""

import re

import pytest
from django.core import mail

from roer.responses.models import Response, ResponseDraft
from roer.responses.questionnaire import pages_for
from roer.scans.models import Invitation, Scan
from tests.helpers import answer_all, constant, links_in_outbox, page_data
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

DIRECTORS = ["d1@alfa.example", "d2@alfa.example", "d3@alfa.example"]
STAFF = [f"m{n}@alfa.example" for n in range(1, 6)]


def test_a_scan_from_creation_to_results(alice_client, bob_client, organisation, instrument_version):
    # 1. Alice creates a scan with the directors and staff.
    response = alice_client.post(
        f"/organisations/{organisation.code}/scans/new/",
        {
            "instrument_version": instrument_version.pk,
            "title": "Digitaal leiderschap 2026",
            "opens_on": "2026-03-16",
            "closes_on": "2026-04-30",
            "include_directie": "on",
            "threshold_directie": "3",
            "threshold_management": "5",
            "threshold_informatievoorziening": "5",
            "include_medewerkers": "on",
            "threshold_medewerkers": "5",
        },
    )
    scan = Scan.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert response.url == f"/scans/{scan.code}/invitees/"
    assert sorted(scan.groups.values_list("kind", "threshold")) == [("directie", 3), ("medewerkers", 5)]

    # 2. She pastes the directors and uploads the staff as CSV.
    directie = scan.groups.get(kind="directie")
    medewerkers = scan.groups.get(kind="medewerkers")
    alice_client.post(
        f"/scans/{scan.code}/invitees/",
        {
            "source": "paste",
            "paste-addresses": "\n".join(DIRECTORS),
            "paste-group": directie.pk,
            "paste-language": "nl",
        },
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_file = SimpleUploadedFile(
        "staff.csv", ("email;groep\n" + "\n".join(f"{e};medewerkers" for e in STAFF)).encode()
    )
    alice_client.post(
        f"/scans/{scan.code}/invitees/",
        {"source": "upload", "upload-file": csv_file, "upload-group": directie.pk, "upload-language": "nl"},
    )
    assert scan.invitations.filter(group=directie).count() == 3
    assert scan.invitations.filter(group=medewerkers).count() == 5

    # 3. She sends the invitations: a worker sends eight e-mails, each with its own link.
    alice_client.post(f"/scans/{scan.code}/send/invitations/")
    detail = alice_client.get(f"/scans/{scan.code}/").content.decode()
    assert "8 uitnodigingen worden verstuurd" in detail, re.findall(r"<div class=\"messages\".*?</div>", detail, re.S)
    run_tasks()
    links = links_in_outbox()
    assert sorted(links) == sorted(DIRECTORS + STAFF)
    assert len(set(links.values())) == 8

    definition = instrument_version.parsed
    # 4. The first director answers page 1, closes the browser, comes back through the link and resumes.
    first = links[DIRECTORS[0]]
    anonymous = alice_client.__class__()
    pages = pages_for(definition, "self")
    assert anonymous.post(f"{first}2/", page_data(pages[0], definition, constant(4))).status_code == 200
    resumed = anonymous.get(first)
    assert resumed.status_code == 302
    assert resumed.url == f"{first}2/"
    page_one = anonymous.get(f"{first}1/").content.decode()
    # every item of page 1 comes back checked: 4, or 2 for the reverse-keyed ones
    checked = re.findall(r'value="(\d)" id="id_[a-z_]+_\d" checked', page_one)
    assert len(checked) == len(pages[0].scaled)
    assert set(checked) == {"4", "2"}
    answer_all(anonymous, first, definition, "self", constant(4))

    # ... and submits once more from a stale tab: nothing is stored twice.
    again = anonymous.post(first, page_data(pages[-1], definition, constant(4), "submit"))
    assert again.status_code == 200
    assert Response.objects.filter(scan=scan).count() == 1

    # 5. Everyone else answers: directors agree (4) with everything, staff disagree (2).
    for email in DIRECTORS[1:]:
        answer_all(alice_client.__class__(), links[email], definition, "self", constant(4))
    for email in STAFF:
        answer_all(alice_client.__class__(), links[email], definition, "others", constant(2))
    assert Response.objects.filter(scan=scan).count() == 8
    assert not ResponseDraft.objects.exists()
    assert Invitation.objects.filter(scan=scan, submitted=True).count() == 8

    # A used link shows a clear page, not the questionnaire.
    thanks = anonymous.get(first)
    assert thanks.status_code == 200
    assert "Bedankt" in thanks.content.decode()

    # 6. Before closing, the reader sees response rates but no figures.
    assert "nog niet beschikbaar" in bob_client.get(f"/scans/{scan.code}/results/").content.decode()
    alice_client.post(f"/scans/{scan.code}/close/")
    assert "worden berekend" in bob_client.get(f"/scans/{scan.code}/results/").content.decode()
    run_tasks()

    # 7. Results: agreeing (4) everywhere is (4 - 1) / 4 * 100 = 75; disagreeing (2) is 25.
    results = bob_client.get(f"/scans/{scan.code}/results/")
    assert results.status_code == 200
    page = results.content.decode()
    scores = results.context["results"].scores
    assert scores.self_view.pillars == {"verdiepen": 75, "mensen": 75, "adoptie": 75}
    assert scores.others_view.pillars == {"verdiepen": 25, "mensen": 25, "adoptie": 25}
    assert '<td class="number">75</td>' in page
    assert '<td class="number">25</td>' in page
    # The two reference questions were answered 4 (agree) by all three directors: 100% beside 90% and 70%.
    assert [ref.percentage for ref in results.context["results"].references] == [100, 100]
    assert "90%" in page
    assert "70%" in page
    # Response: everyone answered.
    assert [rate.rate for rate in results.context["results"].rates] == [100, 100]
    assert "<svg" in page
    assert len(mail.outbox) == 8
