"""The one writer of every file the application makes for a spreadsheet: the exchange
export, the monthly extraction, the cohort study's workbook, and any report to come.

A file is declared as data: `Table`s of `Column`s, each with its French header, how its
value is read from a row (a key or a function) and its `CellFormat`. The same declaration
writes a streaming XLSX workbook (openpyxl's write-only mode: one row in memory at a time)
and CSV files that French spreadsheets open as they are (UTF-8 with a BOM, `;` between
cells, dates 31/12/2026, decimal comma).

A CSV cell is text to whoever opens it: one that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return would run as a formula. Text cells are neutralised the OWASP way, with a
leading apostrophe (`neutralised`); the importer takes it off again (`restored`), so that an
export reads back unchanged. Numbers and dates are written as such and never prefixed. In a
workbook, a text cell is always a string cell: it never runs.
"""

from __future__ import annotations

import abc
import contextlib
import csv
import dataclasses
import datetime
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from plie.core import formatting

CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: Excel reads the accents right
CSV_DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def neutralised(text: str) -> str:
    """A text that no spreadsheet runs as a formula: « =1+1 » → « '=1+1 ».

    A text that already starts with the apostrophe before such a character (or before
    another apostrophe) gets one more, so that `restored` gives back exactly what was
    written, whatever it was."""
    if text.startswith(FORMULA_STARTS) or (
        text.startswith(GUARD) and text[1:2] and text[1:].startswith((*FORMULA_STARTS, GUARD))
    ):
        return GUARD + text
    return text


def restored(text: str) -> str:
    """The text `neutralised` was given: the importer's reading of a CSV cell."""
    if text.startswith(GUARD) and text[1:].startswith((*FORMULA_STARTS, GUARD)):
        return text[1:]
    return text


# Cell formats -----------------------------------------------------------------------------


class CellFormat(abc.ABC):
    """How a value is written: a typed XLSX cell, and the text of a CSV cell."""

    number_format: str | None = None  # the XLSX display format

    def cell(self, value: Any) -> Any:
        """The value of an XLSX cell (None: an empty cell)."""
        return value

    @abc.abstractmethod
    def text(self, value: Any) -> str:
        """The text of a CSV cell ("" for nothing)."""


class Text(CellFormat):
    """Any value written as text (a label, a code, « oui », « < 5 »)."""

    def cell(self, value):
        return None if value is None or value == "" else str(value)

    def text(self, value):
        return "" if value is None else neutralised(str(value))


class Integer(CellFormat):
    def text(self, value):
        return "" if value is None else str(int(value))


@dataclasses.dataclass(frozen=True)
class Decimals(CellFormat):
    """A decimal number, rounded to `places` by the project's rule (core.formatting)."""

    places: int

    def cell(self, value):
        return None if value is None else float(formatting.rounded(value, self.places))

    def text(self, value):
        return (
            "" if value is None else formatting.plain_number(formatting.rounded(value, self.places))
        )


class Exact(CellFormat):
    """A decimal number written as it is stored (weekly hours: 17,5 ; 35)."""

    def text(self, value):
        return "" if value is None else formatting.plain_number(value)


class Day(CellFormat):
    number_format = "DD/MM/YYYY"

    def text(self, value):
        return "" if value is None else formatting.day(value)


class Moment(CellFormat):
    """A date and time, given in local time without a zone (as openpyxl needs them)."""

    number_format = "DD/MM/YYYY HH:MM"

    def text(self, value):
        return "" if value is None else formatting.clock(value)


class Count(CellFormat):
    """A count as an audience may read it: a number, or a hidden count's mark as text."""

    def cell(self, value):
        return value if isinstance(value, int) else str(value)

    def text(self, value):
        if value is None:
            return ""
        return str(value) if isinstance(value, int) else neutralised(str(value))


class Mixed(CellFormat):
    """A column of mixed values (a summary's « Valeur »): each written as its type."""

    def _format(self, value) -> CellFormat:
        if isinstance(value, datetime.datetime):
            return MOMENT
        if isinstance(value, datetime.date):
            return DAY
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return TEXT
        return INTEGER if isinstance(value, int) else Decimals(1)

    def cell(self, value):
        return self._format(value).cell(value)

    def text(self, value):
        return self._format(value).text(value)

    def number_format_of(self, value) -> str | None:
        return self._format(value).number_format


TEXT = Text()
INTEGER = Integer()
EXACT = Exact()
DAY = Day()
MOMENT = Moment()
COUNT = Count()
MIXED = Mixed()


# Tables ----------------------------------------------------------------------------------

Row = Any
Read = str | Callable[[Row], Any]


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a file: its French header, how its value is read, how it is written."""

    header: str
    read: Read  # a key of the row (a dict), or a function of the row
    format: CellFormat = TEXT

    def value(self, row: Row) -> Any:
        return row[self.read] if isinstance(self.read, str) else self.read(row)


@dataclasses.dataclass(frozen=True)
class Table:
    """A sheet of a workbook, or one CSV file: columns, and rows read as they are written."""

    name: str  # the CSV file's name without .csv (plain letters, for any system)
    title: str  # the workbook's tab
    columns: Sequence[Column]
    rows: Iterable[Row]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


Progress = Callable[[], None]  # called once per row written


def _empty(value) -> bool:
    return value is None or value == ""


def _xlsx_cell(sheet, column: Column, value) -> Any:
    if _empty(value):
        return None
    fmt = column.format
    written = fmt.cell(value)
    if isinstance(written, str):
        # Characters XML forbids are dropped; a string cell never runs as a formula.
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", written))
        cell.data_type = "s"
        return cell
    number_format = fmt.number_format_of(value) if isinstance(fmt, Mixed) else fmt.number_format
    if number_format is None:
        return written
    cell = WriteOnlyCell(sheet, written)
    cell.number_format = number_format
    return cell


def write_xlsx(target: Path | IO[bytes], tables: Iterable[Table], progress: Progress | None = None):
    """A workbook, one sheet per table, ready to sort and filter: bold headers frozen at
    the top with a filter, columns as wide as their header."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(table.title)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(table.columns), 1))}1"
        for index, column in enumerate(table.columns, start=1):
            width = min(max(len(column.header), 10) + 4, 45)
            sheet.column_dimensions[get_column_letter(index)].width = width
        headers = []
        for header in table.headers:
            cell = WriteOnlyCell(sheet, header)
            cell.font = bold
            headers.append(cell)
        sheet.append(headers)
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, c, c.value(row)) for c in table.columns])
            if progress:
                progress()
    workbook.save(target)


def write_csv(stream: IO[bytes], table: Table, progress: Progress | None = None) -> None:
    """One CSV file on a binary stream (a file, a ZIP entry): BOM, `;`, CRLF lines. The
    caller closes its own stream."""
    text = io.TextIOWrapper(stream, encoding=CSV_ENCODING, newline="")
    try:
        writer = csv.writer(text, delimiter=CSV_DELIMITER, lineterminator="\r\n")
        writer.writerow([neutralised(header) for header in table.headers])
        for row in table.rows:
            writer.writerow([_csv_text(column, column.value(row)) for column in table.columns])
            if progress:
                progress()
    finally:
        text.flush()
        text.detach()


def _csv_text(column: Column, value) -> str:
    return "" if _empty(value) else column.format.text(value)


def xlsx_bytes(tables: Iterable[Table]) -> bytes:
    """A small workbook in memory, for a page to send (a cohort study)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, tables)
    return buffer.getvalue()


@contextlib.contextmanager
def written_in_place(path: Path, suffix: str = ".part") -> Iterator[Path]:
    """A temporary path beside `path`, renamed to it when the block ends without error:
    a failed export leaves no half file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
