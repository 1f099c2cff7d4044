"""Export then import gives the same records back, in CSV and in XLSX, and twice is once."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from plie.actions.models import ActionReferral
from plie.committee.models import CommitteeItem
from plie.demo.generator import generate
from plie.exchange import identifiers as ids
from plie.exchange.exporter import export_path
from plie.exchange.formats import KINDS
from plie.exchange.importer import import_path
from plie.participants.enums import ExitReason, ParticipantStatus, PathwayStatus
from plie.participants.models import Appointment, OutreachAttempt, Participant, Referral
from plie.pathways import recording
from plie.pathways.enums import ContactMode, StepOutcome
from plie.pathways.models import (
    Contact,
    EligibilityAssessment,
    FollowUp,
    Pathway,
    ReferentChange,
    Step,
    StepType,
)

from .conftest import TODAY, counts

pytestmark = pytest.mark.django_db
# The version counts the saves in one database (core/versioning.py): it is not exchanged.
NOT_EXCHANGED = {"id", "created_at", "created_by_id", "version"}


def add_rows_of_our_own() -> None:
    """External ids, awkward text, a step and a contact through the services, an exit."""
    active = list(
        Pathway.objects.filter(status=PathwayStatus.ACTIVE).select_related("participant")[:2]
    )
    pathway, leaving = active
    Participant.objects.filter(pk=pathway.participant_id).update(external_id="SRC-42")
    Pathway.objects.filter(pk=pathway.pk).update(external_id="SRC-42/1")
    pathway.refresh_from_db()
    recording.add_step(
        pathway=pathway,
        data={
            "step_type": StepType.objects.get(code="support-housing"),
            "organisation_name": "Bailleur ; « Habitat 21 »",
            "start_date": TODAY - datetime.timedelta(days=10),
            "planned_end_date": None,
            "end_date": None,
            "weekly_hours": None,
            "part_time_agreed": False,
            "outcome": StepOutcome.IN_PROGRESS,
            "notes": 'Dossier "DALO" déposé ;\nsuite en janvier',
        },
        by=pathway.referent,
    )
    recording.record_contact(
        pathway=pathway,
        data={
            "contacted_on": TODAY - datetime.timedelta(days=3),
            "mode": ContactMode.PHONE,
            "duration_minutes": 20,
            "summary": "=à revoir : +33 6 12",
            "next_appointment": timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 15)),
        },
        by=pathway.referent,
    )
    Pathway.objects.filter(pk=leaving.pk).update(
        status=PathwayStatus.EXITED,
        exit_date=TODAY,
        exit_reason=ExitReason.OTHER,
        exit_detail="-Départ à l'étranger",
    )
    # Texts a spreadsheet would run as formulas, in names, addresses and notes.
    person = Participant.objects.get(pk=pathway.participant_id)
    person.last_name, person.first_name = FORMULAS["last_name"], FORMULAS["first_name"]
    person.address, person.phone = FORMULAS["address"], "+33 6 12 34 56 78"
    person.save()  # and its search key with it
    Pathway.objects.filter(pk=pathway.pk).update(entry_notes=FORMULAS["entry_notes"])
    Participant.objects.filter(pk=leaving.participant_id).update(status=ParticipantStatus.EXITED)


FORMULAS = {
    "last_name": '=HYPERLINK("http://exemple.test";"Dupont")',
    "first_name": "@Marie",
    "address": "-12 rue des Lilas",
    "entry_notes": "'=déjà protégé par une apostrophe",
}


@pytest.fixture
def demo_plie(territory):
    generate(seed=11, participants=60, today=TODAY)
    add_rows_of_our_own()


def wipe_records() -> None:
    """An empty database as far as the records go; accounts and territory stay. The actions'
    referrals go first (they keep their pathway's step): the exchange format does not carry
    them."""
    for model in (
        ActionReferral,
        CommitteeItem,
        EligibilityAssessment,
        FollowUp,
        ReferentChange,
        Step,
        Contact,
        Pathway,
        Appointment,
        OutreachAttempt,
        Referral,
        Participant,
    ):
        model.objects.all().delete()


def _row(record, keys: dict) -> dict:
    row = {}
    for field in record._meta.concrete_fields:
        if field.attname in NOT_EXCHANGED:
            continue
        value = getattr(record, field.attname)
        if field.attname in keys:  # a parent: named by its id, not its primary key
            value = keys[field.attname].get(value)
        row[field.attname] = value
    return row


def snapshot() -> dict[str, dict]:
    """Every exchanged record, field by field, under the id an export gives it."""
    people = {p.pk: p for p in Participant.objects.all()}
    person_ids = {
        pk: p.external_id or ids.participant_id(p.file_number) for pk, p in people.items()
    }
    referral_ids = {
        r.pk: r.external_id or ids.referral_id(people[r.participant_id].file_number, r.pk)
        for r in Referral.objects.all()
    }
    pathways = {p.pk: p for p in Pathway.objects.prefetch_related("barriers")}
    pathway_ids = {
        pk: p.external_id or ids.pathway_id(people[p.participant_id].file_number, p.number)
        for pk, p in pathways.items()
    }
    keys = {"participant_id": person_ids, "referral_id": referral_ids, "pathway_id": pathway_ids}

    def own(record, derive):
        pathway = pathways[record.pathway_id]
        file_number = people[pathway.participant_id].file_number
        return record.external_id or derive(file_number, pathway.number, record.pk)

    return {
        "participants": {person_ids[p.pk]: _row(p, keys) for p in people.values()},
        "orientations": {referral_ids[r.pk]: _row(r, keys) for r in Referral.objects.all()},
        "parcours": {
            pathway_ids[pk]: _row(p, keys) | {"barriers": sorted(b.code for b in p.barriers.all())}
            for pk, p in pathways.items()
        },
        "etapes": {own(s, ids.step_id): _row(s, keys) for s in Step.objects.all()},
        "contacts": {own(c, ids.contact_id): _row(c, keys) for c in Contact.objects.all()},
    }


def assert_same_records(before: dict, after: dict) -> None:
    for kind, rows in before.items():
        assert sorted(after[kind]) == sorted(rows), kind
        for key, row in rows.items():
            restored = dict(after[kind][key])
            if kind in ("orientations", "etapes", "contacts"):
                # No primary key survives: the id the export gave is now kept as external id.
                assert restored.pop("external_id") == key
                row = {name: value for name, value in row.items() if name != "external_id"}
            assert restored == row, (kind, key)


def workbook_values(path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path, read_only=True)
    values = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}
    workbook.close()
    return values


@pytest.mark.parametrize("target", ["export", "dossiers.xlsx"])
def test_export_then_import_into_an_empty_database_gives_the_same_records(
    demo_plie, tmp_path, target
):
    before = snapshot()
    first = export_path(tmp_path / "first" / target)
    wipe_records()
    assert counts() == (0, 0, 0, 0, 0)

    report = import_path(tmp_path / "first" / target)

    assert report.ok, "\n".join(report.summary()[:20])
    assert {name: c["créés"] for name, c in report.counts.items()} == first.rows
    assert_same_records(before, snapshot())
    second = export_path(tmp_path / "second" / target)
    if target.endswith(".xlsx"):
        assert workbook_values(second.path) == workbook_values(first.path)
    else:
        for kind in KINDS:
            name = kind.file_name
            assert (second.path / name).read_bytes() == (first.path / name).read_bytes(), name


def test_an_export_reimported_into_its_own_database_finds_every_record(demo_plie, tmp_path):
    before, numbers = snapshot(), counts()
    export_path(tmp_path / "export")

    report = import_path(tmp_path / "export")

    assert report.ok
    assert counts() == numbers
    assert all(not c["créés"] and not c["modifiés"] for c in report.counts.values())
    assert report.states_changed == 0
    assert snapshot() == before


def test_importing_twice_into_an_empty_database_creates_no_duplicates(demo_plie, tmp_path):
    export_path(tmp_path / "dossiers.xlsx")
    wipe_records()
    assert import_path(tmp_path / "dossiers.xlsx").ok
    once = counts()

    again = import_path(tmp_path / "dossiers.xlsx")

    assert again.ok and counts() == once
    assert all(c["inchangés"] == again.rows[name] for name, c in again.counts.items())


def test_the_csv_files_are_utf8_with_a_bom_and_semicolons(demo_plie, tmp_path):
    export_path(tmp_path / "export")
    raw = (tmp_path / "export" / "participants.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and raw[3:].decode().startswith("id;numero_dossier;")
    steps = (tmp_path / "export" / "etapes.csv").read_text(encoding="utf-8-sig")
    assert '"Dossier ""DALO"" déposé ;\r\nsuite en janvier"' in steps or (
        '"Dossier ""DALO"" déposé ;\nsuite en janvier"' in steps
    )


def test_an_export_runs_a_fixed_number_of_queries_whatever_the_rows(
    demo_plie, tmp_path, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        report = export_path(tmp_path / "dossiers.xlsx")
    assert report.rows["contacts"] > 1000


def test_texts_that_look_like_formulas_cannot_run_and_come_back_unchanged(demo_plie, tmp_path):
    """In CSV a text that starts with =, +, - or @ gets an apostrophe that no spreadsheet
    runs, and the import takes it off; numbers and dates are written as such."""
    before = snapshot()
    export_path(tmp_path / "export")
    people = (tmp_path / "export" / "participants.csv").read_text(encoding="utf-8-sig")
    assert '\'=HYPERLINK(""http://exemple.test"";""Dupont"")' in people
    assert ";'@Marie;" in people and ";'-12 rue des Lilas;" in people
    assert ";'+33 6 12 34 56 78;" in people
    pathways = (tmp_path / "export" / "parcours.csv").read_text(encoding="utf-8-sig")
    assert "''=déjà protégé par une apostrophe" in pathways  # one more, taken off again
    header, *lines = csv.reader(io.StringIO(people, newline=""), delimiter=";")
    for cells in lines:
        for name in ("nom", "prenom", "adresse", "telephone"):
            assert not cells[header.index(name)].startswith(("=", "+", "-", "@"))
        born = cells[header.index("date_naissance")]
        assert len(born) == 10 and born[2] == "/" and born[5] == "/"  # a date: 31/12/1990
    steps = (tmp_path / "export" / "etapes.csv").read_text(encoding="utf-8-sig")
    step_header, *step_rows = csv.reader(io.StringIO(steps, newline=""), delimiter=";")
    hours = [cells[step_header.index("heures_semaine")] for cells in step_rows]
    assert any(hours) and all(not value.startswith("'") for value in hours)  # numbers as such

    wipe_records()
    assert import_path(tmp_path / "export").ok
    assert_same_records(before, snapshot())
    person = Participant.objects.get(first_name="@Marie")
    assert (person.last_name, person.address) == (FORMULAS["last_name"], FORMULAS["address"])
    assert person.pathways.get().entry_notes == FORMULAS["entry_notes"]


def test_a_workbook_keeps_formulas_as_text_and_numbers_and_dates_typed(demo_plie, tmp_path):
    export_path(tmp_path / "dossiers.xlsx")
    workbook = load_workbook(tmp_path / "dossiers.xlsx")
    people = workbook["participants"]
    header = [cell.value for cell in people[1]]
    row = next(
        r for r in people.iter_rows(min_row=2) if r[header.index("prenom")].value == "@Marie"
    )
    name = row[header.index("nom")]
    assert name.value == FORMULAS["last_name"] and name.data_type == "s"  # text, never run
    assert isinstance(row[header.index("date_naissance")].value, datetime.datetime)
    steps = workbook["etapes"]
    step_header = [cell.value for cell in steps[1]]
    hours = [r[step_header.index("heures_semaine")].value for r in steps.iter_rows(min_row=2)]
    assert any(isinstance(value, int | float) for value in hours)
    workbook.close()
    wipe_records()
    assert import_path(tmp_path / "dossiers.xlsx").ok
    assert Participant.objects.get(first_name="@Marie").last_name == FORMULAS["last_name"]
