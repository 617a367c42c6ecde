"""Writing exports as CSV (streamed) or XLSX, so that no cell can run as a formula in a spreadsheet.

CSV, three defences, because a spreadsheet may read the file with another separator than it was written
with (Dutch Excel splits on `;`, others on `,` or a tab) and then ignores quotes that are not at the start
of what it takes for a field:
- a text cell with any separator a spreadsheet may use (`,` `;` tab), a line break or a quote in it is
  quoted (the csv module only quotes for its own separator): a reader that honours quotes keeps
  `tekst;=1+1` or a line break in one cell whatever separator it uses;
- a cell that starts with = + - @, a tab or a carriage return (the characters spreadsheets read as the
  start of a formula), also after spaces or quotes, gets an apostrophe in front: the cell as a whole is
  text;
- the same holds for every segment of a cell after a `;`, `,`, tab or line break: read by a spreadsheet
  that splits there anyway, each piece still starts with an apostrophe, never with a formula.
A segment that already starts with an apostrophe gets a second one, so `unescape_cell` gives back
exactly the text that was written.
Two CSV dialects: the plain one (comma, decimal point, no byte-order mark) for programs, and Excel-NL
(semicolon, decimal comma, a UTF-8 byte-order mark, CRLF), which Excel with Dutch regional settings opens
in columns by a double click; without them it shows every line in one column.
XLSX: every text is written as a string cell, which a spreadsheet never evaluates; nothing is changed. A
sheet has its header frozen, an autofilter and column widths; a date is a real date cell.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import IO

import xlsxwriter

from roer.reports.exports import Export

# Where a spreadsheet may start a new field or row: the start of the cell and after any of ; , tab CR LF.
_SEGMENT_START = r"(?:^|(?<=[;,\t\r\n]))"
# What makes a segment risky: a formula character, or an apostrophe (escaped too, so the text round-trips),
# after any spaces or quotes a spreadsheet would drop.
_RISKY_REST = r"(?=[ \"]*[=+\-@\t\r'])"
_RISKY_SEGMENT = re.compile(_SEGMENT_START + _RISKY_REST)
_ESCAPED_SEGMENT = re.compile(_SEGMENT_START + "'" + _RISKY_REST)


def escape_cell(value: object) -> object:
    """A number as it is (written unquoted, so it stays a number); anything else as text that no
    spreadsheet runs as a formula, however it splits the line."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return _RISKY_SEGMENT.sub("'", str(value))  # the same rule as _text_field, for callers of one cell


def unescape_cell(value: str) -> str:
    """The text as it was before `escape_cell`."""
    return _ESCAPED_SEGMENT.sub("", value)


_NEEDS_QUOTES = re.compile(r"[,;\t\r\n\"]")
# A text without any of these needs neither an apostrophe nor quotes: most texts, checked in one search.
_PLAIN = re.compile(r"[^,;\t\r\n\"=+\-@']*")
_NUMBERS = (int, float)


def _text_field(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if _PLAIN.fullmatch(text):
        return text
    text = _RISKY_SEGMENT.sub("'", text)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


class ExcelNl(csv.excel):
    """Excel with Dutch regional settings: the list separator is a semicolon (the comma is the decimal sign)."""

    delimiter = ";"


csv.register_dialect("excel-nl", ExcelNl)


@dataclass(frozen=True)
class CsvDialect:
    """A csv module dialect (separator, quote, line end) with what it leaves out: the decimal sign and
    whether the file starts with a byte-order mark."""

    name: str
    dialect: type[csv.Dialect]
    decimal: str
    bom: bool


PLAIN = CsvDialect("plain", csv.excel, decimal=".", bom=False)
EXCEL_NL = CsvDialect("excel-nl", ExcelNl, decimal=",", bom=True)
CSV_DIALECTS = {dialect.name: dialect for dialect in (PLAIN, EXCEL_NL)}


def csv_row(row: Sequence[object], dialect: CsvDialect = PLAIN) -> str:
    """One line of CSV in the dialect, every cell made safe from being read as a formula (quoted when it
    holds any separator, whatever the dialect's own); a number is written unquoted, so it stays a number."""
    # The type test inline, as this runs for every cell of a respondent export (mostly numbers and blanks).
    fields = [str(cell) if type(cell) in _NUMBERS else _text_field(cell) for cell in row]
    if dialect.decimal != ".":
        fields = [
            str(cell).replace(".", dialect.decimal) if type(cell) is float else field
            for cell, field in zip(row, fields, strict=True)
        ]
    return dialect.dialect.delimiter.join(fields) + dialect.dialect.lineterminator


def csv_lines(export: Export, dialect: CsvDialect = PLAIN) -> Iterator[str]:
    if dialect.bom:
        yield "\ufeff"  # a byte-order mark, so Excel reads the file as UTF-8
    yield csv_row(export.header, dialect)
    for row in export.rows:
        yield csv_row(row, dialect)


# Characters of the widest cell among the first rows, in Excel's character units, and the bounds of a width.
_WIDTH_SAMPLE = 200
_MIN_WIDTH, _MAX_WIDTH = 6, 60


def _widths(header: Sequence[object], rows: Sequence[Sequence[object]]) -> list[float]:
    """Column widths from the header and the first rows (the rest streams by, in constant memory)."""
    widths = [float(len(str(name)) + 2) for name in header]
    for row in rows:
        for column, value in enumerate(row[: len(widths)]):
            widths[column] = max(widths[column], len(str(value)) + 2.0)
    return [min(max(width, _MIN_WIDTH), _MAX_WIDTH) for width in widths]


def xlsx_file(export: Export) -> IO[bytes]:
    """The workbook in an anonymous temporary file (gone when closed), written in constant memory."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook = xlsxwriter.Workbook(
        handle,
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "dd-mm-yyyy"})
    for title, header, all_rows in [(export.name, export.header, export.rows), *export.sheets]:
        sheet = workbook.add_worksheet(title[:31])
        iterator = iter(all_rows)
        first = list(islice(iterator, _WIDTH_SAMPLE))
        rows = chain(first, iterator)
        for column, width in enumerate(_widths(header, first)):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(1, 0)
        for column, name in enumerate(header):
            sheet.write_string(0, column, str(name), bold)
        # The methods behind XlsxWriter's write_number and write_string: the public ones are decorators
        # that look for A1 notation and dispatch again, a third of the time of a 50,000-respondent export
        # (3.6 million cells). XlsxWriter's version is pinned in pyproject.toml, and the tests read
        # every export back (tests/reports).
        write_number, write_string = sheet._write_number, sheet._write_string
        number = 0
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                kind = type(value)
                if kind is int or kind is float:  # the most common cells first: this loop runs per cell
                    write_number(number, column, value, None)
                elif value is None or value == "" or kind is bool:
                    continue
                elif isinstance(value, int | float):
                    write_number(number, column, value, None)
                elif isinstance(value, datetime.date):
                    sheet.write_datetime(number, column, value, day)
                else:
                    write_string(number, column, str(value), None)
        if header:
            sheet.autofilter(0, 0, number, len(header) - 1)
    workbook.close()
    handle.seek(0)
    return handle
