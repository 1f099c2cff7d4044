"""What every file the application writes for a spreadsheet shares: CSV that French
spreadsheets open as it is (UTF-8 with a BOM, `;` between cells) and XLSX cells that show
dates the French way and never turn a text into a formula.

Used by the exchange export (files the import reads back) and by the monthly extraction.
"""

import csv
import datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV_ENCODING = "utf-8-sig"


def csv_writer(stream):
    """A writer for a text stream opened with `CSV_ENCODING` and `newline=""`."""
    return csv.writer(stream, delimiter=";", lineterminator="\r\n")


def xlsx_cell(sheet, value):
    """A value for `sheet.append` in openpyxl's write-only mode."""
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD/MM/YYYY HH:MM"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    if isinstance(value, str) and value:
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            return cell
    return value
