"""The figures of an action's report (issue 13, §2) equal a count made by hand on a crafted
action: two groups, five people referred, one who finished, one who dropped out, one who was
declined, one under way, one not answered; the period's bounds move who counts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from plie.accounts.enums import Role
from plie.actions.enums import (
    DrivingLicence,
    DropOutReason,
    Fundamental,
    Moment,
    Presence,
    RecommendationAxis,
    ReferralStatus,
    SheetKind,
    TransportAutonomy,
    Vehicle,
)
from plie.actions.models import (
    Attendance,
    FollowUpSheet,
    FrenchAssessment,
    MobilityAssessment,
    Recommendation,
    SelfAssessment,
    SelfAssessmentAnswer,
)
from plie.core.months import add_months
from plie.evaluation.report_figures import ReportFigures, compute
from plie.participants.enums import ExitReason
from plie.pathways.models import Pathway, Step, StepType
from tests.factories import (
    ProviderFactory,
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
    refer,
)

pytestmark = pytest.mark.django_db


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


class Crafted:
    pass


def _self_assessment(referral, moment, score, on):
    record = SelfAssessment.objects.create(referral=referral, moment=moment, assessed_on=on)
    for fundamental in Fundamental.values:
        SelfAssessmentAnswer.objects.create(
            self_assessment=record, fundamental=fundamental, score=score
        )


@pytest.fixture
def crafted(territory):
    c = Crafted()
    today = timezone.localdate()
    c.start = _monday(today - datetime.timedelta(days=120))
    team = UserFactory(role=Role.COORDINATOR)
    referent = UserFactory(role=Role.REFERENT)
    agreement = make_agreement(ProviderFactory(), by=team, signed=True, starts_on=c.start)
    c.action = make_action(agreement)
    # Nine workshops each: Monday, Tuesday, Thursday over three weeks.
    c.first = make_cohort(c.action, number=1, starts_on=c.start)
    c.second = make_cohort(c.action, number=2, starts_on=c.start + datetime.timedelta(days=63))
    people = [
        active_pathway(referent, entry_date=c.start - datetime.timedelta(days=90)) for _ in range(5)
    ]
    a, b, cc, d, e = (p.participant for p in people)
    c.a = refer(a, c.first, status=ReferralStatus.COMPLETED, ended_on=c.first.ends_on)
    c.b = refer(
        b,
        c.first,
        status=ReferralStatus.DROPPED_OUT,
        ended_on=c.start + datetime.timedelta(days=3),
        drop_out_reason=DropOutReason.PERSONAL,
    )
    c.c = refer(cc, c.first, status=ReferralStatus.DECLINED, decline_reason="Complet")
    c.d = refer(d, c.second, status=ReferralStatus.ACCEPTED)
    c.e = refer(e, c.second)  # sent, not answered
    first_sessions = list(c.first.sessions.order_by("date"))
    second_sessions = list(c.second.sessions.order_by("date"))
    for session in first_sessions:  # A came every time
        Attendance.objects.create(session=session, referral=c.a, presence=Presence.PRESENT)
    for session, presence in zip(
        first_sessions, (Presence.PRESENT, Presence.ABSENT, Presence.EXCUSED), strict=False
    ):
        Attendance.objects.create(session=session, referral=c.b, presence=presence)
    # A mark after B left does not count.
    Attendance.objects.create(session=first_sessions[3], referral=c.b, presence=Presence.PRESENT)
    for session in second_sessions[:6]:  # D: six present, three not recorded
        Attendance.objects.create(session=session, referral=c.d, presence=Presence.PRESENT)
    # Diagnostics: French for A, mobility for D, self-assessment for A (both times) and B.
    FrenchAssessment.objects.create(referral=c.a, assessed_on=c.start, moment=Moment.START)
    MobilityAssessment.objects.create(
        referral=c.d,
        assessed_on=c.second.starts_on,
        driving_licence=DrivingLicence.NONE,
        vehicle=Vehicle.NONE,
        public_transport=TransportAutonomy.AUTONOMOUS,
        travel_radius_km=10,
    )
    _self_assessment(c.a, Moment.START, 2, c.start)
    _self_assessment(c.a, Moment.END, 3, c.first.ends_on)
    _self_assessment(c.b, Moment.START, 1, c.start)
    # Recommendations: two on A's sent sheet, one on D's draft (not counted).
    sent = FollowUpSheet.objects.create(
        referral=c.a, kind=SheetKind.FINAL, observations="Bien.", sent_at=timezone.now()
    )
    draft = FollowUpSheet.objects.create(referral=c.d, kind=SheetKind.INTERIM, observations="…")
    for sheet, axis in ((sent, RecommendationAxis.FRENCH), (sent, RecommendationAxis.MOBILITY)):
        Recommendation.objects.create(sheet=sheet, axis=axis, text="À suivre.")
    Recommendation.objects.create(sheet=draft, axis=RecommendationAxis.OTHER, text="…")
    # Steps: A starts a training 10 days after the action; B's own action step, and a job
    # one day past three months after leaving, count for neither.
    training = StepType.objects.exclude(code="plie-action").first()
    own = StepType.objects.get(code="plie-action")
    Step.objects.create(
        pathway=c.a.pathway,
        step_type=training,
        start_date=c.a.ended_on + datetime.timedelta(days=10),
    )
    b_step = Step.objects.create(pathway=c.b.pathway, step_type=own, start_date=c.b.ended_on)
    c.b.step = b_step
    c.b.save(update_fields=["step"])
    Step.objects.create(
        pathway=c.b.pathway,
        step_type=training,
        start_date=add_months(c.b.ended_on, 3) + datetime.timedelta(days=1),
    )
    # A positive exit for A since the action; B left the PLIE otherwise.
    Pathway.objects.filter(pk=c.a.pathway_id).update(
        exit_reason=ExitReason.POSITIVE, exit_date=today - datetime.timedelta(days=5)
    )
    Pathway.objects.filter(pk=c.b.pathway_id).update(
        exit_reason=ExitReason.ABANDONED, exit_date=today - datetime.timedelta(days=5)
    )
    c.today = today
    return c


def _values(figures: ReportFigures) -> dict:
    return {key: figure.value for key, figure in figures.values().items()}


def test_figures_of_the_whole_action_equal_the_count_by_hand(crafted):
    figures = compute(crafted.action, starts_on=crafted.start, ends_on=crafted.today)
    values = _values(figures)
    assert values["referred"] == 5  # A, B, C, D, E
    assert values["accepted"] == 3  # A, B, D
    assert values["started"] == 3
    assert values["completed"] == 1
    assert values["dropped_out"] == 1
    # A: 9 of 9, B: 1 of 3 (until Thursday), D: 6 of 9 → 16 of 21.
    assert values["attendance_rate"] == Decimal(16) / Decimal(21)
    assert values["days_held"] == Decimal(9)  # 18 half-days
    assert values["days_delivered"] == Decimal(8)
    assert values["diagnostic_french"] == 1
    assert values["diagnostic_mobility"] == 1
    assert values["diagnostic_clea"] == 0
    assert values["diagnostic_self_assessment"] == 2
    assert values["self_assessed"] == 1
    assert values["self_confidence_start"] == Decimal("2.0")
    assert values["self_confidence_end"] == Decimal("3.0")
    assert values["recommendations"] == 2
    assert values["recommended_people"] == 1
    assert values["left"] == 2
    assert values["steps_within_3_months"] == 1
    assert values["positive_exits"] == 1


def test_a_period_before_the_second_group_leaves_it_out(crafted):
    end = crafted.second.starts_on - datetime.timedelta(days=1)
    values = _values(compute(crafted.action, starts_on=crafted.start, ends_on=end))
    assert values["started"] == 2  # A and B
    assert values["attendance_rate"] == Decimal(10) / Decimal(12)
    assert values["diagnostic_mobility"] == 0
    # Referred today: after the period.
    assert values["referred"] == 0


def test_a_step_three_months_after_to_the_day_counts(crafted):
    training = StepType.objects.exclude(code="plie-action").first()
    Step.objects.filter(pathway=crafted.b.pathway, step_type=training).update(
        start_date=add_months(crafted.b.ended_on, 3)
    )
    values = _values(compute(crafted.action, starts_on=crafted.start, ends_on=crafted.today))
    assert values["steps_within_3_months"] == 2


def test_a_withdrawn_step_does_not_count(crafted):
    step = Step.objects.get(pathway=crafted.a.pathway, start_date__gt=crafted.a.ended_on)
    Step.including_withdrawn.filter(pk=step.pk).update(
        withdrawn_at=timezone.now(), withdrawal_reason="Saisie en double"
    )
    values = _values(compute(crafted.action, starts_on=crafted.start, ends_on=crafted.today))
    assert values["steps_within_3_months"] == 0


def test_figures_go_to_json_and_back_unchanged(crafted):
    figures = compute(crafted.action, starts_on=crafted.start, ends_on=crafted.today)
    again = ReportFigures.from_json(figures.as_json())
    assert again == figures
    assert again.differences(figures) == []


def test_differences_name_the_figure_and_both_values(crafted):
    before = compute(crafted.action, starts_on=crafted.start, ends_on=crafted.today)
    Pathway.objects.filter(pk=crafted.a.pathway_id).update(exit_reason=ExitReason.MOVED)
    after = compute(crafted.action, starts_on=crafted.start, ends_on=crafted.today)
    assert before.differences(after) == ["Sorties positives du PLIE depuis l'action : 1 → 0"]


def test_the_figures_take_few_queries(crafted, django_assert_max_num_queries):
    # Five sections of counts, the statement of days, and the satisfaction survey's summary.
    with django_assert_max_num_queries(18):
        compute(crafted.action, starts_on=crafted.start, ends_on=crafted.today)


# Satisfaction ------------------------------------------------------------------------------


def _surveyed(answers: list[int], people=6):
    """A finished group of `people`, the survey opened, `answers` the scale each one gave."""
    from plie.actions import surveys
    from tests.factories import answer_survey, survey_cohort

    team = UserFactory(role=Role.COORDINATOR)
    cohort = survey_cohort(people=people, by=team)
    invitations = surveys.open_survey(
        cohort=cohort, closes_on=timezone.localdate() + datetime.timedelta(days=7), by=team
    )
    for invitation, scale in zip(invitations, answers, strict=False):
        answer_survey(invitation, scale=scale)
    return compute(cohort.action, starts_on=cohort.starts_on, ends_on=timezone.localdate())


def test_the_survey_s_answers_and_share_satisfied_equal_the_count_by_hand(territory):
    figures = _surveyed([4, 3, 4, 1, 2], people=6)
    values = _values(figures)
    assert values["survey_invited"] == 6
    assert values["survey_answered"] == 5
    assert values["survey_rate"] == Decimal("0.8333")
    scale_keys = [
        key
        for key in values
        if key.startswith("survey_")
        and key not in ("survey_invited", "survey_answered", "survey_rate")
    ]
    assert scale_keys, "the default survey has scale questions"
    # Three of five answered 3 or 4 on every scale question.
    assert {values[key] for key in scale_keys} == {Decimal("0.6")}


def test_under_five_answers_the_shares_are_not_given(territory):
    values = _values(_surveyed([4, 4, 4, 4], people=6))
    assert values["survey_invited"] == 6
    assert values["survey_rate"] is None
    shares = [v for k, v in values.items() if k.startswith("survey_") and k != "survey_invited"]
    assert shares and all(value is None for value in shares)
