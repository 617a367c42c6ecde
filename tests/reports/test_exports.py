"""Exports: aggregated scores, anonymous respondent rows and open answers, in CSV and XLSX, safe against
spreadsheet formulas and without personal data."""

import csv
import io

import openpyxl
import pytest

from roer.audit.models import AuditAction, AuditEvent
from roer.reports.exports import exported_keys
from roer.reports.writers import unescape_cell
from roer.results.selectors import scan_results
from roer.scans.models import AccessToken, Invitation
from tests.reports.conftest import TRICKY


def rows_of(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def sheet_of(response, title=None):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook[title] if title else workbook.worksheets[0]


def test_aggregated_scores_per_group_dimension_and_item(alice_client, closed):
    rows = rows_of(alice_client.get(f"/scans/{closed.code}/export/scores.csv"))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["groep", "niveau", "code", "naam", "n"]
    others = next(r for r in body if r[0] == "Alle anderen samen" and r[2] == "kennis")
    # eight staff at 25 and two managers at 50: score 30, mean on the scale 1 + 30 x 4/100 = 2.2;
    # sd of the scores sqrt((8 x 25 + 2 x 400) / 9) = 10.5409, on the scale x 0.04 = 0.4216
    assert others[4:8] == ["10", "2.2", "0.4216", "30.0"]
    managers = [r for r in body if r[0] == "Management" and r[1] == "dimensie"]
    assert managers
    assert all(r[5] == r[6] == r[7] == "" and r[9] for r in managers)  # below the threshold: no figures
    staff = next(r for r in body if r[0] == "Medewerkers" and r[2] == "kennis")
    assert staff[5:8] == ["", "", ""]  # hidden so the two managers cannot be subtracted from all others
    assert "kleinere groep" in staff[9]
    reverse_item = next(r for r in body if r[0] == "Alle anderen samen" and r[2] == "ken_onnodig")
    # reverse-keyed: staff answered 4 and managers 3 (mean 3.8); keyed 2 and 3 give 25 and 50 -> 30
    assert reverse_item[5] == "3.8"
    assert reverse_item[7] == "30.0"


def test_respondent_rows_leave_small_and_protecting_groups_out_and_carry_no_personal_data(alice_client, closed):
    results = scan_results(closed)
    # management (2) is below its threshold; staff is hidden beside all others to protect management; the
    # directors answered no development and no reference question, so only their statements and scores
    keys = exported_keys(results)
    assert set(keys) == {"directie"}
    statements = {item.code for item in closed.instrument_version.parsed.items()}
    assert statements <= keys["directie"]
    assert not {"ref_verandering", "ai_algoritmen__k"} & keys["directie"]
    response = alice_client.get(f"/scans/{closed.code}/export/respondents.csv")
    rows = rows_of(response)
    header, body = rows[0], rows[1:]
    assert len(body) == 3
    assert {row[1] for row in body} == {"Directie (zelfbeoordeling)"}
    assert not {"ingediend op", "submitted on", "taal", "language"} & {column.lower() for column in header}
    content = "\n".join(",".join(row) for row in rows)
    for invitation in Invitation.objects.filter(scan=closed):
        assert invitation.email not in content
    for token in AccessToken.objects.all():
        assert token.token_hash not in content
    assert not {"email", "e-mail", "token", "ip"} & {column.lower() for column in header}
    assert "open_verbeteren" not in header  # open answers never sit beside a respondent's scores


def test_respondent_rows_come_in_random_order(alice_client, organisation, instrument_version):
    from tests.helpers import closed_scan_with

    scan = closed_scan_with(organisation, instrument_version, {"medewerkers": [1, 2, 3, 4, 5] * 4})
    orders = set()
    for _ in range(5):
        table = rows_of(alice_client.get(f"/scans/{scan.code}/export/respondents.csv"))
        header, rows = table[0], table[1:]
        column = header.index("ken_tijd")
        orders.add(tuple(row[column] for row in rows))
        assert sorted(int(row[0]) for row in rows) == list(range(1, 21))
        assert sorted(row[column] for row in rows) == sorted(["1", "2", "3", "4", "5"] * 4)  # every answer
    assert len(orders) > 1


def test_open_answers_survive_a_csv_round_trip_and_cannot_run_as_formulas(alice_client, closed):
    rows = rows_of(alice_client.get(f"/scans/{closed.code}/export/open-answers.csv"))
    cells = [row[3] for row in rows[1:]]
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t"))
    assert sorted(unescape_cell(cell) for cell in cells) == sorted(TRICKY)


def test_open_answers_survive_an_xlsx_round_trip_as_plain_text(alice_client, closed):
    sheet = sheet_of(alice_client.get(f"/scans/{closed.code}/export/open-answers.xlsx"))
    cells = [row[3] for row in sheet.iter_rows(min_row=2)]
    assert sorted(cell.value for cell in cells) == sorted(TRICKY)
    assert {cell.data_type for cell in cells} == {"s"}  # strings, never formulas


def test_the_xlsx_exports_open_and_hold_the_same_scores(alice_client, closed):
    sheet = sheet_of(alice_client.get(f"/scans/{closed.code}/export/scores.xlsx"))
    others = next(
        row
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0] == "Alle anderen samen" and row[2] == "kennis"
    )
    assert others[4:8] == (10, 2.2, 0.4216, 30)
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(alice_client.get(f"/scans/{closed.code}/export/respondents.xlsx").streaming_content))
    )
    assert workbook.sheetnames[:2] == ["respondents", "codes"]  # and a third on the scan and its dates


@pytest.mark.parametrize("name", ["scores.csv", "respondents.xlsx", "open-answers.csv"])
def test_only_scan_managers_export_and_outsiders_see_nothing(bob_client, charlie_client, client, closed, name):
    assert bob_client.get(f"/scans/{closed.code}/export/{name}").status_code == 403
    assert charlie_client.get(f"/scans/{closed.code}/export/{name}").status_code == 404
    assert client.get(f"/scans/{closed.code}/export/{name}").status_code == 302
    assert not AuditEvent.objects.exists()


def test_an_unknown_export_or_format_is_a_404(alice_client, closed):
    assert alice_client.get(f"/scans/{closed.code}/export/emails.csv").status_code == 404
    assert alice_client.get(f"/scans/{closed.code}/export/scores.json").status_code == 404


def test_every_export_is_in_the_audit_log(alice, alice_client, closed):
    alice_client.get(f"/scans/{closed.code}/export/respondents.xlsx")
    event = AuditEvent.objects.get()
    assert (event.user, event.action) == (alice, AuditAction.EXPORT_DOWNLOADED)
    assert event.subject.endswith("respondents.xlsx")
