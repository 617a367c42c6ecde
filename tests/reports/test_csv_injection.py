"""CSV and XLSX exports cannot run a formula in a spreadsheet, also when the spreadsheet splits the file on
another separator than it was written with (Dutch Excel splits on `;`), and ordinary text and numbers come
out unchanged (issue 12)."""

import csv
import io
import re

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from roer.reports.writers import csv_row, escape_cell, unescape_cell
from roer.responses.models import OpenAnswer, Response
from tests.groups import GroupKind
from tests.helpers import closed_scan_with, publish_open_answers

HOSTILE = [
    "tekst;=1+1",
    '=HYPERLINK("https://example.org")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "a,=1",
    "a\t=1",
    "a\n=1",
    "a\r\n=1",
    " =1",
    '"; =1',
    '"=1',
    'x;"=1',
    "a; -1",
    "\t=1",
    "\r=1",
    "a;\t\t=1",
    "'=1",
    "a;'@x",
]
ORDINARY = ["Gewoon een antwoord", "Komma, punt. Puntkomma; klaar", "Twee\nregels", "100%", "e-mail"]
SEPARATORS = [",", ";", "\t"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number we wrote ourselves (unquoted), which a spreadsheet reads as a number, not as a formula.
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def risky(field: str) -> bool:
    """Whether a spreadsheet would read the field as a formula: it starts with a formula character, after
    the spaces and quotes a spreadsheet drops, and is not simply a number."""
    start = field.lstrip(' "')
    return start.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(start)


def fields_read_with(text: str, separator: str) -> list[str]:
    """The fields a spreadsheet may see in the file: parsed with quotes honoured, and split bluntly at the
    separator and at line breaks, as a reader that ignores quotes not at the start of a field would."""
    parsed = [field for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator) for field in row]
    blunt = [field for line in re.split(r"[\r\n]", text) for field in line.split(separator)]
    return parsed + blunt


def csv_text(rows) -> str:  # type: ignore[no-untyped-def]
    return "".join(csv_row(row) for row in rows)


@pytest.mark.parametrize("cell", HOSTILE)
@pytest.mark.parametrize("separator", SEPARATORS)
def test_no_field_starts_a_formula_whatever_separator_the_spreadsheet_uses(cell, separator):
    text = csv_text([["code", cell, 3], [cell, 2.5, cell]])
    assert not [field for field in fields_read_with(text, separator) if risky(field)]


@pytest.mark.parametrize("cell", HOSTILE + ORDINARY)
def test_a_cell_with_any_separator_a_line_break_or_a_quote_is_quoted_and_reads_back_as_written(cell):
    line = csv_row([cell])
    # kept in one piece by any reader that honours quotes, whichever of these it splits on
    assert line.startswith('"') == any(character in cell for character in ',;\t\r\n"')
    [[read]] = list(csv.reader(io.StringIO(line, newline="")))
    assert unescape_cell(read) == cell


@pytest.mark.parametrize("cell", ORDINARY)
def test_ordinary_text_is_not_changed(cell):
    assert escape_cell(cell) == cell


def test_numbers_stay_unquoted_numbers_a_negative_one_too():
    line = csv_row([1, 2.2, 0.4216, 30.0, -0.5, "", None, "dk"])
    assert line == "1,2.2,0.4216,30.0,-0.5,,,dk\r\n"
    [row] = list(csv.reader(io.StringIO(line, newline="")))
    assert [float(field) for field in row[:5]] == [1, 2.2, 0.4216, 30.0, -0.5]


@given(st.text(alphabet=st.sampled_from(list("a =+-@'\";,\t\r\n1")), max_size=12))
def test_any_text_round_trips_and_no_piece_of_it_starts_a_formula(text):
    escaped = escape_cell(text)
    assert unescape_cell(escaped) == text
    assert not [segment for segment in re.split(r"[;,\t\r\n]", escaped) if risky(segment)]
    line = csv_row([1, text, 2])
    [[_one, read, _two]] = list(csv.reader(io.StringIO(line, newline="")))
    assert read == escaped
    for separator in SEPARATORS:
        assert not [field for field in fields_read_with(line, separator) if risky(field)]


@pytest.fixture
def hostile_scan(organisation, instrument_version):
    """Staff whose open answers are each a formula attempt; the directors answered none."""
    scan = closed_scan_with(organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [2] * 20})
    staff = Response.objects.filter(scan=scan, group__kind=GroupKind.MEDEWERKERS).order_by("id")
    for response, text in zip(staff, HOSTILE, strict=False):
        OpenAnswer.objects.create(
            response=response, scan=response.scan, group=response.group, code="open_verbeteren", text=text
        )
    return publish_open_answers(scan)


@pytest.mark.parametrize("path", ["export/open-answers.csv", "export/scores.csv", "figures.csv"])
@pytest.mark.parametrize("separator", SEPARATORS)
def test_the_csv_downloads_start_no_formula_read_with_any_separator(alice_client, hostile_scan, path, separator):
    response = alice_client.get(f"/scans/{hostile_scan.code}/{path}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert not [field for field in fields_read_with(text, separator) if risky(field)]


def test_the_open_answers_csv_gives_back_every_hostile_answer_as_written(alice_client, hostile_scan):
    response = alice_client.get(f"/scans/{hostile_scan.code}/export/open-answers.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"), newline="")))
    assert sorted(unescape_cell(row[3]) for row in rows[1:]) == sorted(HOSTILE)


def test_the_open_answers_xlsx_holds_every_hostile_answer_as_a_plain_string(alice_client, hostile_scan):
    response = alice_client.get(f"/scans/{hostile_scan.code}/export/open-answers.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cells = [row[3] for row in sheet.iter_rows(min_row=2)]
    # unchanged, as a string cell never runs; openpyxl leaves the XML escape of a carriage return as it is
    assert sorted(cell.value.replace("_x000D_", "\r") for cell in cells) == sorted(HOSTILE)
    assert {cell.data_type for cell in cells} == {"s"}  # strings, never formulas ("f")
