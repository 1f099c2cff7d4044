"""Generating the demo: same seed, same PLIE; a second run adds nothing; the command."""

import datetime

from django.core.management import call_command

from plie.accounts.models import Organisation, User
from plie.actions.models import Action, ActionReferral
from plie.agreements.models import Agreement
from plie.committee.models import CommitteeMeeting
from plie.core.models import Notice, StoredFile
from plie.demo.generator import DEMO_PASSWORD, generate
from plie.evaluation.models import ActionReport
from plie.participants.models import Appointment, OutreachAttempt, Participant, Referral
from plie.pathways.models import Contact, Pathway, Step
from plie.programme.models import Operation, ProgrammeYear
from plie.purchasing.models import CallForProposals, Proposal, WrittenConsultation
from tests.conftest import load_nomenclatures

TODAY = datetime.date(2026, 11, 23)


def forget_actions():
    """The actions' rows, which keep the pathways and the agreements (protected links): their
    reports first, which keep the actions."""
    ActionReport.objects.all().delete()
    ActionReferral.objects.all().delete()
    Action.objects.all().delete()


def forget_programme_and_purchasing():
    """The rows that keep the demo's accounts and organisations (protected links), in the
    order their links allow."""
    for model in (
        WrittenConsultation,
        Proposal,
        CallForProposals,
        Agreement,
        Operation,
        ProgrammeYear,
        StoredFile,
        Notice,
    ):
        model.objects.all().delete()


def test_same_seed_same_plie_and_a_second_run_adds_nothing(territory):
    def snapshot():
        return list(
            Participant.objects.order_by("file_number").values_list(
                "file_number", "last_name", "first_name", "birth_date", "status", "commune_id"
            )
        )

    first = generate(seed=11, participants=60, today=TODAY)
    assert first.created
    before = snapshot()
    counts = (Participant.objects.count(), Pathway.objects.count(), Referral.objects.count())
    again = generate(seed=11, participants=60, today=TODAY)
    assert not again.created
    assert (Participant.objects.count(), Pathway.objects.count(), Referral.objects.count()) == (
        counts
    )

    forget_actions()
    CommitteeMeeting.objects.all().delete()
    Pathway.objects.all().delete()
    Participant.objects.all().delete()
    forget_programme_and_purchasing()
    User.objects.all().delete()
    Organisation.objects.all().delete()
    generate(seed=11, participants=60, today=TODAY)
    assert snapshot() == before

    forget_actions()
    CommitteeMeeting.objects.all().delete()
    Pathway.objects.all().delete()
    Participant.objects.all().delete()
    forget_programme_and_purchasing()
    User.objects.all().delete()
    Organisation.objects.all().delete()
    generate(seed=12, participants=60, today=TODAY)
    assert snapshot() != before


def test_demo_command_prints_one_login_per_role_and_can_run_twice(db, capsys):
    # The command loads the territory itself, on the national nomenclatures and step types
    # of the data migrations: a transactional test run before in the same worker (xdist
    # orders files by size, not by kind) has emptied them.
    load_nomenclatures()
    call_command("demo", no_serve=True, participants=30)
    out = capsys.readouterr().out
    for username in ["coordinatrice", "charge.projet", "assistante", "referent1", "copil", "admin"]:
        assert username in out
    assert DEMO_PASSWORD in out
    call_command("demo", no_serve=True, participants=30)
    assert "existe déjà" in capsys.readouterr().out
    assert User.objects.filter(username="coordinatrice").count() == 1


def test_appointments_contacts_and_step_starts_fall_on_working_days(territory):
    generate(seed=5, participants=150, today=TODAY)
    dated = {
        "rendez-vous": [a.scheduled_for.date() for a in Appointment.objects.all()],
        "aller-vers": list(OutreachAttempt.objects.values_list("attempted_on", flat=True)),
        "contacts": list(Contact.objects.values_list("contacted_on", flat=True)),
        "prochains rendez-vous": [
            moment.date()
            for moment in Contact.objects.exclude(next_appointment=None).values_list(
                "next_appointment", flat=True
            )
        ],
        "débuts d'étapes": list(Step.objects.values_list("start_date", flat=True)),
    }
    for what, days in dated.items():
        assert days, what
        weekend = [day for day in days if day.weekday() >= 5]
        assert not weekend, f"{what} : {len(weekend)} le week-end sur {len(days)}"
