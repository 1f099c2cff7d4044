"""The demo PLIE as generated once: one account per role, the seed's proportions, coherent
stories, exits and worklists with people in them."""

import datetime

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F, Q
from django.test import override_settings

from plie.accounts.enums import Role
from plie.accounts.models import Organisation, User
from plie.committee.enums import CommitteeDecision, CommitteeItemKind, MeetingStatus
from plie.committee.models import CommitteeItem, CommitteeMeeting
from plie.core.dates import age_on
from plie.demo.generator import DEMO_PASSWORD, generate
from plie.exchange.exporter import export_path
from plie.exchange.importer import import_path
from plie.participants.enums import (
    NEUTRAL_EXIT_REASONS,
    AppointmentOutcome,
    ExitReason,
    ParticipantStatus,
    PathwayStatus,
    ReferralOutcome,
    ReferralStatus,
)
from plie.participants.models import Appointment, OutreachAttempt, Referral
from plie.pathways.models import EligibilityAssessment, FollowUp, Pathway
from plie.programme.loading import load_package, resolve_package
from tests.conftest import load_nomenclatures

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo PLIE for the read-only tests of this module, rolled back at the end."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        load_nomenclatures()
        load_package(resolve_package("dijon-metropole"))
        yield generate(seed=7, participants=400, today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    """Each test runs inside the module's transaction (a savepoint), on the demo data."""
    return demo


def accompanied_in(year: int):
    """People in a pathway at any time of the year (the seed's 'accompagnés dans l'année')."""
    return Pathway.objects.filter(
        status__in=[PathwayStatus.ACTIVE, PathwayStatus.EXITED],
        entry_date__lte=datetime.date(year, 12, 31),
    ).exclude(exit_date__lt=datetime.date(year, 1, 1))


def test_one_account_per_role_and_thirteen_referents_in_several_organisations(demo_db, rf):
    for role in Role.values:
        assert User.objects.filter(role=role).exists(), role
    referents = User.objects.referents()
    assert referents.count() == 13
    assert referents.values("organisation").distinct().count() >= 3
    assert all(o.employs_referents for o in Organisation.objects.filter(members__in=referents))
    for username in ["coordinatrice", "charge.projet", "assistante", "referent13", "copil"]:
        request = rf.post("/comptes/connexion/")
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None, username


def test_the_administrator_edits_nomenclatures_without_being_superuser(demo_db, client):
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert admin.has_perm("territory.change_commune")
    assert admin.has_perm("programme.change_protocol")
    assert not admin.has_perm("participants.open_participant")
    client.force_login(admin)
    assert client.get("/admin/territory/commune/").status_code == 200


def test_proportions_follow_the_seed(demo_db):
    pathways = accompanied_in(TODAY.year)
    total = pathways.count()
    assert 390 <= total <= 410
    share = lambda q: pathways.filter(q).count() / total  # noqa: E731
    assert share(Q(participant__sex="F")) == pytest.approx(0.55, abs=0.06)
    assert share(Q(receives_rsa=True)) == pytest.approx(0.45, abs=0.06)
    assert share(Q(participant__qpv__isnull=False)) == pytest.approx(0.29, abs=0.06)
    assert share(Q(education_level__level__lte=3)) == pytest.approx(0.73, abs=0.06)
    active = Pathway.objects.filter(status=PathwayStatus.ACTIVE).count()
    assert active / total == pytest.approx(724 / 1204, abs=0.05)


def test_stories_are_what_the_services_would_have_written(demo_db):
    for pathway in Pathway.objects.filter(status=PathwayStatus.ACTIVE).select_related(
        "referral", "participant"
    ):
        assert pathway.participant.status == ParticipantStatus.ACTIVE
        assert pathway.participant.referent_id == pathway.referent_id
        assert pathway.referral.outcome == ReferralOutcome.ENTERED
        assert pathway.referral.referred_on < pathway.entry_date <= TODAY
        item = pathway.committee_items.get(kind=CommitteeItemKind.ENTRY)
        assert item.decision == CommitteeDecision.VALIDATED
        assert item.meeting.held_on == pathway.entry_date
        assert item.meeting.status == MeetingStatus.HELD
        assert pathway.eligibility_assessments.exists()
    assert not Pathway.objects.filter(exit_date__lt=F("entry_date")).exists()
    for pathway in Pathway.objects.filter(status=PathwayStatus.EXITED).select_related(
        "participant"
    ):
        exit_item = pathway.committee_items.get(kind=CommitteeItemKind.EXIT)
        assert exit_item.decision == CommitteeDecision.VALIDATED
        assert exit_item.exit_date == pathway.exit_date <= exit_item.meeting.held_on
        assert pathway.exit_reason
        assert bool(pathway.exit_condition) == (pathway.exit_reason == ExitReason.POSITIVE)
    assert not Pathway.objects.filter(status=PathwayStatus.EXITED, exit_date__gt=TODAY).exists()
    # Adults, even those who come back: at 18 or older on the day of every entry.
    for pathway in Pathway.objects.filter(entry_date__isnull=False).select_related("participant"):
        assert age_on(pathway.participant.birth_date, pathway.entry_date) >= 18
    assert not Appointment.objects.filter(
        scheduled_for__date__lt=F("referral__referred_on")
    ).exists()
    assert not Appointment.objects.filter(
        outcome=AppointmentOutcome.PLANNED, scheduled_for__date__lt=TODAY
    ).exists()
    assert not OutreachAttempt.objects.filter(
        Q(attempted_on__lt=F("referral__referred_on")) | Q(attempted_on__gt=TODAY)
    ).exists()
    # Every open referral has the participant status that goes with it.
    for status, participant_status in [
        (ReferralStatus.OUTREACH, ParticipantStatus.OUTREACH),
        (ReferralStatus.AWAITING_APPOINTMENT, ParticipantStatus.REFERRED),
    ]:
        referrals = Referral.objects.filter(status=status)
        assert referrals.exists()
        assert set(referrals.values_list("participant__status", flat=True)) == {participant_status}
    # Assessments name the protocol in force on their date.
    for assessment in EligibilityAssessment.objects.select_related("protocol")[:200]:
        on = datetime.date.fromisoformat(assessment.explanation["on"])
        assert assessment.protocol.valid_from <= on
        assert assessment.protocol.valid_until is None or on <= assessment.protocol.valid_until


def test_the_pipeline_shows_every_stage(demo_db):
    assert Referral.objects.filter(status=ReferralStatus.APPOINTMENT_PLANNED).exists()
    assert OutreachAttempt.objects.filter(referral__status=ReferralStatus.OUTREACH).exists()
    assert Referral.objects.filter(outcome=ReferralOutcome.UNREACHABLE).exists()
    assert Pathway.objects.filter(status=PathwayStatus.DRAFT).exists()
    upcoming = CommitteeMeeting.objects.upcoming(TODAY).first()
    assert upcoming.items.filter(decision=CommitteeDecision.PENDING).exists()
    assert CommitteeItem.objects.filter(decision=CommitteeDecision.REFUSED).exclude(reason="")
    reentries = Pathway.objects.filter(number=2)
    assert reentries.exists()
    for pathway in reentries.select_related("participant"):
        first = pathway.participant.pathways.get(number=1)
        assert first.status == PathwayStatus.EXITED
        assert first.exit_date < pathway.entry_date


def test_positive_exits_meet_the_condition_they_name_and_the_worklists_have_people(demo_db):
    from plie.pathways.selectors import evaluate_exit
    from plie.pathways.worklists import worklists
    from plie.territory.models import Programme

    positive = Pathway.objects.filter(exit_reason=ExitReason.POSITIVE).select_related(
        "participant__programme"
    )
    assert positive.count() > 20
    for pathway in positive[:80]:
        evaluation = evaluate_exit(pathway, pathway.exit_date)
        assert pathway.exit_condition in [r.code for r in evaluation.met]
    exits = Pathway.objects.filter(exit_date__year=TODAY.year)
    neutral = exits.filter(exit_reason__in=NEUTRAL_EXIT_REASONS).count()
    rate = positive.filter(exit_date__year=TODAY.year).count() / (exits.count() - neutral)
    assert rate == pytest.approx(0.51, abs=0.08)
    lists = worklists(Programme.current(), Pathway.objects.all(), Referral.objects.all(), TODAY)
    assert lists.exit_candidates.candidates
    assert lists.without_step.rows.exists()
    assert lists.not_seen.rows.exists()
    assert FollowUp.objects.filter(done_on__isnull=True).exists()


def test_an_export_of_the_demo_re_imports_with_no_row_rejected(demo_db, tmp_path):
    """The importer's checks (48 h a week, an exit reason, no date in the future, dates in
    order…) are the application's: the demo writes nothing they refuse."""
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, 0), tick=False):
        exported = export_path(tmp_path / "export")
        report = import_path(tmp_path / "export", dry_run=True)

    assert report.ok, "\n".join(report.summary()[:20])
    assert report.rows == exported.rows
    assert report.rows["sorties"] > 100 and report.rows["etapes"] > 1000
    assert report.states_changed == 0


def test_the_demo_runs_the_purchasing_chain(demo_db):
    """Issue 11 § 7: the year's programme, a call judged and awarded with three scored
    proposals, its agreement's first instalment paid and the second waiting for the interim
    report, an open call; two providers and steering members who answered."""
    from plie.agreements.enums import InstalmentState
    from plie.agreements.services import reading
    from plie.programme.models import Operation
    from plie.purchasing.enums import CallStatus, ConsultationAnswerChoice, ProposalStatus
    from plie.purchasing.models import CallForProposals, ConsultationAnswer, Evaluation

    assert Operation.objects.values("kind").distinct().count() == 5
    assert all(operation.funding().balanced for operation in Operation.objects.all())
    awarded = CallForProposals.objects.get(status=CallStatus.AWARDED)
    assert awarded.proposals.count() == 3
    assert (
        Evaluation.objects.filter(proposal__call=awarded, completed_at__isnull=False).count() == 6
    )
    winner = awarded.proposals.get(status=ProposalStatus.AWARDED)
    assert winner.provider == User.objects.get(username="prestataire").organisation
    first, second, _ = winner.agreement.instalments.order_by("order")
    assert reading(first).state == InstalmentState.PAID
    second_reading = reading(second)
    assert second_reading.state == InstalmentState.BLOCKED
    assert any("pas encore reçu" in reason for reason in second_reading.reasons)
    opened = CallForProposals.objects.get(status=CallStatus.OPEN)
    assert opened.documents.count() == 2 and opened.proposals.count() == 1
    assert opened.proposals.get().provider == User.objects.get(username="prestataire2").organisation
    answers = ConsultationAnswer.objects.filter(consultation__call=awarded)
    assert answers.filter(answer=ConsultationAnswerChoice.FAVOURABLE).count() == 2
    assert User.objects.filter(role=Role.PROVIDER).count() == 2


def test_the_demo_action_has_its_satisfaction_survey_answered(demo_db):
    """Issue 13, §4 (helper A): the finished cohorts' surveys are opened and most of their
    participants answered, within the links' days; some wrote a free text."""
    from plie.actions import satisfaction
    from plie.actions.models import Action, SurveyAnswer, SurveyInvitation
    from plie.core.suppression import SHOW_ALL

    invitations = SurveyInvitation.objects.all()
    assert invitations.exists()
    finished = {i.cohort for i in invitations}
    assert all(cohort.ends_on < TODAY for cohort in finished)
    answered = invitations.filter(answered_at__isnull=False)
    assert 0.6 <= answered.count() / invitations.count() < 1
    for invitation in answered:
        assert invitation.answered_at.date() <= invitation.closes_on
    assert SurveyAnswer.objects.exclude(text="").exists()
    action = Action.objects.get(pk=next(iter(finished)).action_id)
    found = satisfaction.summary(action=action, small=SHOW_ALL)
    welcome = next(q for q in found.questions if q.code == "accueil")
    assert not found.too_few and 0.5 <= welcome.satisfied <= 1
