"""The documented format: the doc's example is the example folder, and it imports."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from plie.exchange.formats import KINDS
from plie.exchange.importer import import_path
from plie.exchange.values import Choice
from plie.participants.enums import ExitReason, ParticipantStatus, PathwayStatus, ReferralStatus
from plie.participants.models import Participant, Referral
from plie.pathways.enums import StepOutcome
from plie.pathways.models import Contact, Pathway, Step

from .conftest import EXAMPLE, counts, read_lines, replace_cell, write_lines

DOC = Path(__file__).parents[2] / "docs" / "import-format.md"
pytestmark = pytest.mark.django_db


def documented_blocks() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"### (\w+\.csv)\n\n```csv\n(.*?)\n```", text, flags=re.S))


def test_the_documented_example_is_the_example_folder():
    blocks = documented_blocks()
    assert sorted(blocks) == sorted(kind.file_name for kind in KINDS)
    for name, text in blocks.items():
        assert (EXAMPLE / name).read_text(encoding="utf-8").rstrip("\n") == text, name


def test_every_column_and_every_value_of_a_list_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for kind in KINDS:
        section = text.split(f"## {kind.file_name}\n", 1)[1].split("\n## ", 1)[0]
        for column in kind.columns:
            assert f"| `{column.header}` |" in section, (kind.name, column.header)
            if isinstance(column.type, Choice):
                flowing = " ".join(section.split())
                for member in column.type.choices:
                    assert str(member.label) in flowing, (kind.name, member.label)


def test_the_example_imports_and_leaves_each_person_in_the_right_state(example):
    report = import_path(example)

    assert report.ok, report.summary()
    assert counts() == (3, 3, 2, 4, 3)
    marie = Participant.objects.get(external_id="SI-1001")
    karim = Participant.objects.get(external_id="SI-1002")
    sophie = Participant.objects.get(external_id="SI-1003")
    assert (marie.file_number, karim.file_number, sophie.file_number) == (
        "2026-00001",
        "2026-00002",
        "2025-00042",
    )
    assert marie.status == ParticipantStatus.ACTIVE
    assert marie.referent.username == "referente"
    assert marie.qpv.code == "QN021GRE" and marie.commune.insee_code == "21231"
    assert karim.status == ParticipantStatus.EXITED
    assert sophie.status == ParticipantStatus.REFERRED
    assert sophie.commune is None and sophie.commune_outside_territory == "Beaune"

    pathway = Pathway.objects.get(external_id="SI-P-701")
    assert pathway.status == PathwayStatus.ACTIVE
    assert pathway.entry_date == datetime.date(2025, 2, 6)
    assert pathway.referral == Referral.objects.get(external_id="SI-O-501")
    assert sorted(pathway.barriers.values_list("code", flat=True)) == ["childcare", "mobility"]
    assert pathway.education_level.code == "3" and pathway.dependent_children == 2
    assert pathway.project_maturity == 2 and pathway.autonomy == 2

    exited = Pathway.objects.get(external_id="SI-P-702")
    assert exited.status == PathwayStatus.EXITED
    assert exited.exit_reason == ExitReason.POSITIVE
    assert exited.exit_condition == "cdi-6-months"
    assert exited.exit_condition_label.startswith("CDI d'au moins un mi-temps")
    assert Referral.objects.get(external_id="SI-O-502").status == ReferralStatus.CLOSED

    cdd = Step.objects.get(external_id="SI-E-9002")
    assert cdd.weekly_hours == Decimal("24.5") and cdd.outcome == StepOutcome.IN_PROGRESS
    call = Contact.objects.get(external_id="SI-C-2")
    assert call.next_appointment.isoformat() == "2026-12-08T13:30:00+00:00"


def test_the_same_import_twice_creates_no_duplicate_and_says_there_is_nothing_to_do(example):
    assert import_path(example).ok
    before = counts()

    again = import_path(example)

    assert again.ok and counts() == before
    assert all(not c["créés"] and not c["modifiés"] for c in again.counts.values())
    assert "Rien à faire" in "\n".join(again.summary())


def test_a_changed_row_updates_its_record_and_only_it(example):
    assert import_path(example).ok
    lines = (example / "participants.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("06 12 34 56 78", "06 00 00 00 00")
    (example / "participants.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = import_path(example)

    assert report.ok
    assert report.counts["participants"]["modifiés"] == 1
    assert report.counts["participants"]["inchangés"] == 2
    assert Participant.objects.get(external_id="SI-1001").phone == "06 00 00 00 00"


def test_a_pathway_given_in_progress_with_its_exit_row_imports_again_unchanged(example):
    replace_cell(example / "parcours.csv", 3, "etat", "En parcours")
    assert import_path(example).ok
    assert Pathway.objects.get(external_id="SI-P-702").status == PathwayStatus.EXITED

    again = import_path(example)

    assert again.ok, again.summary()
    assert all(not c["créés"] and not c["modifiés"] for c in again.counts.values())


def test_an_exit_already_recorded_is_never_removed(example):
    assert import_path(example).ok
    write_lines(example / "sorties.csv", read_lines(example / "sorties.csv")[:1])
    replace_cell(example / "parcours.csv", 3, "etat", "En parcours")

    report = import_path(example)

    assert [str(problem) for problem in report.problems] == [
        "parcours.csv, ligne 3 : etat : ce parcours est sorti le 30/06/2025 et l'import ne "
        "supprime pas une sortie : mettez l'état « Sorti »"
    ]
