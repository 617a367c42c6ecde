"""The board report: key messages written from the data, the same HTML as page and PDF, access, audit."""

import io

import pytest
from pypdf import PdfReader

from roer.audit.models import AuditAction, AuditEvent
from roer.reports.messages import key_messages
from roer.results.selectors import scan_results
from tests.tasks import run_tasks


def test_the_key_messages_follow_from_the_data(closed):
    messages = key_messages(scan_results(closed))
    # others: 8 staff at 25 and 2 managers at 50 -> (200 + 100) / 10 = 30 on every dimension: level 2
    assert [(level.code, level.band.level, level.score) for level in messages.pillars] == [
        ("verdiepen", 2, 30),
        ("mensen", 2, 30),
        ("adoptie", 2, 30),
    ]
    # directors 100 against others 30: a blind spot of 70 points everywhere
    assert messages.largest_blind_spot.difference == 70
    # the three weakest dimensions (all 30, so by code) with the next step their level recommends
    assert [level.code for level in messages.next_steps] == ["ervaringen", "expertise", "impact"]
    assert (
        messages.next_steps[0].recommendation
        == closed.instrument_version.parsed.dimension("ervaringen").recommendations[1]
    )
    assert not messages.has_previous
    assert not messages.benchmark_taking_part


def test_the_summary_page_states_the_messages_in_dutch(bob_client, closed):
    page = bob_client.get(f"/scans/{closed.code}/report/summary/").content.decode()
    assert "niveau 2, Verkennend (30)" in page
    assert "+70" in page
    assert "Drie aanbevolen volgende stappen" in page
    assert '<html lang="nl">' in page


def test_the_full_report_has_every_section_and_the_open_answers(bob_client, closed):
    page = bob_client.get(f"/scans/{closed.code}/report/full/").content.decode()
    for section in (
        "key-messages-title",
        "self-versus-others",
        "strengths",
        "levels",
        "benchmark",
        "progress",
        "scores",
        "open-answers",
    ):
        assert section in page, section
    assert "+31 6 12345678" in page  # eight staff: at the open-answer threshold of 7


def downloaded_pdf(client, scan, kind):  # type: ignore[no-untyped-def]
    """The PDF as a reader gets it once the worker has rendered it."""
    run_tasks(skip=())
    response = client.get(f"/scans/{scan.code}/report/{kind}.pdf")
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def test_the_pdf_is_one_a4_page_with_title_language_and_tags(bob_client, closed):
    response = downloaded_pdf(bob_client, closed, "summary")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert "Managementsamenvatting" in reader.metadata.title
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nl"
    assert "/StructTreeRoot" in catalog
    text = reader.pages[0].extract_text()
    assert "Verkennend" in text


def test_the_full_pdf_carries_its_charts_as_vectors(bob_client, closed):
    response = downloaded_pdf(bob_client, closed, "full")
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) > 3
    # Charts are drawn as vector paths, not embedded pictures. The one picture allowed is the colour-emoji glyph
    # of an open answer (😀 in the fixture): Noto Color Emoji draws it from a 136 x 128 bitmap.
    pictures = {image.image.size for page in reader.pages for image in page.images}
    assert pictures <= {(136, 128)}


def test_the_report_is_english_on_request(bob_client, closed):
    bob_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = bob_client.get(f"/scans/{closed.code}/report/summary/").content.decode()
    assert "level 2, Exploring (30)" in page
    reader = PdfReader(io.BytesIO(b"".join(downloaded_pdf(bob_client, closed, "summary").streaming_content)))
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_a_scan_manager_adds_a_foreword_that_both_reports_print(alice_client, bob_client, closed):
    response = alice_client.post(
        f"/scans/{closed.code}/report/foreword/", {"foreword": "Voor het MT van 3 maart.", "kind": "full"}
    )
    assert response.status_code == 302
    assert "Voor het MT van 3 maart." in bob_client.get(f"/scans/{closed.code}/report/summary/").content.decode()
    assert "Voor het MT van 3 maart." in bob_client.get(f"/scans/{closed.code}/report/full/").content.decode()


def test_a_foreword_that_is_too_long_is_refused_and_the_old_one_kept(alice_client, closed):
    alice_client.post(f"/scans/{closed.code}/report/foreword/", {"foreword": "Kort."})
    response = alice_client.post(f"/scans/{closed.code}/report/foreword/", {"foreword": "x" * 2001}, follow=True)
    assert "2000" in response.content.decode()
    closed.refresh_from_db()
    assert closed.report_foreword == "Kort."


def test_a_reader_cannot_write_the_foreword(bob_client, closed):
    assert bob_client.post(f"/scans/{closed.code}/report/foreword/", {"foreword": "x"}).status_code == 403


@pytest.mark.parametrize("path", ["report/summary/", "report/full/", "report/summary.pdf", "report/full.pdf"])
def test_only_members_fetch_a_report(charlie_client, client, closed, path):
    assert charlie_client.get(f"/scans/{closed.code}/{path}").status_code == 404
    response = client.get(f"/scans/{closed.code}/{path}")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_an_open_scan_has_no_report_yet(bob_client, scan):
    assert bob_client.get(f"/scans/{scan.code}/report/summary/").status_code == 404


def test_an_unknown_report_kind_is_a_404(bob_client, closed):
    assert bob_client.get(f"/scans/{closed.code}/report/secret/").status_code == 404


def test_every_report_fetch_is_in_the_audit_log(bob, bob_client, closed):
    bob_client.get(f"/scans/{closed.code}/report/summary/")
    downloaded_pdf(bob_client, closed, "full")
    events = list(AuditEvent.objects.order_by("at"))
    assert [(e.user, e.action, e.organisation) for e in events] == [
        (bob, AuditAction.REPORT_VIEWED, closed.organisation),
        (bob, AuditAction.REPORT_DOWNLOADED, closed.organisation),
    ]
    assert events[1].subject.endswith("full.pdf")
    assert events[1].user_email == "bob@alfa.example"
