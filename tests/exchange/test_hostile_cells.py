"""Cells no column takes: control and invisible characters (a NUL byte, a right-to-left
override), line breaks outside the long texts, cells over a column's length or over the csv
module's limit. Each is refused on its line with a French message, every such line is
reported, and nothing is written — in a CSV folder as in a workbook, on SQLite and
PostgreSQL (where a NUL byte used to end the import with a traceback)."""

import pytest
from openpyxl import Workbook

from plie.core.text import LONGEST_TEXT
from plie.exchange.importer import import_path
from plie.pathways.models import Contact

from .conftest import counts, read_lines, replace_cell, write_lines

pytestmark = pytest.mark.django_db

CONTROL = "effacez ce passage et retapez-le au clavier (un copier-coller l'a sans doute apporté)"


def refused(path) -> list[str]:
    before = counts()
    report = import_path(path)
    assert not report.ok
    assert counts() == before
    return [str(problem) for problem in report.problems]


def test_a_nul_byte_and_an_override_are_refused_on_their_lines(example):
    replace_cell(example / "participants.csv", 2, "nom", "Du\x00pont")
    replace_cell(example / "participants.csv", 3, "prenom", "\u202eKarim")
    replace_cell(example / "contacts.csv", 3, "compte_rendu", "Point\x1b[31m")

    assert refused(example) == [
        "participants.csv, ligne 2 : nom : le texte contient un caractère de contrôle "
        f"(U+0000) au 3e caractère : {CONTROL}.",
        "participants.csv, ligne 3 : prenom : le texte contient un caractère invisible de "
        f"mise en forme ou de sens d'écriture (U+202E) au 1er caractère : {CONTROL}.",
        "contacts.csv, ligne 3 : compte_rendu : le texte contient un caractère de contrôle "
        f"(U+001B) au 6e caractère : {CONTROL}.",
    ]


@pytest.mark.parametrize(
    ("header", "value"),
    [("date_naissance", "12/05/1984\x00"), ("commune", "21231\u200b"), ("id", "SI-\x001001")],
)
def test_a_hidden_character_is_refused_in_any_column(example, header, value):
    replace_cell(example / "participants.csv", 2, header, value)

    message = refused(example)[0]  # the rows naming a bad id are reported too
    assert message.startswith(f"participants.csv, ligne 2 : {header} : le texte contient un ")


def test_a_line_break_is_kept_in_a_summary(example):
    lines = read_lines(example / "contacts.csv")
    lines[1] = lines[1].replace("Diagnostic partagé,", '"Diagnostic partagé,\nsuite :', 1)
    lines[1] = lines[1].replace("mobilité.;", 'mobilité.";', 1)
    write_lines(example / "contacts.csv", lines)

    report = import_path(example)
    assert report.ok, report.problems
    summary = Contact.objects.get(external_id="SI-C-1").summary
    assert summary == "Diagnostic partagé,\nsuite : plan d'action sur la mobilité."


def test_a_line_break_is_refused_in_a_name(example):
    lines = read_lines(example / "participants.csv")
    lines[1] = lines[1].replace(";Dupont;", ';"Du\npont";', 1)
    write_lines(example / "participants.csv", lines)

    assert refused(example)[0] == (
        "participants.csv, ligne 2 : nom : le texte contient un saut de ligne ou une "
        "tabulation (U+000A) au 3e caractère : ce champ tient sur une ligne : retirez-le."
    )


def test_a_summary_takes_its_field_s_length_and_not_one_character_more(example):
    replace_cell(example / "contacts.csv", 2, "compte_rendu", "a" * 4000)  # Contact.summary
    replace_cell(example / "contacts.csv", 3, "compte_rendu", "b" * 4001)

    assert refused(example) == [
        "contacts.csv, ligne 3 : compte_rendu : texte trop long : 4001 caractères pour 4000 "
        "au plus, raccourcissez-le"
    ]


def test_no_cell_takes_more_than_the_longest_text(example):
    replace_cell(example / "participants.csv", 2, "commune", "2" * LONGEST_TEXT)
    replace_cell(example / "participants.csv", 3, "commune", "2" * (LONGEST_TEXT + 1))

    messages = refused(example)
    assert messages[0].startswith("participants.csv, ligne 2 : commune : commune inconnue")
    assert len(messages[0]) < 12_000  # the 10,000 figures once, at most
    assert (
        "participants.csv, ligne 3 : commune : cellule trop longue : 10001 caractères pour "
        "10000 au plus, raccourcissez-la (ou vérifiez qu'un guillemet n'a pas été oublié)"
    ) in messages


def test_a_column_with_a_declared_length_uses_it(example):
    replace_cell(example / "participants.csv", 2, "telephone", "0" * 21)

    [message] = refused(example)
    assert message.startswith("participants.csv, ligne 2 : telephone : texte trop long : 21 ")


@pytest.mark.parametrize("length", [131_072, 131_073, 400_000])
def test_a_cell_over_the_csv_limit_is_a_line_refused_and_the_next_lines_are_read(example, length):
    replace_cell(example / "contacts.csv", 2, "compte_rendu", "c" * length)
    replace_cell(example / "contacts.csv", 3, "duree_minutes", "beaucoup")

    messages = refused(example)
    assert len(messages) == 2
    if length <= 131_072:  # read by the csv module, refused by its column
        assert messages[0].startswith("contacts.csv, ligne 2 : compte_rendu : cellule trop ")
    else:
        assert messages[0] == (
            "contacts.csv, ligne 2 : ligne illisible : une cellule dépasse 131 072 caractères "
            "(un guillemet ouvrant sans guillemet fermant ?) ; raccourcissez-la ou fermez le "
            "guillemet"
        )
    assert messages[1].startswith("contacts.csv, ligne 3 : duree_minutes : ")


def test_an_unclosed_quote_running_to_the_end_is_one_line_refused(example):
    lines = read_lines(example / "contacts.csv")
    lines[1] = lines[1].replace("Diagnostic", '"Diagnostic', 1) + "x" * 140_000
    write_lines(example / "contacts.csv", lines)

    messages = refused(example)
    assert messages[0].startswith("contacts.csv, ligne 2 : ligne illisible : ")


def test_a_workbook_refuses_hidden_characters_and_long_cells_line_by_line(tmp_path, partners):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "participants"
    sheet.append(["id", "nom", "prenom", "sexe", "date_naissance", "commune"])
    sheet.append(["A1", "Durand", "Léa", "F", "12/05/1984", "21231"])
    sheet.append(["A2", "Pe\u202etit", "Noé", "M", "1990-02-03", "21231"])
    sheet.append(["A3", "Martin", "Jo\nël", "M", "1990-02-03", "21231"])
    sheet.append(["A4", "M" * 20_000, "Paul", "M", "1990-02-03", "21231"])
    sheet.append(["A5", "Zéro\u200blargeur", "Inès", "F", "1990-02-03", "21231"])
    workbook.save(tmp_path / "dossiers.xlsx")

    messages = refused(tmp_path / "dossiers.xlsx")
    where = "dossiers.xlsx, feuille participants, ligne"
    assert [message.split(" : ")[0:2] for message in messages] == [
        [f"{where} 3", "nom"],
        [f"{where} 4", "prenom"],
        [f"{where} 5", "nom"],
        [f"{where} 6", "nom"],
    ]
    assert "U+202E" in messages[0] and "U+000A" in messages[1] and "U+200B" in messages[3]
    assert "cellule trop longue : 20000 caractères" in messages[2]
