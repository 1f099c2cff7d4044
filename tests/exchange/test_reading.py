"""Cells as spreadsheets and other systems write them: dates, numbers, lists, separators."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from plie.core.spreadsheets import MOMENT
from plie.exchange.importer import import_path
from plie.exchange.values import CellError, Choice, Date, DateTime, Integer, Number, YesNo
from plie.participants.enums import Autonomy, Sex
from plie.participants.models import Participant
from plie.pathways.models import Step

from .conftest import EXAMPLE, read_lines

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text", ["2024-03-15", "15/03/2024", "5/3/2024", "2024-03-15 00:00:00", " 15/03/2024 "]
)
def test_iso_and_french_dates_are_read(text):
    expected = datetime.date(2024, 3, 15) if "5/3" not in text else datetime.date(2024, 3, 5)
    assert Date().parse(text) == expected


def test_a_date_cell_of_a_workbook_is_read_as_it_is():
    assert Date().parse(datetime.datetime(2024, 3, 15)) == datetime.date(2024, 3, 15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("15/03/24", "année sur deux chiffres"),
        ("2024-02-30", "date impossible « 2024-02-30 »"),
        ("mars 2024", "date illisible « mars 2024 »"),
    ],
)
def test_dates_that_cannot_be_read_say_how_to_write_them(text, message):
    with pytest.raises(CellError, match=message):
        Date().parse(text)


def test_date_and_time_are_read_in_paris_time():
    moment = DateTime().parse("08/12/2026 14:30")
    assert moment == datetime.datetime(2026, 12, 8, 13, 30, tzinfo=datetime.UTC)
    assert MOMENT.text(DateTime().write(moment)) == "08/12/2026 14:30"  # read back as written


@pytest.mark.parametrize(("text", "value"), [("24,5", "24.5"), ("24.5", "24.5"), ("35", "35.0")])
def test_decimals_are_read_with_a_comma_or_a_dot_and_written_with_a_comma(text, value):
    number = Number(1, Decimal(0), Decimal("999.9"))
    assert number.parse(text) == Decimal(value)
    written = number.cell_format.text(number.write(number.parse(text)))
    assert written == text.replace(".", ",").removesuffix(",0")


def test_a_number_with_too_many_decimals_or_out_of_bounds_is_refused():
    with pytest.raises(CellError, match="trop de décimales"):
        Number(1, Decimal(0), Decimal("999.9")).parse("24,25")
    with pytest.raises(CellError, match="hors limites : indiquez de 0 à 20"):
        Integer(0, 20).parse("21")


@pytest.mark.parametrize(
    ("text", "value"), [("oui", True), ("Non", False), ("VRAI", True), ("0", False), ("", None)]
)
def test_yes_and_no_are_read_in_french(text, value):
    assert YesNo().parse(text) is value


def test_a_list_value_is_read_from_its_label_or_its_code_ignoring_case_and_accents():
    assert Choice(Sex).parse("femme") == Sex.FEMALE
    assert Choice(Sex).parse("F") == Sex.FEMALE
    assert Choice(Autonomy).parse("autonomie PARTIELLE") == Autonomy.PARTIAL
    assert Choice(Autonomy).parse("2 — Autonomie partielle") == Autonomy.PARTIAL
    assert Choice(Autonomy).parse(2.0) == Autonomy.PARTIAL
    assert Choice(Sex).write(Sex.FEMALE) == "Femme"


def test_a_comma_separated_file_with_quotes_and_a_bom_is_read(tmp_path, partners):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "participants.csv").write_text(
        "\ufeffID,Nom,Prénom,Sexe,Date naissance,Commune,Adresse\n"
        'A1,Durand,Léa,F,12/05/1984,21231,"3, rue du Port\nBâtiment B"\n'
        "\n"
        "A2,Petit,Noé,M,1990-02-31,21231,\n",
        encoding="utf-8",
    )

    report = import_path(folder)

    # The header's spelling is forgiven; the line number counts the line inside the quotes;
    # an address is one line (only notes and summaries keep their line breaks).
    assert [str(p) for p in report.problems] == [
        "participants.csv, ligne 2 : adresse : le texte contient un saut de ligne ou une "
        "tabulation (U+000A) au 15e caractère : ce champ tient sur une ligne : retirez-le.",
        "participants.csv, ligne 5 : date_naissance : date impossible « 1990-02-31 » : ce jour "
        "n'existe pas",
    ]


def test_a_workbook_with_typed_cells_is_read(tmp_path, partners):
    workbook = Workbook()
    people = workbook.active
    people.title = "Participants"
    people.append(["id", "nom", "prenom", "sexe", "date_naissance", "commune", "code_postal"])
    people.append([1001, "Durand", "Léa", "Femme", datetime.datetime(1984, 5, 12), 21231, 21000])
    pathways = workbook.create_sheet("Parcours")
    pathways.append(["id", "participant", "referent", "date_entree", "rsa", "enfants_a_charge"])
    pathways.append(["P1", 1001, "referente", datetime.date(2025, 2, 6), True, 2.0])
    steps = workbook.create_sheet("Étapes")
    steps.append(["id", "parcours", "type", "date_debut", "heures_semaine"])
    steps.append(["E1", "P1", "cdd", datetime.datetime(2025, 3, 1), 24.5])
    workbook.save(tmp_path / "dossiers.xlsx")

    report = import_path(tmp_path / "dossiers.xlsx")

    assert report.ok, report.summary()
    person = Participant.objects.get(external_id="1001")
    assert person.postcode == "21000" and person.commune.insee_code == "21231"
    pathway = person.pathways.get()
    assert pathway.receives_rsa is True and pathway.dependent_children == 2
    assert Step.objects.get().weekly_hours == Decimal("24.5")


def test_an_unknown_sheet_is_refused(tmp_path, partners):
    workbook = Workbook()
    workbook.active.title = "Feuil1"
    workbook.save(tmp_path / "dossiers.xlsx")

    assert [str(p) for p in import_path(tmp_path / "dossiers.xlsx").problems] == [
        "dossiers.xlsx, feuille Feuil1 : feuille inconnue : les feuilles attendues sont "
        "participants, orientations, parcours, sorties, etapes, contacts ; supprimez ou "
        "renommez celle-ci"
    ]


def test_a_single_csv_file_may_be_imported(tmp_path, partners):
    lines = read_lines(EXAMPLE / "participants.csv")
    (tmp_path / "participants.csv").write_text("\n".join(lines), encoding="utf-8")

    assert import_path(tmp_path / "participants.csv").ok
    assert Participant.objects.count() == 3
