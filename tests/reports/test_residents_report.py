"""The residents' part of both reports and of the figures file: the expectation gap and its blind spots,
worked out by hand in tests/results/resident_data.py, and PDFs that still render."""

import csv
import io
import json

import pytest
from pypdf import PdfReader

from roer.residents.models import ResidentSurvey
from tests.results.resident_data import BLIND_SPOTS, scan_with_residents
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_residents(organisation, instrument_version, alice):  # type: ignore[no-untyped-def]
    return scan_with_residents(organisation, instrument_version, alice)


def test_the_summary_states_the_top_blind_spots(bob_client, with_residents):
    page = bob_client.get(f"/scans/{with_residents.code}/report/summary/").content.decode()
    part = page[page.index('id="residents-summary-title"') :]
    # the three largest, in order: inw_mens (-75), inw_online (+43), inw_snel (+13); not the fourth
    first, second, third = (
        part.index(text) for text in ("met een mens kunnen praten", "online regelen.", "binnen twee dagen")
    )
    assert first < second < third
    assert "goed omgaat met mijn gegevens" not in part[: part.index("</ol>")]
    assert "the directors think 25 (\u221275)" in part or "de directie denkt 25 (\u221275)" in part


def test_the_full_report_has_the_residents_section_without_channel_links(bob_client, with_residents):
    page = bob_client.get(f"/scans/{with_residents.code}/report/full/").content.decode()
    assert 'id="residents"' in page
    assert "?residents=" not in page  # a report has no channel links
    assert "Graag alles in eenvoudige taal." in page
    assert "Nog niet bekeken antwoord." not in page
    # the open link has figures of its own: its gap table is printed too
    assert page.count("residents-chart-") >= 2


def test_the_figures_file_holds_the_residents_figures_and_the_gap(bob_client, with_residents):
    document = json.loads(bob_client.get(f"/scans/{with_residents.code}/figures.json").content)
    residents = document["residents"]
    assert residents["rules"]["threshold"] == 10
    assert residents["rules"]["gap_threshold"] == 12.5
    assert residents["responses"] == {
        "residents:open": 10,
        "residents:letter": 0,
        "residents:paper": 0,
        "residents:together": 10,
    }
    assert residents["excluded_from_bursts"] == 1
    cells = {(cell["group"], cell["family"], cell["code"]): cell for cell in residents["cells"]}
    online = cells[("residents:together", "resident_statement", "inw_online")]
    # raw sums of 1,1,2,2,2,3,3,3,4,5: recomputed as (26 / 10 - 1) / 4 * 100 = 40
    assert (online["n"], online["sum"], online["sum_of_squares"], online["agreeing"]) == (10, 26, 82, 2)
    assert (online["sum"] / online["n"] - 1) / 4 * 100 == pytest.approx(40.0)
    directors = cells[("directie", "perceived", "inw_online")]
    assert (directors["n"], directors["sum"], directors["sum_of_squares"]) == (3, 13, 57)
    website = cells[("residents:together", "resident_choice", "inw_kanaal:website")]
    assert (website["n"], website["sum"]) == (10, 6)
    hidden = {(cell["group"], cell["code"]): cell["reason"] for cell in residents["hidden"]}
    assert hidden[("residents:together", "inw_uitleg")] == "below_threshold"
    assert hidden[("residents:letter", "inw_online")] == "below_threshold"
    assert hidden[("directie", "inw_meedenken")] == "below_threshold"
    gaps = {(row["residents"], row["code"]): row for row in residents["expectation_gap"]}
    assert gaps[("residents:together", "inw_online")]["directors_gap"] == pytest.approx(250 / 3 - 40)
    assert ("residents:together", "inw_uitleg") not in gaps
    assert residents["blind_spots"]["residents:together"] == BLIND_SPOTS
    # the CSV carries the same cells
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(bob_client.get(f"/scans/{with_residents.code}/figures.csv").streaming_content).decode()
            )
        )
    )
    assert ["residents:together", "resident_statement", "inw_online", "10", "26", "82", "2", "", ""] in rows


def test_a_scan_without_a_survey_has_no_residents_in_its_figures_file(bob_client, with_residents):
    ResidentSurvey.objects.filter(scan=with_residents).delete()
    document = json.loads(bob_client.get(f"/scans/{with_residents.code}/figures.json").content)
    assert document["residents"] is None


def test_both_pdfs_render_with_the_residents_section(bob_client, with_residents):
    run_tasks(skip=())
    summary = bob_client.get(f"/scans/{with_residents.code}/report/summary.pdf")
    assert summary.status_code == 200, summary.content.decode()[:300]
    pages = PdfReader(io.BytesIO(b"".join(summary.streaming_content))).pages
    assert len(pages) == 1  # the summary stays one A4 page
    text = "".join(page.extract_text() for page in pages)
    assert "inwoners" in text.lower()
    full = bob_client.get(f"/scans/{with_residents.code}/report/full.pdf")
    assert full.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(full.streaming_content)))
    assert sum(len(page.images) for page in reader.pages) == 0  # the gap chart is drawn as vectors
