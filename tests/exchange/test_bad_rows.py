"""Each kind of bad row: a French message naming file, line and column; nothing written."""

import pytest
from openpyxl import Workbook

from plie.exchange.importer import import_path
from tests.factories import OrganisationFactory

from .conftest import counts, read_lines, replace_cell, write_lines

pytestmark = pytest.mark.django_db


def refused(path) -> list[str]:
    """Import, check that nothing at all was written, and give the messages."""
    before = counts()
    report = import_path(path)
    assert not report.ok
    assert counts() == before
    return [str(problem) for problem in report.problems]


def test_an_unreadable_date_is_named_with_its_file_line_and_column(example):
    replace_cell(example / "participants.csv", 2, "date_naissance", "1984-05-12x")

    assert refused(example) == [
        "participants.csv, ligne 2 : date_naissance : date illisible « 1984-05-12x » : "
        "écrivez-la 2024-03-15 ou 15/03/2024"
    ]


def test_a_day_that_does_not_exist_is_refused(example):
    replace_cell(example / "participants.csv", 3, "date_naissance", "31/02/1990")

    assert refused(example) == [
        "participants.csv, ligne 3 : date_naissance : date impossible « 31/02/1990 » : "
        "ce jour n'existe pas"
    ]


@pytest.mark.parametrize(
    ("file", "line", "header", "value", "message"),
    [
        (
            "etapes.csv",
            2,
            "fin_reelle",
            "01/03/2025",
            "etapes.csv, ligne 2 : fin_reelle : La fin réelle (01/03/2025) précède le début "
            "(03/03/2025) : corrigez l'une des deux dates.",
        ),
        (
            "participants.csv",
            2,
            "date_naissance",
            "15/03/2035",
            "participants.csv, ligne 2 : date_naissance : Cette date est dans le futur "
            "(15/03/2035) : saisissez une date passée ou celle d'aujourd'hui.",
        ),
        (
            "parcours.csv",
            2,
            "date_entree",
            "06/01/2025",
            "parcours.csv, ligne 2 : date_entree : l'entrée du 06/01/2025 ne peut pas précéder "
            "l'orientation du 10/01/2025 : corrigez l'une des deux dates",
        ),
        (
            "sorties.csv",
            2,
            "date_sortie",
            "30/03/2024",
            "sorties.csv, ligne 2 : date_sortie : la sortie du 30/03/2024 ne peut pas précéder "
            "l'entrée du 04/04/2024",
        ),
        (
            "orientations.csv",
            2,
            "date_cloture",
            "05/01/2025",
            "orientations.csv, ligne 2 : date_cloture : la clôture (05/01/2025) ne peut pas "
            "précéder l'orientation du 10/01/2025",
        ),
        (
            "contacts.csv",
            4,
            "date",
            "2024-02-01",
            "contacts.csv, ligne 4 : date : Ce contact précède l'orientation du 01/03/2024 : "
            "vérifiez la date.",
        ),
        (
            "etapes.csv",
            5,
            "date_debut",
            "2025-07-01",
            "etapes.csv, ligne 5 : date_debut : Le parcours s'est terminé le 30/06/2025 : une "
            "étape ne peut pas commencer après.",
        ),
    ],
)
def test_dates_in_an_impossible_order_are_refused(example, file, line, header, value, message):
    replace_cell(example / file, line, header, value)

    assert message in refused(example)


def test_an_unknown_commune_is_refused_with_the_territory_s_codes(example):
    replace_cell(example / "participants.csv", 2, "commune", "99999")
    replace_cell(example / "participants.csv", 2, "qpv", "")

    (message,) = refused(example)
    assert message.startswith(
        "participants.csv, ligne 2 : commune : commune inconnue « 99999 » : indiquez le code "
        "INSEE d'une commune du territoire (21003 Ahuy, "
    )


def test_a_commune_may_be_given_by_its_exact_name(example):
    replace_cell(example / "participants.csv", 3, "commune", "chenove")

    assert import_path(example).ok


def test_an_id_used_twice_in_a_file_is_refused_on_the_second_line(example):
    replace_cell(example / "participants.csv", 3, "id", "SI-1001")

    messages = refused(example)
    assert messages[0] == (
        "participants.csv, ligne 3 : id : l'identifiant « SI-1001 » est déjà utilisé ligne 2 "
        "de ce fichier ; chaque ligne a son propre identifiant"
    )


def test_a_reference_to_an_unknown_id_is_refused(example):
    replace_cell(example / "orientations.csv", 2, "participant", "SI-9999")

    assert refused(example)[0] == (
        "orientations.csv, ligne 2 : participant : identifiant inconnu « SI-9999 » : aucune "
        "ligne de participants.csv ni aucun enregistrement existant ne porte cet identifiant ; "
        "vérifiez-le ou ajoutez la ligne qui manque"
    )


def test_rows_naming_a_bad_row_add_no_noise(example):
    """Only the bad row is reported, not every row that names it."""
    replace_cell(example / "orientations.csv", 2, "date_orientation", "hier")

    assert refused(example) == [
        "orientations.csv, ligne 2 : date_orientation : date illisible « hier » : écrivez-la "
        "2024-03-15 ou 15/03/2024"
    ]


def test_a_file_not_in_utf8_gets_one_message_saying_how_to_save_it(example):
    text = (example / "participants.csv").read_text(encoding="utf-8")
    (example / "participants.csv").write_bytes(text.encode("latin-1"))

    (message,) = refused(example)
    assert message.startswith(
        "participants.csv : le fichier n'est pas encodé en UTF-8 (caractère illisible ligne 2"
    )
    assert "« CSV UTF-8 »" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_file_in_utf16_is_named_so_not_taken_for_windows_1252(example, encoding):
    """Excel's « Texte Unicode » is UTF-16: the trial was told « probablement Windows-1252 »."""
    text = (example / "participants.csv").read_text(encoding="utf-8")
    (example / "participants.csv").write_bytes(text.encode(encoding))

    (message,) = refused(example)
    assert message.startswith("participants.csv : le fichier est enregistré en UTF-16")
    assert "« CSV UTF-8 »" in message


def test_a_missing_required_column_is_named(example):
    lines = [
        ";".join(line.split(";")[:2] + line.split(";")[3:])
        for line in read_lines(example / "participants.csv")
    ]
    write_lines(example / "participants.csv", lines)

    assert refused(example) == [
        "participants.csv : colonne obligatoire absente : nom ; à ajouter à la première ligne"
    ]


def test_an_unknown_column_is_named_with_the_possible_ones(example):
    lines = read_lines(example / "participants.csv")
    write_lines(
        example / "participants.csv", [lines[0] + ";âge"] + [line + ";41" for line in lines[1:]]
    )

    (message,) = refused(example)
    assert message.startswith(
        "participants.csv : colonne inconnue : âge ; à supprimer ou à renommer "
        "(colonnes possibles : id, numero_dossier, nom,"
    )


def test_an_empty_required_value_is_refused(example):
    replace_cell(example / "participants.csv", 4, "prenom", "")

    assert refused(example) == [
        "participants.csv, ligne 4 : prenom : cette valeur est obligatoire, la cellule est vide"
    ]


def test_an_over_long_text_is_refused_not_cut(example):
    replace_cell(example / "participants.csv", 2, "nom", "D" * 101)

    assert refused(example) == [
        "participants.csv, ligne 2 : nom : texte trop long : 101 caractères pour 100 au plus, "
        "raccourcissez-le"
    ]


def test_an_unknown_prescriber_is_refused_with_the_known_ones_and_never_created(example):
    OrganisationFactory(name="Association Trajectoires Emploi")  # not a prescriber
    replace_cell(example / "orientations.csv", 3, "prescripteur", "Pôle emploi Dijon")

    (message,) = refused(example)
    assert message == (
        "orientations.csv, ligne 3 : prescripteur : prescripteur inconnu « Pôle emploi Dijon » "
        "(structures prescriptrices connues : « Conseil départemental de la Côte-d'Or », "
        "« France Travail Dijon ») : corrigez le nom, ou créez cette structure dans "
        "l'administration en cochant « prescripteur »"
    )


def test_an_unknown_referent_and_an_account_that_is_not_a_referent_are_refused(
    example, coordinator
):
    replace_cell(example / "participants.csv", 2, "referent", "inconnue")
    replace_cell(example / "parcours.csv", 3, "referent", "coordinatrice")

    assert refused(example) == [
        "participants.csv, ligne 2 : referent : aucun compte « inconnue » : créez-le dans "
        "l'administration ou corrigez l'identifiant de connexion",
        "parcours.csv, ligne 3 : referent : le compte « coordinatrice » n'est pas celui d'un ou "
        "d'une référente de parcours (rôle : Coordinatrice / coordinateur)",
    ]


def test_every_error_of_every_file_is_listed_in_order(example):
    replace_cell(example / "participants.csv", 4, "sexe", "Femelle")
    replace_cell(example / "participants.csv", 2, "courriel", "marie.dupont@")
    replace_cell(example / "etapes.csv", 3, "heures_semaine", "")
    replace_cell(example / "contacts.csv", 3, "forme", "Pigeon voyageur")

    messages = refused(example)

    assert [message.split(" : ")[0] for message in messages] == [
        "participants.csv, ligne 2",
        "participants.csv, ligne 4",
        "etapes.csv, ligne 3",
        "contacts.csv, ligne 3",
    ]
    assert messages[0].endswith("courriel : Saisissez une adresse de courriel valide.")
    assert "« Femme » (F), « Homme » (M), « Non binaire » (X)" in messages[1]
    assert messages[2].endswith(
        "heures_semaine : Indiquez le nombre d'heures par semaine de cet emploi."
    )


def test_jobs_over_48_hours_a_week_are_refused(example):
    path = example / "etapes.csv"
    for header, value in [("type", "cdd"), ("heures_semaine", "35"), ("fin_reelle", "2025-09-15")]:
        replace_cell(path, 2, header, value)

    messages = refused(example)

    assert messages == [
        f"etapes.csv, ligne {line} : heures_semaine : avec les emplois qui se chevauchent sur "
        "ces dates, cela fait 59,5\u00a0h par semaine, au-delà des 48 h légales : vérifiez les dates "
        "ou les horaires"
        for line in (2, 3)
    ]


def test_state_and_dates_of_a_pathway_must_agree(example):
    replace_cell(example / "parcours.csv", 2, "etat", "Dossier d'entrée en cours")
    write_lines(example / "sorties.csv", read_lines(example / "sorties.csv")[:1])

    messages = refused(example)

    assert messages[:2] == [
        "parcours.csv, ligne 2 : date_entree : un parcours « Dossier d'entrée en cours » n'a pas "
        "encore de date d'entrée : videz la cellule ou corrigez l'état",
        "parcours.csv, ligne 3 : etat : ce parcours est « Sorti » mais sorties n'a pas sa "
        "ligne ; ajoutez sa sortie (date, motif) ou corrigez l'état",
    ]


def test_a_positive_exit_names_a_condition_of_the_protocol(example):
    replace_cell(example / "sorties.csv", 2, "condition", "cdi-3-mois")

    (message,) = refused(example)
    assert message.startswith(
        "sorties.csv, ligne 2 : condition : « cdi-3-mois » n'est pas une condition de sortie "
        "positive du protocole en vigueur au 30/06/2025 : codes possibles cdi-6-months, "
    )


def test_a_bad_row_in_a_workbook_names_the_sheet(tmp_path, partners):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "participants"
    sheet.append(["id", "nom", "prenom", "sexe", "date_naissance", "commune"])
    sheet.append(["A1", "Durand", "Léa", "F", "12/05/1984", "21231"])
    sheet.append(["A2", "Petit", "Noé", "M", "1990-02-30", "21231"])
    workbook.save(tmp_path / "dossiers.xlsx")

    assert refused(tmp_path / "dossiers.xlsx") == [
        "dossiers.xlsx, feuille participants, ligne 3 : date_naissance : date impossible "
        "« 1990-02-30 » : ce jour n'existe pas"
    ]


def test_an_unknown_file_in_the_folder_is_refused(example):
    (example / "participant.csv").write_text("id\n", encoding="utf-8")

    assert refused(example) == [
        "participant.csv : fichier inconnu : les fichiers attendus sont participants.csv, "
        "orientations.csv, parcours.csv, sorties.csv, etapes.csv, contacts.csv"
    ]


def test_a_row_with_a_value_too_many_is_refused(example):
    lines = read_lines(example / "contacts.csv")
    lines[2] += ";en trop"
    write_lines(example / "contacts.csv", lines)

    assert refused(example)[0].startswith(
        "contacts.csv, ligne 3 : 9 valeurs pour 8 colonnes : une valeur déborde à droite"
    )


def test_a_reason_repeated_on_many_lines_is_summed_up_first(example):
    from plie.exchange.importer import import_path

    for line in range(2, 5):
        replace_cell(example / "participants.csv", line, "referent", "ancienne.referente")
    for line in range(2, 4):
        replace_cell(example / "parcours.csv", line, "referent", "ancienne.referente")
    lines = import_path(example).summary()
    assert lines[1] == "Erreurs les plus fréquentes :"
    assert lines[2].startswith("  5 lignes — referent : aucun compte « ancienne.referente »")
    assert lines[3] == "Détail ligne par ligne :"
