"""Writing exports as CSV (streamed) or XLSX, so that no cell can run as a formula in a spreadsheet.

CSV: a cell that starts with = + - @, a tab or a carriage return (the characters spreadsheets read as the
start of a formula) gets an apostrophe in front, and so does a cell that already starts with an
apostrophe; `unescape_cell` removes exactly that one apostrophe, so the text round-trips unchanged.
XLSX: every text is written as a string cell, which a spreadsheet never evaluates; nothing is changed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO

import xlsxwriter

from roer.reports.exports import Export

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def escape_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith("'") and len(value) > 1 and value[1] in "=+-@\t\r'" else value


class _Echo:
    """A file-like object whose write returns the line, for streaming the csv module's output."""

    def write(self, value: str) -> str:
        return value


_WRITER = csv.writer(_Echo())


def csv_row(row: Sequence[object]) -> str:
    """One line of CSV, every cell made safe from being read as a formula."""
    line: str = _WRITER.writerow([escape_cell(cell) for cell in row])
    return line


def csv_lines(export: Export) -> Iterator[str]:
    yield "\ufeff"  # a byte-order mark, so spreadsheets read the file as UTF-8
    yield csv_row(export.header)
    for row in export.rows:
        yield csv_row(row)


def xlsx_file(export: Export) -> IO[bytes]:
    """The workbook in an anonymous temporary file (gone when closed), written in constant memory."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook = xlsxwriter.Workbook(
        handle,
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = workbook.add_format({"bold": True})
    for title, header, rows in [(export.name, export.header, export.rows), *export.sheets]:
        sheet = workbook.add_worksheet(title[:31])
        for column, name in enumerate(header):
            sheet.write_string(0, column, str(name), bold)
        write_number, write_string = sheet.write_number, sheet.write_string
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                kind = type(value)
                if kind is int or kind is float:  # the most common cells first: this loop runs per cell
                    write_number(number, column, value)
                elif value is None or value == "" or kind is bool:
                    continue
                elif isinstance(value, int | float):
                    write_number(number, column, value)
                else:
                    write_string(number, column, str(value))
    workbook.close()
    handle.seek(0)
    return handle
