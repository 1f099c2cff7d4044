"""The monthly extraction file: which rows, which columns, in XLSX and in CSV; sensitive
columns only for those who may see them; progress reported; bounded queries."""

import csv
import datetime
import io
import itertools
import zipfile

import openpyxl
import pytest
import time_machine

from plie.core.register import entries_along
from plie.participants.enums import ExitReason, PathwayStatus
from plie.pathways.enums import ContactMode
from plie.pathways.models import Contact
from plie.reporting.extraction import PARTICIPANTS, SHEETS, write_extraction
from tests.factories import StepFactory, active_pathway

D = datetime.date
MONTH_START, MONTH_END = D(2026, 11, 1), D(2026, 11, 30)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, 0), tick=False):
        yield


def exited(pathway, on, reason=ExitReason.ABANDONED):
    pathway.status = PathwayStatus.EXITED
    pathway.exit_date = on
    pathway.exit_reason = reason
    pathway.save()
    return pathway


@pytest.fixture
def caseload(referent):
    """Four pathways around November 2026: two belong to the month, two do not."""
    staying = active_pathway(referent, entry_date=D(2026, 3, 2), last_name="Durand")
    staying.receives_rsa = True
    staying.save()
    leaving = exited(
        active_pathway(referent, entry_date=D(2025, 1, 6), last_name="Martin"),
        D(2026, 11, 30),
        ExitReason.POSITIVE,
    )
    exited(active_pathway(referent, entry_date=D(2024, 5, 1), last_name="Avant"), D(2026, 10, 31))
    active_pathway(referent, entry_date=D(2026, 12, 1), last_name="Apres")
    # Steps: one running over the month, one ended before it, one starting after it.
    StepFactory(pathway=staying, start_date=D(2026, 10, 1), end_date=D(2026, 11, 1))
    StepFactory(pathway=staying, start_date=D(2026, 4, 1), end_date=D(2026, 10, 31))
    StepFactory(pathway=leaving, start_date=D(2026, 12, 1))
    Contact.objects.create(
        pathway=staying, contacted_on=D(2026, 11, 12), mode=ContactMode.INDIVIDUAL, by=referent
    )
    Contact.objects.create(
        pathway=staying, contacted_on=D(2026, 10, 12), mode=ContactMode.INDIVIDUAL, by=referent
    )
    return staying, leaving


def _write(path, **options) -> int:
    """November's extraction to `path`, without sensitive columns unless asked."""
    defaults = {
        "file_format": "xlsx",
        "date_from": MONTH_START,
        "date_to": MONTH_END,
        "include_sensitive": False,
    }
    return write_extraction(path, **(defaults | options))


def _workbook(tmp_path, **options):
    path = tmp_path / "extraction.xlsx"
    rows = _write(path, **({"include_sensitive": True} | options))
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    return rows, sheets


def _by_header(sheet_rows):
    """Rows as dicts; a row read back may stop at its last filled cell."""
    header, *rows = sheet_rows
    return [dict(itertools.zip_longest(header, row)) for row in rows]


def test_the_month_holds_the_pathways_in_the_caseload_at_some_time_in_it(caseload, tmp_path):
    rows, sheets = _workbook(tmp_path)
    assert list(sheets) == ["Participants", "Étapes", "Sorties"]
    people = _by_header(sheets["Participants"])
    # In file-number order; October's exit and December's entry are not in November.
    assert [person["Nom"] for person in people] == ["Durand", "Martin"]
    steps = _by_header(sheets["Étapes"])
    # Only the step running on 1 November: ended on 31 October or starting in December, no.
    assert [(step["Nom"], step["Début"].date()) for step in steps] == [("Durand", D(2026, 10, 1))]
    exits = _by_header(sheets["Sorties"])
    assert [(row["Nom"], row["Date de sortie"].date()) for row in exits] == [
        ("Martin", D(2026, 11, 30))
    ]
    assert rows == len(people) + len(steps) + len(exits) == 4


def test_cells_are_written_in_words_and_dates_the_french_way(caseload, tmp_path):
    _, sheets = _workbook(tmp_path)
    durand = next(p for p in _by_header(sheets["Participants"]) if p["Nom"] == "Durand")
    assert durand["Sexe"] == "Femme"
    assert durand["État du parcours"] == "En parcours"
    assert durand["Date d'entrée"].date() == D(2026, 3, 2)
    assert durand["Bénéficiaire du RSA"] == "Oui"
    assert durand["Contacts dans la période"] == 1  # October's contact is outside the month
    assert durand["Dernier contact"].date() == D(2026, 11, 12)
    assert durand["Étape en cours en fin de période"] == "Non"  # the step ended on 1/11
    assert durand["Dans la file active en fin de période"] == "Oui"
    martin = next(p for p in _by_header(sheets["Participants"]) if p["Nom"] == "Martin")
    assert martin["Motif de sortie"].startswith("Sortie positive")
    # Exit on the last day of the month: no longer in the caseload at the end of it.
    assert martin["Dans la file active en fin de période"] == "Non"
    exit_row = _by_header(sheets["Sorties"])[0]
    # 6 January 2025 to 30 November 2026: 22 months and 24 days, 24/30 of a month.
    assert exit_row["Durée du parcours (mois)"] == pytest.approx(22 + 24 / 30)


def test_sensitive_columns_are_left_out_for_those_who_may_not_see_them(caseload, tmp_path):
    _, sheets = _workbook(tmp_path, include_sensitive=False)
    header = sheets["Participants"][0]
    sensitive = [c.header for c in PARTICIPANTS.columns if PARTICIPANTS.is_sensitive(c)]
    assert sensitive == [
        "Nationalité",
        "Autorisé(e) à travailler",
        "Bénéficiaire du RSA",
        "Autres minima sociaux",
        "Handicap reconnu (RQTH)",
        "Affection de longue durée",
        "Sous main de justice",
    ]
    assert not set(sensitive) & set(header)
    assert "Nom" in header and "Niveau de formation" in header


def test_every_column_reads_a_field_of_the_personal_data_register():
    # Its sensitivity is the register's: a column that met no entry could not have one.
    for sheet in SHEETS:
        for column in sheet.columns:
            assert entries_along(sheet.model, column.read.source or column.read.key), (
                f"{sheet.title} : « {column.header} » reads no declared field"
            )


def test_csv_files_open_in_a_french_spreadsheet(caseload, tmp_path):
    path = tmp_path / "extraction.zip"
    _write(path, file_format="csv", include_sensitive=True)
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["participants.csv", "etapes.csv", "sorties.csv"]
        raw = archive.read("sorties.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: accents read right in a spreadsheet
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("N° de dossier;Nom;Prénom;")
    cells = lines[1].split(";")
    assert "30/11/2026" in cells
    assert "22,8" in cells  # decimal comma
    assert len(lines) == 2


def test_a_text_that_would_run_as_a_formula_cannot_run_in_either_format(caseload, tmp_path):
    staying, _ = caseload
    person = staying.participant
    person.last_name, person.phone = '=HYPERLINK("http://exemple.test")', "+33 6 12 34 56 78"
    person.save()
    path = tmp_path / "extraction.zip"
    _write(path, file_format="csv", include_sensitive=True)
    with zipfile.ZipFile(path) as archive:
        text = archive.read("participants.csv").decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    row = next(row for row in rows if row[header.index("N° de dossier")] == person.file_number)
    assert row[header.index("Nom")] == '\'=HYPERLINK("http://exemple.test")'
    assert row[header.index("Téléphone")] == "'+33 6 12 34 56 78"
    assert row[header.index("Contacts dans la période")] == "1"  # a number: no apostrophe
    _, sheets = _workbook(tmp_path)
    written = next(
        p for p in _by_header(sheets["Participants"]) if p["Prénom"] == person.first_name
    )
    assert written["Nom"] == '=HYPERLINK("http://exemple.test")'  # a text cell, as typed
    assert written["Contacts dans la période"] == 1


def test_an_empty_period_gives_the_headers_only(referent, tmp_path):
    rows, sheets = _workbook(tmp_path)
    assert rows == 0
    assert [len(sheet) for sheet in sheets.values()] == [1, 1, 1]


def test_progress_is_reported_and_ends_on_the_total(caseload, tmp_path):
    calls = []
    _write(tmp_path / "e.xlsx", progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (4, 4)


def test_the_queries_do_not_grow_with_the_rows(referent, tmp_path, django_assert_max_num_queries):
    for day in range(1, 25):
        pathway = active_pathway(referent, entry_date=D(2026, 10, day))
        StepFactory(pathway=pathway, start_date=D(2026, 11, 2))
    # Three counts for the progress bar, then one read per sheet (and per chunk).
    with django_assert_max_num_queries(len(SHEETS) * 2 + 2):
        rows = _write(tmp_path / "e.xlsx", include_sensitive=True)
    assert rows == 48


def test_wrong_dates_or_format_are_refused_in_french_and_no_file_is_left(referent, tmp_path):
    with pytest.raises(ValueError, match="inversez les deux dates"):
        _write(tmp_path / "e.xlsx", date_from=MONTH_END, date_to=MONTH_START)
    with pytest.raises(ValueError, match="Choisissez xlsx ou csv"):
        _write(tmp_path / "e.ods", file_format="ods")
    assert list(tmp_path.iterdir()) == []


def test_a_failure_midway_leaves_no_half_file(caseload, tmp_path, monkeypatch):
    from plie.reporting import extraction

    def broken(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(extraction, "WRITERS", {"xlsx": broken})
    with pytest.raises(OSError):
        _write(tmp_path / "e.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_the_workbook_is_a_valid_xlsx_for_any_spreadsheet(caseload, tmp_path):
    path = tmp_path / "e.xlsx"
    _write(path, include_sensitive=True)
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert "xl/workbook.xml" in archive.namelist()
    sheet = openpyxl.load_workbook(path)["Participants"]
    assert sheet["A1"].font.b  # bold headers, a filter on them, the first row frozen
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.freeze_panes == "A2"


def test_contacts_count_from_entry_to_exit_day_as_the_contacts_figure(referent, tmp_path):
    pathway = exited(active_pathway(referent, entry_date=D(2026, 11, 5)), D(2026, 11, 10))
    for day in (4, 5, 10, 11):  # before entry, entry day, exit day, after exit
        Contact.objects.create(
            pathway=pathway, contacted_on=D(2026, 11, day), mode=ContactMode.PHONE, by=referent
        )
    _, sheets = _workbook(tmp_path)
    [person] = _by_header(sheets["Participants"])
    assert person["Contacts dans la période"] == 2
    assert person["Dernier contact"].date() == D(2026, 11, 11)


def test_an_exit_for_health_reasons_is_not_named_without_sensitive_access(referent, tmp_path):
    """Nor can it be told from the others: every non-positive, non-neutral reason reads
    the same; a move (neutral) is still named."""
    for day, reason in [(3, ExitReason.HEALTH), (4, ExitReason.ABANDONED), (5, ExitReason.MOVED)]:
        exited(active_pathway(referent, entry_date=D(2026, 1, 5)), D(2026, 11, day), reason)
    hidden = "Sortie non positive (motif non détaillé)"
    _, sheets = _workbook(tmp_path, include_sensitive=False)
    exits = sorted(row["Motif de sortie"] for row in _by_header(sheets["Sorties"]))
    assert exits == ["Déménagement hors du territoire", hidden, hidden]
    people = sorted(row["Motif de sortie"] for row in _by_header(sheets["Participants"]))
    assert people == exits
    _, sheets = _workbook(tmp_path, include_sensitive=True)
    exits = sorted(row["Motif de sortie"] for row in _by_header(sheets["Sorties"]))
    assert exits == ["Abandon du parcours", "Déménagement hors du territoire", "Raisons de santé"]
