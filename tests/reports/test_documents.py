"""Report PDFs and large exports are made by a worker, once per state of what they show, and served from
storage; a page says when one is still being made. Downloads are never cached, and expire."""

import datetime
import os

import pytest
import time_machine
from django.utils import timezone

from roer.audit.models import AuditAction, AuditEvent
from roer.lifecycle import documents
from roer.lifecycle.documents import expired_exports_delete
from roer.lifecycle.editing import scan_foreword_set
from roer.reports.models import ExportFile, ReportFile
from tests.tasks import queued, run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(monkeypatch):
    """Count the PDFs rendered, with a tiny stand-in for WeasyPrint (real PDFs: test_report.py)."""
    calls: list[str] = []

    def fake_render(html: str) -> bytes:
        calls.append(html)
        return b"%PDF-1.7 " + str(len(calls)).encode()

    monkeypatch.setattr(documents, "render_pdf", fake_render)
    return calls


def test_both_reports_in_both_languages_are_made_when_the_figures_are_published(closed, rendered):
    assert sorted((row.kind, row.language) for row in ReportFile.objects.filter(scan=closed)) == [
        ("full", "en"),
        ("full", "nl"),
        ("summary", "en"),
        ("summary", "nl"),
    ]
    assert len(queued("render_report")) == 4
    run_tasks(skip=())
    assert len(rendered) == 4


def test_a_pdf_is_rendered_once_and_then_served_from_storage(bob_client, closed, rendered):
    run_tasks(skip=())
    count = len(rendered)
    for _ in range(3):
        response = bob_client.get(f"/scans/{closed.code}/report/summary.pdf")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert len(rendered) == count  # served, not rendered again
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="roer-gemeente-alfa-')


def test_a_new_foreword_gives_new_pdfs_and_the_old_ones_are_never_served(bob_client, closed, rendered):
    run_tasks(skip=())
    old = ReportFile.objects.get(scan=closed, kind="summary", language="nl")
    scan_foreword_set(scan=closed, foreword="Voor het MT")
    waiting = bob_client.get(f"/scans/{closed.code}/report/summary.pdf")
    assert waiting.status_code == 202  # not the PDF without the foreword
    assert "De pdf wordt gemaakt" in waiting.content.decode()
    run_tasks(skip=())
    assert len(rendered) == 8
    assert all("Voor het MT" in html for html in rendered[4:])
    assert bob_client.get(f"/scans/{closed.code}/report/summary.pdf").status_code == 200
    assert not ReportFile.objects.filter(pk=old.pk).exists()  # the old file is gone from storage too


def test_a_pdf_whose_inputs_changed_is_made_when_asked_for(bob_client, closed, rendered, organisation):
    run_tasks(skip=())
    ReportFile.objects.all().delete()  # no file for today's report (after the peers changed, say)
    for _ in range(2):  # asked for twice: made once
        page = bob_client.get(f"/scans/{closed.code}/report/full.pdf")
        assert page.status_code == 202
        assert "De pdf wordt gemaakt" in page.content.decode()
    assert len(queued("render_report")) == 1
    run_tasks(skip=())
    assert bob_client.get(f"/scans/{closed.code}/report/full.pdf").status_code == 200


def test_a_new_title_of_a_published_scan_is_in_its_pdfs(bob_client, closed, rendered):
    from roer.lifecycle.editing import scan_update

    run_tasks(skip=())
    thresholds = {group.kind: group.threshold for group in closed.groups.all()}
    scan_update(
        scan=closed, title="Nieuwe titel", opens_on=closed.opens_on, closes_on=closed.closes_on, thresholds=thresholds
    )
    assert len(queued("render_report")) == 4  # made again at once, not only when someone asks
    run_tasks(skip=())
    assert bob_client.get(f"/scans/{closed.code}/report/summary.pdf").status_code == 200
    assert "Nieuwe titel" in rendered[-1]


def test_renaming_an_earlier_scan_gives_the_later_scans_report_a_new_pdf(
    bob_client, organisation, instrument_version, rendered
):
    """The full report names the earlier scan its progress is measured against."""
    from roer.lifecycle.editing import scan_update
    from tests.helpers import closed_scan_with

    today = timezone.localdate()
    earlier = closed_scan_with(
        organisation,
        instrument_version,
        {"medewerkers": [3] * 6},
        closes_on=today - datetime.timedelta(days=200),
        title="Eerste",
    )
    later = closed_scan_with(organisation, instrument_version, {"medewerkers": [4] * 6}, title="Tweede")
    run_tasks(skip=())
    thresholds = {group.kind: group.threshold for group in earlier.groups.all()}
    scan_update(
        scan=earlier, title="Nulmeting", opens_on=earlier.opens_on, closes_on=earlier.closes_on, thresholds=thresholds
    )
    assert bob_client.get(f"/scans/{later.code}/report/full.pdf").status_code == 202  # not the PDF saying "Eerste"
    run_tasks(skip=())
    assert bob_client.get(f"/scans/{later.code}/report/full.pdf").status_code == 200
    assert "Nulmeting" in rendered[-1]


def test_a_pdf_whose_task_failed_for_good_is_tried_again_when_asked_for(bob_client, closed, monkeypatch, settings):
    settings.ROER_TASK_ATTEMPTS = 1

    def out_of_memory(html: str) -> bytes:
        raise MemoryError("the worker ran out of memory once")

    monkeypatch.setattr(documents, "render_pdf", out_of_memory)
    run_tasks(skip=(), allow_failures=True)
    assert documents.files_follow_tasks() == 4
    monkeypatch.setattr(documents, "render_pdf", lambda html: b"%PDF-1.7 ok")  # the trouble has passed
    assert bob_client.get(f"/scans/{closed.code}/report/summary.pdf").status_code == 202  # not "not installed"
    run_tasks(skip=())
    assert bob_client.get(f"/scans/{closed.code}/report/summary.pdf").status_code == 200


def test_a_stored_pdf_whose_file_has_gone_is_made_again(bob_client, closed, rendered):
    run_tasks(skip=())
    stored = ReportFile.objects.get(scan=closed, kind="summary", language="nl")
    stored.file.storage.delete(stored.file.name)  # a database restored without its files
    assert bob_client.get(f"/scans/{closed.code}/report/summary.pdf").status_code == 202
    run_tasks(skip=())
    assert bob_client.get(f"/scans/{closed.code}/report/summary.pdf").status_code == 200


def test_a_server_without_pdf_libraries_says_so(bob_client, closed, monkeypatch):
    def missing(html: str) -> bytes:
        raise documents.PdfUnavailableError("libpango not found")

    monkeypatch.setattr(documents, "render_pdf", missing)
    run_tasks(skip=())
    response = bob_client.get(f"/scans/{closed.code}/report/summary.pdf")
    assert response.status_code == 503
    assert "kan op deze server niet worden gemaakt" in response.content.decode()
    assert queued("render_report") == []  # not tried again at every request
    monkeypatch.setattr(documents, "render_pdf", lambda html: b"%PDF-1.7 ok")  # the libraries were installed
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        bob_client.force_login(closed.organisation.memberships.get(role="lezer").user)
        assert bob_client.get(f"/scans/{closed.code}/report/summary.pdf").status_code == 202
        run_tasks(skip=())
        assert bob_client.get(f"/scans/{closed.code}/report/summary.pdf").status_code == 200


@pytest.fixture
def large(settings):
    settings.ROER_EXPORT_INLINE_MAX = 5  # the fixture's scan has 13 respondents


def test_a_small_scans_export_downloads_at_once(alice_client, closed):
    response = alice_client.get(f"/scans/{closed.code}/export/scores.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]


def test_a_large_scans_export_is_made_in_the_background_with_progress(alice, alice_client, closed, large):
    url = f"/scans/{closed.code}/export/respondents.xlsx"
    page = alice_client.get(url)
    assert "Maak de export" in page.content.decode()
    assert alice_client.post(url).status_code == 302
    waiting = alice_client.get(url).content.decode()
    assert "Wacht op een verwerker" in waiting
    run_tasks()
    export = ExportFile.objects.get(scan=closed)
    # the three directors; the eight staff are left out, as they would let the two managers be subtracted
    assert (export.status, export.rows_done, export.rows_total) == ("ready", 3, 3)
    ready = alice_client.get(url).content.decode()
    download = f"/scans/{closed.code}/exports/{export.code}/"
    assert download in ready
    response = alice_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # an xlsx is a zip file
    assert AuditEvent.objects.filter(user=alice, action=AuditAction.EXPORT_DOWNLOADED).count() == 1


def test_an_export_file_is_only_for_the_organisations_scan_managers(bob_client, charlie_client, alice, closed, large):
    export = documents.export_request(scan=closed, name="scores", extension="csv", language="nl", requested_by=alice)
    run_tasks()
    download = f"/scans/{closed.code}/exports/{export.code}/"
    assert bob_client.get(download).status_code == 403
    assert charlie_client.get(download).status_code == 404


def test_an_export_is_deleted_after_its_retention_period(alice, alice_client, closed, large):
    export = documents.export_request(scan=closed, name="scores", extension="csv", language="nl", requested_by=alice)
    run_tasks()
    export.refresh_from_db()
    path = export.file.path
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        alice_client.force_login(alice)  # a day later: a new session
        assert alice_client.get(f"/scans/{closed.code}/exports/{export.code}/").status_code == 404
        assert expired_exports_delete() == 1
    assert not ExportFile.objects.exists()
    assert not os.path.exists(path)


def test_a_benchmark_rebuild_that_changes_no_peer_keeps_the_pdfs(bob_client, closed, rendered, organisation):
    from roer.lifecycle.benchmarks import refresh_benchmarks
    from roer.lifecycle.organisations import organisation_benchmark_set

    organisation_benchmark_set(organisation=organisation, taking_part=True)
    refresh_benchmarks.call(closed.instrument_version_id)  # the nightly rebuild that lets it in
    run_tasks(skip=())
    assert bob_client.get(f"/scans/{closed.code}/report/full.pdf").status_code == 200
    count = len(rendered)
    refresh_benchmarks.call(closed.instrument_version_id)  # the nightly rebuild: the same peers, new rows
    assert bob_client.get(f"/scans/{closed.code}/report/full.pdf").status_code == 200
    assert len(rendered) == count


def test_pdfs_asked_for_before_the_peers_changed_are_made_as_the_report_is_when_rendered(
    bob_client, closed, rendered, organisation, instrument_version
):
    """The figures task queues the PDFs, then a benchmark rebuild changes the peers before the worker gets
    to them: the reader still gets the PDF at once, showing today's peers."""
    from roer.lifecycle.benchmarks import refresh_benchmarks
    from tests.factories import OrganisationFactory
    from tests.helpers import closed_scan_with

    organisation.benchmark_opt_in = True
    organisation.save(update_fields=["benchmark_opt_in"])
    for number in range(5):
        peer = OrganisationFactory(name=f"Peer {number}", benchmark_opt_in=True)
        closed_scan_with(peer, instrument_version, {"medewerkers": [number + 1] * 5})
    assert queued("render_report")  # still waiting for the worker
    refresh_benchmarks.call(instrument_version.pk)
    run_tasks(skip=())
    assert bob_client.get(f"/scans/{closed.code}/report/full.pdf").status_code == 200
    full_in_dutch = [html for html in rendered if "<title>Volledig rapport: Scan · Gemeente Alfa" in html]
    assert len(full_in_dutch) == 1
    assert "Mediaan" in full_in_dutch[0]  # rendered with the five peers, not before them
