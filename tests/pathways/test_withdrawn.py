"""A step or contact entered by mistake is withdrawn, never deleted: kept with who, when and
why, shown struck through and in the history, and counted nowhere — in no figure, list,
exit rule, extraction, export or data-quality check.

Two people are followed alike: Anne's steps and contact are withdrawn, Bruno's are in
effect. Every count below takes Bruno and leaves Anne, and the last test checks the SQL of
every figure and list: each read of the steps or contacts filters out the withdrawn rows.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plie.core.plugins import history_of
from plie.exchange.exporter import export_path
from plie.exchange.importer import import_path
from plie.participants.models import Referral
from plie.pathways import recording, worklists
from plie.pathways.enums import ContactMode
from plie.pathways.exit_candidates import exit_candidates
from plie.pathways.models import Contact, Pathway, Step, StepType
from plie.pathways.selectors import active_on, evaluate_exit, exit_evaluations
from plie.reporting import extraction, indicators, quality
from plie.reporting.cohort import cohort
from plie.reporting.dashboard import DashboardParameters, Scope
from plie.reporting.dimensions import BREAKDOWNS
from plie.reporting.quarterly import Quarter, quarterly_review
from plie.territory.models import Programme
from tests.factories import StepFactory, active_pathway
from tests.forms import posted

TODAY = datetime.date(2026, 11, 23)
ENTRY = datetime.date(2025, 9, 4)
YEAR = (datetime.date(2026, 1, 1), TODAY)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


def follow(pathway, referent) -> list:
    """A CDI for eight months (a positive exit), an action ending in ten days, a step whose
    dates are wrong (a data-quality problem) and a contact three days ago."""
    types = {t.code: t for t in StepType.objects.all()}
    return [
        StepFactory(
            pathway=pathway,
            step_type=types["cdi"],
            start_date=datetime.date(2026, 3, 2),
            weekly_hours=Decimal(35),
            organisation_name="Clinique du Parc",
        ),
        StepFactory(
            pathway=pathway,
            step_type=types["plie-action"],
            start_date=datetime.date(2026, 10, 1),
            planned_end_date=TODAY + datetime.timedelta(days=10),
        ),
        StepFactory(
            pathway=pathway,
            step_type=types["plie-action"],
            start_date=datetime.date(2026, 6, 10),
            end_date=datetime.date(2026, 6, 1),
        ),
        Contact.objects.create(
            pathway=pathway,
            contacted_on=TODAY - datetime.timedelta(days=3),
            mode=ContactMode.PHONE,
            by=referent,
        ),
    ]


@pytest.fixture
def people(referent):
    """Anne, whose records were all entered by mistake and withdrawn; Bruno, alike, kept."""
    anne = active_pathway(referent, entry_date=ENTRY, first_name="Anne")
    bruno = active_pathway(referent, entry_date=ENTRY, first_name="Bruno")
    for record in follow(anne, referent):
        withdraw = recording.withdraw_step if isinstance(record, Step) else None
        if withdraw:
            withdraw(step=record, reason="Saisie sur le mauvais dossier", by=referent)
        else:
            recording.withdraw_contact(contact=record, reason="Saisi en double", by=referent)
    follow(bruno, referent)
    return anne, bruno


def ids(rows) -> set[int]:
    return {row[0] for row in rows}


# Withdrawing ------------------------------------------------------------------------------


def test_a_withdrawn_step_stays_with_who_when_and_why(referent):
    pathway = active_pathway(referent, entry_date=ENTRY)
    step = StepFactory(pathway=pathway)
    recording.withdraw_step(step=step, reason="  Saisie en double  ", by=referent)
    kept = Step.including_withdrawn.get(pk=step.pk)
    assert kept.withdrawn_by == referent
    assert kept.withdrawn_at.date() == TODAY
    assert kept.withdrawal_reason == "Saisie en double"
    assert not Step.objects.filter(pk=step.pk).exists()
    assert not pathway.steps.exists()


def test_a_withdrawal_needs_a_reason(referent):
    step = StepFactory(pathway=active_pathway(referent, entry_date=ENTRY))
    with pytest.raises(ValidationError, match="Indiquez pourquoi vous le retirez"):
        recording.withdraw_step(step=step, reason="   ", by=referent)
    assert Step.objects.filter(pk=step.pk).exists()


def test_the_database_refuses_a_withdrawal_without_reason(referent):
    from django.db import IntegrityError, transaction

    step = StepFactory(pathway=active_pathway(referent, entry_date=ENTRY))
    with pytest.raises(IntegrityError), transaction.atomic():
        Step.objects.filter(pk=step.pk).update(withdrawn_at=datetime.datetime.now(datetime.UTC))


def test_a_step_is_withdrawn_once(referent):
    step = StepFactory(pathway=active_pathway(referent, entry_date=ENTRY))
    recording.withdraw_step(step=step, reason="Erreur", by=referent)
    with pytest.raises(ValidationError, match="déjà retiré, depuis le 23/11/2026"):
        recording.withdraw_step(step=step, reason="Erreur", by=referent)


def test_the_page_asks_the_reason_then_withdraws_and_the_journal_keeps_it(client, referent):
    pathway = active_pathway(referent, entry_date=ENTRY)
    step = StepFactory(pathway=pathway, organisation_name="Boulangerie Paul")
    url = reverse("pathways:step_withdraw", args=[pathway.participant.pk, 1, step.pk])
    client.force_login(referent)
    page = client.get(url).content.decode()
    assert "Retirer l&#x27;étape « Action du PLIE » du 04/09/2025" in page
    assert "Motif du retrait" in page
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "Indiquez pourquoi vous le retirez" in empty.content.decode()
    response = client.post(url, {"reason": "Erreur de personne"})
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(step).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == referent
    # The reason is free text: the journal names it, without keeping it (audit/masking.py).
    assert entry.changes_dict["withdrawal_reason"] == {"type": "sensitive", "filled": [False, True]}
    record = client.get(reverse("web:participant", args=[pathway.participant.pk]))
    content = record.content.decode()
    assert "Étapes retirées (1)" in content
    assert "<s>Action du PLIE du 04/09/2025, Boulangerie Paul</s>" in content
    assert f"retirée le 23/11/2026 par {referent} : Erreur de personne" in content
    # Gone from the steps in effect: its own page is no longer found.
    edit = reverse("pathways:step_edit", args=[pathway.participant.pk, 1, step.pk])
    assert client.get(edit).status_code == 404


@pytest.mark.parametrize(("role", "status"), [("outsider", 403), ("assistant", 403)])
def test_only_who_follows_the_pathway_withdraws(client, request, referent, role, status):
    pathway = active_pathway(referent, entry_date=ENTRY)
    step = StepFactory(pathway=pathway)
    contact = Contact.objects.create(
        pathway=pathway, contacted_on=TODAY, mode=ContactMode.PHONE, by=referent
    )
    client.force_login(request.getfixturevalue(role))
    pk = pathway.participant.pk
    for url in (
        reverse("pathways:step_withdraw", args=[pk, 1, step.pk]),
        reverse("pathways:contact_withdraw", args=[pk, 1, contact.pk]),
        reverse("pathways:contact_edit", args=[pk, 1, contact.pk]),
    ):
        assert client.post(url, {"reason": "x"}).status_code == status
    assert Step.objects.filter(pk=step.pk).exists() and Contact.objects.filter(pk=contact.pk)


def test_the_history_says_what_was_withdrawn_and_why(referent):
    pathway = active_pathway(referent, entry_date=ENTRY)
    step = StepFactory(pathway=pathway, start_date=datetime.date(2026, 2, 1))
    contact = Contact.objects.create(
        pathway=pathway, contacted_on=TODAY, mode=ContactMode.PHONE, by=referent
    )
    recording.withdraw_step(step=step, reason="Saisie en double", by=referent)
    recording.withdraw_contact(contact=contact, reason="Mauvais dossier", by=referent)
    events = {e.title: e for e in history_of(pathway.participant, show_sensitive=True)}
    assert events["Étape retirée : Saisie en double"].detail == (
        f"Action du PLIE du 01/02/2026, par {referent}"
    )
    assert events["Étape retirée : Saisie en double"].on == TODAY
    assert events["Contact retiré : Mauvais dossier"].detail == (
        f"Appel téléphonique du 23/11/2026, par {referent}"
    )
    assert "Début d'étape : Action du PLIE" not in events
    hidden = {e.title for e in history_of(pathway.participant, show_sensitive=False)}
    assert {"Étape retirée", "Contact retiré"} <= hidden  # the reason is a free text


def test_a_contact_is_corrected_with_the_checks_of_its_entry(client, referent):
    pathway = active_pathway(referent, entry_date=ENTRY)
    contact = Contact.objects.create(
        pathway=pathway, contacted_on=TODAY, mode=ContactMode.PHONE, by=referent
    )
    url = reverse("pathways:contact_edit", args=[pathway.participant.pk, 1, contact.pk])
    client.force_login(referent)
    assert "Modifier le contact du 23/11/2026" in client.get(url).content.decode()
    data = {"contacted_on": "2026-11-20", "mode": ContactMode.INDIVIDUAL, "summary": "Point CV"}
    assert posted(client, url, data).status_code == 302
    contact.refresh_from_db()
    assert (contact.contacted_on, contact.mode, contact.by) == (
        datetime.date(2026, 11, 20),
        ContactMode.INDIVIDUAL,
        referent,
    )
    entry = LogEntry.objects.get_for_object(contact).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["contacted_on"] == ["2026-11-23", "2026-11-20"]
    early = posted(client, url, {**data, "contacted_on": "2025-01-02"})
    assert "Ce contact précède l&#x27;orientation du 05/08/2025" in early.content.decode()


# Counted nowhere --------------------------------------------------------------------------


def test_the_worklists_count_only_the_records_in_effect(people, referent):
    anne, bruno = people
    lists = worklists.whole_plie(Programme.current(), TODAY)
    assert ids(lists.without_step.listed().keys) == {anne.pk}
    assert ids(lists.not_seen.listed().keys) == {anne.pk}
    ending = Step.objects.filter(pathway=bruno, planned_end_date__isnull=False).get()
    assert ids(lists.steps_ending.listed().keys) == {ending.pk}
    assert ids(lists.exit_candidates.listed().keys) == {bruno.pk}


def test_the_exit_rules_read_only_the_steps_in_effect(people):
    anne, bruno = people
    assert not evaluate_exit(anne, TODAY).met and evaluate_exit(bruno, TODAY).met
    by_pathway = {e.pathway.pk: e.evaluation for e in exit_evaluations(active_on(TODAY), TODAY)}
    assert not by_pathway[anne.pk].met and by_pathway[bruno.pk].met
    found = exit_candidates(Pathway.objects.all(), Programme.current(), TODAY)
    assert [c.pathway_id for c in found] == [bruno.pk]


def test_the_figures_count_only_the_records_in_effect(people):
    caseload = indicators.caseload_on(TODAY)
    assert (caseload.people, caseload.without_step) == (2, 1)
    [month_end] = indicators.caseloads_on([TODAY])
    assert (month_end.people, month_end.without_step) == (2, 1)
    figures = indicators.figures(*YEAR)
    assert (figures.contacts, figures.without_step) == (1, 1)


def test_the_extraction_and_the_export_leave_the_withdrawn_rows_out(people, tmp_path):
    anne, bruno = people
    steps = list(extraction.STEPS.rows(*YEAR))
    assert {row["pathway__participant__file_number"] for row in steps} == {
        bruno.participant.file_number
    }
    rows = {row["participant__file_number"]: row for row in extraction.PARTICIPANTS.rows(*YEAR)}
    assert rows[anne.participant.file_number]["contacts_in_period"] == 0
    assert rows[bruno.participant.file_number]["contacts_in_period"] == 1
    report = export_path(tmp_path / "export")
    assert (report.rows["etapes"], report.rows["contacts"]) == (3, 1)
    with (tmp_path / "export" / "etapes.csv").open(encoding="utf-8-sig") as file:
        pathways = {row["parcours"] for row in csv.DictReader(file, delimiter=";")}
    assert pathways == {f"{bruno.participant.file_number}-P1"}


def test_an_import_naming_a_withdrawn_step_is_refused(people, tmp_path, referent):
    anne, _ = people
    withdrawn = Step.including_withdrawn.filter(pathway=anne).first()
    folder = tmp_path / "import"
    folder.mkdir()
    own = f"{anne.participant.file_number}-P1"
    (folder / "etapes.csv").write_text(
        f"id;parcours;type;date_debut\n{own}-E{withdrawn.pk};{own};plie-action;2026-10-01\n",
        encoding="utf-8",
    )
    report = import_path(folder)
    assert [problem.message for problem in report.problems] == [
        f"id : l'étape « {own}-E{withdrawn.pk} » a été retirée le 23/11/2026, saisie par "
        "erreur ; l'import ne remet pas en vigueur un enregistrement retiré : enlevez cette "
        "ligne du fichier, ou donnez-lui un autre identifiant s'il s'agit d'une autre étape"
    ]
    assert Step.including_withdrawn.filter(pathway=anne).count() == 3


def test_the_data_quality_checks_leave_the_withdrawn_rows_out(people):
    anne, bruno = people
    wrong_dates = quality.step_ends_before_start()
    assert {step.pathway_id for step in wrong_dates} == {bruno.pk}
    assert {p.pk for p in quality.not_seen_for_long(TODAY)} == {anne.pk}


def test_the_cohort_follows_only_the_steps_in_effect(people):
    study = cohort(datetime.date(2025, 9, 1), datetime.date(2025, 9, 30), today=TODAY)
    assert (study.size, study.ever_in_step) == (2, 1)


# Every query ------------------------------------------------------------------------------

TABLE = re.compile(r'(?:FROM|JOIN) "(pathways_step|pathways_contact)"(?: (?:AS )?("?\w+"?))?')


def unfiltered_reads(sql: str) -> list[str]:
    """The reads of steps or contacts in `sql` that do not keep the rows in effect only:
    each table read (under its alias) must have its `withdrawn_at IS NULL`."""
    missing = []
    for match in TABLE.finditer(sql):
        table, alias = match.groups()
        alias = alias if alias and alias.upper() not in {"WHERE", "ON", "INNER", "LEFT"} else None
        name = alias or f'"{table}"'
        if f'{name}."withdrawn_at" IS NULL' not in sql:
            missing.append(f"{table} as {name}")
    return missing


def test_no_query_of_the_figures_and_lists_reads_a_withdrawn_row(people, referent, tmp_path):
    """How we know none was forgotten: every figure, list, rule, extraction, export and check
    is run, and each query that reads the steps or contacts is looked at."""
    programme = Programme.current()
    with CaptureQueriesContext(connection) as captured:
        for caseload in (Pathway.objects.all(), Pathway.objects.for_user(referent)):
            lists = worklists.worklists(programme, caseload, Referral.objects.all(), TODAY)
            lists.first(20)
            for name in worklists.LISTS:
                if name != "exit_candidates":
                    getattr(lists, name).per_referent()
        exit_evaluations(active_on(TODAY), TODAY)
        indicators.key_figures(*YEAR)
        indicators.figures(*YEAR)
        indicators.caseloads_on([end for _, end in indicators.months(*YEAR)])
        for by in BREAKDOWNS:
            indicators.breakdown(*YEAR, by=by)
        DashboardParameters(*YEAR, Scope(), suppress=False, per_referent=True).compute(programme)
        quarterly_review(Quarter(2026, 3), today=TODAY, programme=programme)
        cohort(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), today=TODAY)
        for sheet in extraction.SHEETS:
            list(sheet.rows(*YEAR))
        quality.data_quality(TODAY)
        export_path(tmp_path / "export")
        call_command("exits", "--json", stdout=io.StringIO())
        call_command("indicators", "--json", stdout=io.StringIO())
    reads = [q["sql"] for q in captured.captured_queries if TABLE.search(q["sql"])]
    assert len(reads) > 20  # the run did read steps and contacts
    problems = {sql: unfiltered_reads(sql) for sql in reads}
    assert {sql: missing for sql, missing in problems.items() if missing} == {}
