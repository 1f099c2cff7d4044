"""Exits through the committee: positive exits must meet a protocol condition, others give a
reason; a validated exit leaves the active caseload; employment exits are followed up."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from plie.committee import services
from plie.committee.enums import CommitteeDecision, CommitteeItemKind
from plie.participants import services as participant_services
from plie.participants.enums import ExitReason, ParticipantStatus, PathwayStatus
from plie.pathways import entry
from plie.pathways.models import FollowUp
from plie.pathways.selectors import active_on
from tests.factories import MeetingFactory, PrescriberFactory, StepFactory, active_pathway

ENTRY = datetime.date(2025, 9, 4)
TODAY = datetime.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


@pytest.fixture
def meeting(territory):
    return MeetingFactory(held_on=TODAY)  # decisions are taken on the day of the meeting


@pytest.fixture
def pathway(referent):
    return active_pathway(referent, entry_date=ENTRY)


def cdi(pathway, start, hours=35):
    return StepFactory(
        pathway=pathway,
        step_type=step_type("cdi"),
        start_date=start,
        weekly_hours=Decimal(hours),
        organisation_name="Clinique du Parc",
    )


def step_type(code):
    from plie.pathways.models import StepType

    return StepType.objects.get(code=code)


def test_a_positive_exit_names_the_condition_met(pathway, meeting, referent, project_officer):
    cdi(pathway, datetime.date(2026, 3, 2))
    item = services.propose_exit(
        pathway=pathway,
        meeting=meeting,
        reason=ExitReason.POSITIVE,
        exit_date=datetime.date(2026, 11, 20),
        by=referent,
    )
    assert item.kind == CommitteeItemKind.EXIT
    assert item.exit_condition == "cdi-6-months"
    assert "8 mois 19 jours depuis le 02/03/2026" in item.exit_detail
    services.decide(item=item, decision=CommitteeDecision.VALIDATED, by=project_officer)
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.EXITED
    assert pathway.exit_date == datetime.date(2026, 11, 20)
    assert pathway.exit_condition_label.startswith("CDI")
    assert pathway.participant.status == ParticipantStatus.EXITED
    assert pathway not in active_on(datetime.date(2026, 11, 20))  # out at the end of its day
    assert pathway in active_on(datetime.date(2026, 11, 19))
    follow_up = FollowUp.objects.get(pathway=pathway)
    assert follow_up.due_on == datetime.date(2027, 5, 20)


def test_a_positive_exit_without_a_condition_met_is_refused_with_what_is_missing(
    pathway, meeting, referent
):
    cdi(pathway, datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="il manque 10 jours de CDI"):
        services.propose_exit(
            pathway=pathway,
            meeting=meeting,
            reason=ExitReason.POSITIVE,
            exit_date=datetime.date(2026, 11, 20),
            by=referent,
        )
    assert not pathway.committee_items.exists()


def test_a_qualifying_training_exit_has_no_six_month_follow_up(
    pathway, meeting, referent, project_officer
):
    StepFactory(
        pathway=pathway,
        step_type=step_type("training-qualifying"),
        start_date=datetime.date(2026, 11, 2),
    )
    item = services.propose_exit(
        pathway=pathway,
        meeting=meeting,
        reason=ExitReason.POSITIVE,
        exit_date=datetime.date(2026, 11, 20),
        by=referent,
    )
    services.decide(item=item, decision=CommitteeDecision.VALIDATED, by=project_officer)
    assert item.exit_condition == "qualifying-training"
    assert not FollowUp.objects.exists()


def test_the_aci_rule_for_55_and_over_needs_the_case_explained(meeting, referent):
    pathway = active_pathway(
        referent, entry_date=ENTRY, birth_date=datetime.date(1970, 1, 15)
    )  # 56
    StepFactory(
        pathway=pathway,
        step_type=step_type("aci"),
        start_date=datetime.date(2026, 1, 5),
        weekly_hours=Decimal(26),
    )
    arguments = {
        "pathway": pathway,
        "meeting": meeting,
        "reason": ExitReason.POSITIVE,
        "exit_date": datetime.date(2026, 11, 20),
        "by": referent,
    }
    with pytest.raises(ValidationError, match="cas par cas"):
        services.propose_exit(**arguments)
    item = services.propose_exit(**arguments, detail="Emploi stable, projet de retraite.")
    assert item.exit_condition == "aci-55-6-months"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"exit_date": datetime.date(2025, 9, 3)}, "précéder l'entrée du 04/09/2025"),
        ({"exit_date": datetime.date(2026, 11, 24)}, "suivre la commission"),
        ({"reason": ExitReason.OTHER}, "Précisez le motif"),
        ({"reason": "nope"}, "Choisissez le motif"),
    ],
    ids=["before-entry", "after-the-meeting", "other-without-detail", "unknown-reason"],
)
def test_bad_exit_proposals_are_refused(pathway, meeting, referent, overrides, message):
    arguments = {
        "pathway": pathway,
        "meeting": meeting,
        "reason": ExitReason.MOVED,
        "exit_date": datetime.date(2026, 11, 20),
        "by": referent,
    } | overrides
    with pytest.raises(ValidationError, match=message):
        services.propose_exit(**arguments)
    assert not pathway.committee_items.exists()


def test_one_pending_exit_at_a_time_and_a_refusal_keeps_the_pathway(
    pathway, meeting, referent, project_officer
):
    arguments = {
        "pathway": pathway,
        "meeting": meeting,
        "reason": ExitReason.HEALTH,
        "exit_date": datetime.date(2026, 11, 20),
        "by": referent,
    }
    item = services.propose_exit(**arguments)
    with pytest.raises(ValidationError, match="déjà proposée"):
        services.propose_exit(**arguments)
    with pytest.raises(ValidationError, match="motif du refus"):
        services.decide(item=item, decision=CommitteeDecision.REFUSED, by=project_officer)
    services.decide(
        item=item,
        decision=CommitteeDecision.REFUSED,
        reason="Soins compatibles avec le parcours",
        by=project_officer,
    )
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ACTIVE and pathway.exit_date is None


def test_a_person_who_left_can_come_back_on_a_new_pathway(
    pathway, meeting, referent, project_officer
):
    item = services.propose_exit(
        pathway=pathway,
        meeting=meeting,
        reason=ExitReason.MOVED,
        exit_date=datetime.date(2026, 11, 2),
        by=referent,
    )
    services.decide(item=item, decision=CommitteeDecision.VALIDATED, by=project_officer)
    participant = pathway.participant
    referral = participant_services.record_referral(
        participant=participant,
        referent=referent,
        data={
            "prescriber": PrescriberFactory(),
            "referred_on": datetime.date(2026, 11, 20),
            "reason": "Retour sur le territoire",
        },
        by=referent,
    )
    second = entry.open_entry_file(referral=referral)
    assert second.number == 2
    assert participant.pathways.count() == 2


def test_exits_command_lists_the_active_caseload_at_a_date(pathway, referent, capsys):
    cdi(pathway, datetime.date(2026, 3, 2))
    other = active_pathway(referent, entry_date=datetime.date(2026, 10, 1))
    cdi(other, datetime.date(2026, 10, 5))
    call_command("exits", at="2026-09-01", json=True)
    payload = json.loads(capsys.readouterr().out)
    assert payload["date"] == "2026-09-01"
    assert payload["active_caseload"] == 1  # the second entered later
    (row,) = payload["pathways"]
    assert set(row) == {
        "file_number",
        "pathway",
        "referent",
        "entry_date",
        "met",
        "all_met",
        "closest",
    }
    assert row["met"]["code"] == "cdi-6-months"
    assert row["met"]["detail"] == "CDI : 6 mois depuis le 02/03/2026"
    call_command("exits", at="31/08/2026", json=True)
    (row,) = json.loads(capsys.readouterr().out)["pathways"]
    assert row["met"] is None
    assert row["closest"]["missing"].startswith("il manque 1 jour de CDI")


def test_the_exits_command_is_journaled_with_the_files_it_listed(pathway, referent, capsys):
    from auditlog.models import LogEntry

    from plie.audit.models import Shown

    cdi(pathway, datetime.date(2026, 3, 2))
    call_command("exits", at="2026-09-01", user=referent.username)
    (entry,) = [
        entry
        for entry in LogEntry.objects.all()
        if "plie exits" in (entry.additional_data or {}).get("document", "")
    ]
    assert entry.actor == referent
    assert entry.additional_data["date"] == "2026-09-01"
    assert list(Shown.objects.filter(entry=entry).values_list("participant_id", flat=True)) == [
        pathway.participant_id
    ]
    with pytest.raises(CommandError, match="Aucun compte « personne »"):
        call_command("exits", user="personne")


def test_exits_command_refuses_an_unreadable_date(territory):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Date illisible"):
        call_command("exits", at="31 août")


def test_no_decision_before_the_day_of_the_meeting(pathway, referent, project_officer):
    later = MeetingFactory(held_on=datetime.date(2026, 11, 26))
    item = services.propose_exit(
        pathway=pathway,
        meeting=later,
        reason=ExitReason.HEALTH,
        exit_date=datetime.date(2026, 11, 20),
        by=referent,
    )
    with pytest.raises(ValidationError, match="26/11/2026 n'a pas encore eu lieu"):
        services.decide(item=item, decision=CommitteeDecision.VALIDATED, by=project_officer)
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ACTIVE


def test_a_pending_proposal_can_be_withdrawn_and_the_entry_file_fixed(
    client, pathway, meeting, referent, outsider
):
    from django.urls import reverse

    from plie.committee.models import CommitteeItem

    item = services.propose_exit(
        pathway=pathway,
        meeting=meeting,
        reason=ExitReason.HEALTH,
        exit_date=datetime.date(2026, 11, 20),
        detail="Hospitalisation longue",
        by=referent,
    )
    url = reverse("committee:withdraw", args=[meeting.pk, item.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 403
    client.force_login(referent)
    assert client.post(url).status_code == 302
    assert CommitteeItem.objects.get(pk=item.pk).decision == CommitteeDecision.WITHDRAWN


def test_free_texts_of_a_proposal_are_hidden_from_the_assistant(
    client, pathway, meeting, referent, assistant, project_officer
):
    from django.urls import reverse

    services.propose_exit(
        pathway=pathway,
        meeting=meeting,
        reason=ExitReason.HEALTH,
        exit_date=datetime.date(2026, 11, 20),
        detail="Hospitalisation longue en psychiatrie",
        by=referent,
    )
    url = reverse("committee:meeting_detail", args=[meeting.pk])
    client.force_login(project_officer)
    assert "Hospitalisation longue" in client.get(url).content.decode()
    client.force_login(assistant)
    page = client.get(url).content.decode()
    # A health reason is health data: she reads the label shared by every non-positive,
    # non-neutral reason (FSE+ results need the situation after the exit, not its reason).
    assert "Raisons de santé" not in page and "Sortie non positive (motif non détaillé)" in page
    assert "Hospitalisation longue" not in page
    detail = client.get(reverse("web:participant", args=[pathway.participant.pk]))
    assert "Motif : " not in detail.content.decode()  # the referral's free text


def test_the_six_month_follow_up_is_not_done_a_month_after_the_exit(pathway, referent):
    from plie.pathways import recording
    from plie.pathways.enums import FollowUpSituation

    Pathway = type(pathway)
    Pathway.objects.filter(pk=pathway.pk).update(
        status=PathwayStatus.EXITED, exit_date=datetime.date(2026, 6, 7)
    )
    pathway.refresh_from_db()
    follow_up = FollowUp.objects.create(pathway=pathway, due_on=datetime.date(2026, 12, 7))
    data = {"done_on": datetime.date(2026, 7, 7), "situation": FollowUpSituation.SAME_JOB}
    with pytest.raises(ValidationError, match="à partir du 07/11/2026"):
        recording.record_follow_up(follow_up=follow_up, data=data, by=referent)
    recording.record_follow_up(
        follow_up=follow_up, data={**data, "done_on": datetime.date(2026, 11, 20)}, by=referent
    )
    assert FollowUp.objects.get().done_on == datetime.date(2026, 11, 20)


def test_a_command_s_refusal_is_printed_in_french(territory, capsys):
    """Django prints a refusal as « ClassName: message »; the trial read « CommandError: »."""
    from plie.pathways.management.commands.exits import Command

    with pytest.raises(SystemExit):
        Command().run_from_argv(["plie", "exits", "--at", "31 août"])
    assert capsys.readouterr().err.startswith("Erreur: Date illisible : « 31 août »")
