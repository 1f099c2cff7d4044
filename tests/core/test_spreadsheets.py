"""The one spreadsheet writer: CSV that French spreadsheets open (BOM, `;`), formulas that
cannot run, and a workbook whose numbers and dates are numbers and dates."""

import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from plie.core.spreadsheets import (
    COUNT,
    DAY,
    EXACT,
    INTEGER,
    MIXED,
    MOMENT,
    TEXT,
    Column,
    Decimals,
    Table,
    neutralised,
    restored,
    write_csv,
    write_xlsx,
    written_in_place,
)
from plie.core.suppression import SMALL

DANGEROUS = ["=1+1", "+33 6 12 34 56 78", "-2", "@SUM(A1)", "\tindent", "\rreturn"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_that_would_run_as_a_formula_gets_an_apostrophe(text):
    assert neutralised(text) == "'" + text
    assert restored(neutralised(text)) == text


@pytest.mark.parametrize("text", ["Dupont", "O'Brien", "'", "'abc", "", "12", "é=mc2"])
def test_an_ordinary_text_is_left_alone(text):
    assert neutralised(text) == text
    assert restored(text) == text


def test_a_text_that_already_starts_with_the_apostrophe_comes_back_as_it_was():
    assert neutralised("'=1") == "''=1"
    assert restored("''=1") == "'=1"
    assert neutralised("''") == "'''"
    assert restored("'''") == "''"


@given(st.text())
def test_whatever_the_text_it_comes_back_and_never_starts_a_formula(text):
    written = neutralised(text)
    assert restored(written) == text
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))


ROWS = [
    {
        "name": '=HYPERLINK("http://x")',
        "born": datetime.date(1990, 3, 5),
        "seen": datetime.datetime(2026, 11, 2, 14, 30),
        "children": -1,
        "months": 15.75,
        "hours": Decimal("17.5"),
        "people": SMALL,
        "value": datetime.date(2026, 1, 1),
    },
    {
        "name": "Durand",
        "born": None,
        "seen": None,
        "children": 2,
        "months": None,
        "hours": None,
        "people": 12,
        "value": 3,
    },
]
COLUMNS = [
    Column("Nom", "name"),
    Column("Né(e) le", "born", DAY),
    Column("Vu(e) le", "seen", MOMENT),
    Column("Enfants", "children", INTEGER),
    Column("Durée (mois)", "months", Decimals(1)),
    Column("Heures", "hours", EXACT),
    Column("Personnes", "people", COUNT),
    Column("Valeur", "value", MIXED),
    Column("Calculé", lambda row: row["children"] * 2, INTEGER),
]


def test_a_csv_file_is_utf8_with_a_bom_semicolons_and_french_values():
    stream = io.BytesIO()
    write_csv(stream, Table("essai", "Essai", COLUMNS, ROWS))
    raw = stream.getvalue()
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Nom;Né(e) le;Vu(e) le;Enfants;Durée (mois);Heures;Personnes;Valeur;Calculé"
    # The formula is neutralised (and quoted, for its quotes); numbers, -1 too, and dates are
    # written as such.
    assert lines[1] == (
        '"\'=HYPERLINK(""http://x"")";05/03/1990;02/11/2026 14:30;-1;15,8;17,5;< 5;01/01/2026;-2'
    )
    assert lines[2] == "Durand;;;2;;;12;3;4"


def test_a_workbook_keeps_numbers_and_dates_typed_and_text_inert(tmp_path):
    path = tmp_path / "essai.xlsx"
    write_xlsx(path, [Table("essai", "Essai", COLUMNS, ROWS)])
    sheet = load_workbook(path)["Essai"]
    first = [cell.value for cell in sheet[2]]
    assert first[0] == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"  # never run
    assert first[1] == datetime.datetime(1990, 3, 5) and sheet["B2"].number_format == "DD/MM/YYYY"
    assert first[2] == datetime.datetime(2026, 11, 2, 14, 30)
    assert first[3:7] == [-1, 15.8, 17.5, "< 5"]
    assert sheet["H2"].number_format == "DD/MM/YYYY"  # a date in a mixed column is a date
    assert [cell.value for cell in sheet[3]][:4] == ["Durand", None, None, 2]
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I1"


def test_a_failed_file_leaves_nothing_behind(tmp_path):
    target = tmp_path / "sortie.xlsx"
    with pytest.raises(RuntimeError), written_in_place(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []
    with written_in_place(target) as temporary:
        temporary.write_bytes(b"whole")
    assert target.read_bytes() == b"whole" and list(tmp_path.iterdir()) == [target]


def test_text_cells_stay_text_and_empty_ones_empty():
    assert TEXT.text("-") == "'-"
    assert COUNT.text(0) == "0" and COUNT.cell(SMALL) == "< 5"
