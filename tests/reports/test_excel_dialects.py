"""CSV in two dialects (plain, and Excel-NL for Excel with Dutch settings) and a workbook that opens ready
to work with: a frozen header, a filter, column widths and real date cells."""

import csv
import datetime
import io

import openpyxl

from roer.reports.writers import unescape_cell
from tests.reports.conftest import TRICKY

BOM = b"\xef\xbb\xbf"


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_excel_nl_csv_has_a_bom_semicolons_and_decimal_commas(alice_client, closed):
    response = alice_client.get(f"/scans/{closed.code}/export/scores.csv?dialect=excel-nl")
    assert response.status_code == 200
    assert "excel-nl.csv" in response["Content-Disposition"]
    data = body_of(response)
    assert data.startswith(BOM)
    text = data[len(BOM) :].decode("utf-8")
    assert "\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0][:5] == ["groep", "niveau", "code", "naam", "n"]
    others = next(row for row in rows if row[0] == "Alle anderen samen" and row[2] == "kennis")
    # the figures of tests/reports/test_exports.py: n 10, mean 2.2, sd 0.4216, score 30, now with commas
    assert others[4:8] == ["10", "2,2", "0,4216", "30,0"]
    assert '"2,2"' not in text  # a number stays unquoted, so Excel reads it as a number


def test_the_plain_csv_has_commas_decimal_points_and_no_bom(alice_client, closed):
    data = body_of(alice_client.get(f"/scans/{closed.code}/export/scores.csv"))
    assert not data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    others = next(row for row in rows if row[0] == "Alle anderen samen" and row[2] == "kennis")
    assert others[4:8] == ["10", "2.2", "0.4216", "30.0"]
    assert alice_client.get(f"/scans/{closed.code}/export/scores.csv?dialect=plain").status_code == 200


def test_hostile_open_answers_survive_the_excel_nl_dialect_whole(alice_client, closed):
    data = body_of(alice_client.get(f"/scans/{closed.code}/export/open-answers.csv?dialect=excel-nl"))
    rows = list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline=""), delimiter=";"))
    answers = [unescape_cell(row[3]) for row in rows[1:]]
    assert sorted(answers) == sorted(TRICKY)  # a comma, a quote, a line break: each cell stays one cell
    assert all(not row[3].startswith(("=", "+", "-", "@")) for row in rows[1:])


def test_the_figures_csv_comes_in_the_excel_nl_dialect_too(alice_client, closed):
    data = body_of(alice_client.get(f"/scans/{closed.code}/figures.csv?dialect=excel-nl"))
    assert data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline=""), delimiter=";"))
    assert rows[0][:4] == ["group", "family", "code", "n"]
    assert all(len(row) == len(rows[0]) for row in rows)


def test_an_unknown_dialect_is_a_404(alice_client, closed):
    assert alice_client.get(f"/scans/{closed.code}/export/scores.csv?dialect=excel-fr").status_code == 404
    assert alice_client.get(f"/scans/{closed.code}/figures.csv?dialect=tab").status_code == 404


def test_the_dialect_changes_nothing_about_who_may_export(bob_client, charlie_client, closed):
    assert bob_client.get(f"/scans/{closed.code}/export/scores.csv?dialect=excel-nl").status_code == 403
    assert charlie_client.get(f"/scans/{closed.code}/export/scores.csv?dialect=excel-nl").status_code == 404


def test_the_workbook_has_a_frozen_header_a_filter_widths_and_date_cells(alice_client, closed):
    data = body_of(alice_client.get(f"/scans/{closed.code}/export/scores.xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2"
    # ten columns (group .. note), from the header to the last row
    assert sheet.auto_filter.ref == f"A1:J{sheet.max_row}"
    assert sheet.max_row > 1
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJ"]
    assert all(6 <= width <= 61 for width in widths)  # set 6..60 characters; the file adds the padding
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["E"].width  # names are wider than n
    about = workbook.worksheets[-1]
    # organisation, scan, opens on, closes on, closed on, exported on
    values = [row[1] for row in about.iter_rows(min_row=2)]
    assert values[0].value == closed.organisation.name
    opens, exported = values[2], values[5]
    assert isinstance(opens.value, datetime.datetime)  # a real date, not a string
    assert opens.value.date() == closed.opens_on
    assert "yy" in opens.number_format
    assert "dd" in opens.number_format
    assert exported.value.date() == datetime.date(2026, 3, 16)  # the fixed clock's day, no time of day
    assert about.freeze_panes == "A2"


def test_every_sheet_of_the_respondents_workbook_is_ready_to_filter(alice_client, closed):
    data = body_of(alice_client.get(f"/scans/{closed.code}/export/respondents.xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None
        assert sheet.auto_filter.ref.startswith("A1:")
