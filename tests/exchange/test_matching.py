"""Rows find their records: by external id, then by the ids an export derives from our keys."""

import datetime

import pytest

from plie.exchange.exporter import export_path
from plie.exchange.importer import import_path
from plie.participants.enums import ParticipantStatus, PathwayStatus
from plie.participants.models import Participant
from plie.pathways.models import Pathway, Step
from tests.factories import ParticipantFactory, StepFactory, active_pathway

from .conftest import read_lines, replace_cell, write_lines

pytestmark = pytest.mark.django_db


def messages(report) -> list[str]:
    return [str(problem) for problem in report.problems]


def test_a_record_made_in_the_application_is_updated_from_its_edited_export(referent, tmp_path):
    pathway = active_pathway(referent, entry_date=datetime.date(2026, 1, 8))
    step = StepFactory(pathway=pathway, notes="")
    export_path(tmp_path / "out")
    step_id = f"{pathway.participant.file_number}-P1-E{step.pk}"
    assert read_lines(tmp_path / "out" / "etapes.csv")[1].startswith(f"{step_id};")
    replace_cell(tmp_path / "out" / "etapes.csv", 2, "observations", "Atelier CV")

    report = import_path(tmp_path / "out")

    assert report.ok
    assert report.counts["etapes"]["modifiés"] == 1
    step.refresh_from_db()
    assert step.notes == "Atelier CV" and step.external_id is None
    assert Step.objects.count() == 1


def test_a_record_does_not_move_to_another_parent(referent, tmp_path, example):
    assert import_path(example).ok
    replace_cell(example / "etapes.csv", 2, "parcours", "SI-P-702")

    assert messages(import_path(example))[0] == (
        "etapes.csv, ligne 2 : parcours : l'étape « SI-E-9001 » est déjà rattaché(e) à "
        "« SI-P-701 », pas à « SI-P-702 » ; un identifiant ne change pas de rattachement"
    )


def test_file_numbers_are_given_after_the_year_s_last_and_never_reused(example):
    ParticipantFactory(file_number="2026-00007")
    ParticipantFactory(file_number="2025-00042")

    report = import_path(example)

    assert messages(report) == [
        "participants.csv, ligne 4 : numero_dossier : le numéro 2025-00042 est déjà celui du "
        "dossier « 2025-00042 » ; donnez l'identifiant de ce dossier ou un autre numéro"
    ]
    replace_cell(example / "participants.csv", 4, "numero_dossier", "")
    assert import_path(example).ok
    numbers = Participant.objects.filter(external_id__startswith="SI-").values_list(
        "file_number", flat=True
    )
    assert sorted(numbers) == ["2026-00008", "2026-00009", "2026-00010"]


def test_a_file_number_does_not_change(example):
    assert import_path(example).ok
    replace_cell(example / "participants.csv", 4, "numero_dossier", "2025-00043")

    assert messages(import_path(example)) == [
        "participants.csv, ligne 4 : numero_dossier : ce dossier porte le numéro 2025-00042 ; "
        "un numéro de dossier ne change pas, corrigez-le ou videz la cellule"
    ]


def test_pathways_without_a_number_take_the_person_s_next_ones(example):
    assert import_path(example).ok
    lines = read_lines(example / "parcours.csv")
    second = lines[2].replace("SI-P-702;SI-1002;SI-O-502;1;Sorti", "SI-P-703;SI-1002;;;En parcours")
    second = second.replace("2024-04-04", "2025-10-02")
    write_lines(example / "parcours.csv", [lines[0], second])
    write_lines(example / "orientations.csv", read_lines(example / "orientations.csv")[:1])
    for name in ("sorties.csv", "etapes.csv", "contacts.csv"):
        (example / name).unlink()

    report = import_path(example)

    assert report.ok, report.summary()
    karim = Participant.objects.get(external_id="SI-1002")
    assert list(karim.pathways.order_by("number").values_list("number", "status")) == [
        (1, PathwayStatus.EXITED),
        (2, PathwayStatus.ACTIVE),
    ]
    assert karim.status == ParticipantStatus.ACTIVE
    assert Pathway.objects.get(external_id="SI-P-703").number == 2


def test_a_referral_opens_one_pathway_only(example):
    lines = read_lines(example / "parcours.csv")
    write_lines(
        example / "parcours.csv",
        [*lines, lines[2].replace("SI-P-702", "SI-P-799").replace(";1;Sorti;", ";2;En parcours;")],
    )

    assert messages(import_path(example)) == [
        "parcours.csv, ligne 4 : orientation : l'orientation « SI-O-502 » a déjà donné lieu au "
        "parcours « SI-P-702 » ; une orientation ouvre un seul parcours"
    ]


def test_a_pathway_number_already_taken_is_refused(example):
    lines = read_lines(example / "parcours.csv")
    duplicate = (
        lines[2]
        .replace("SI-P-702", "SI-P-799")
        .replace("SI-O-502;", ";")
        .replace(";Sorti;", ";En parcours;")
    )
    write_lines(example / "parcours.csv", [*lines, duplicate])

    assert messages(import_path(example)) == [
        "parcours.csv, ligne 4 : numero : le dossier « SI-1002 » a déjà un parcours n° 1 "
        "(« SI-P-702 ») ; changez le numéro ou videz la cellule"
    ]
