"""Writing actions, cohorts and sessions: an action within its agreement, its cohorts generated
from the calendar (again while nobody is referred, never after), a session moved (its first
day kept), cancelled (with a reason) or added by hand — never on a holiday nor outside its
cohort."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plie.actions import services
from plie.actions.enums import Diagnostic, HalfDay, SessionKind, SessionStatus
from plie.actions.models import Cohort, Session
from tests.factories import ParticipantFactory, make_action, make_agreement, refer

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def agreement(territory, coordinator):
    return make_agreement(starts_on=D(2027, 1, 1), by=coordinator)


def create(agreement, coordinator, **fields):
    values = {
        "programme": agreement.programme,
        "agreement": agreement,
        "title": "Remobilisation vers l'emploi",
        "places": 120,
        "starts_on": D(2027, 1, 4),
        "ends_on": D(2027, 12, 31),
        "weekdays": [3, 0, 1],
        "diagnostics": [Diagnostic.MOBILITY, Diagnostic.FRENCH],
        "by": coordinator,
    }
    values.update(fields)
    return services.create_action(**values)


def test_an_action_is_created_on_its_agreement_with_sorted_weekdays(agreement, coordinator):
    action = create(agreement, coordinator)
    assert action.weekdays == [0, 1, 3]
    assert action.diagnostics == [Diagnostic.FRENCH, Diagnostic.MOBILITY]
    assert action.created_by == coordinator


def test_an_action_outside_its_agreement_is_refused(agreement, coordinator):
    with pytest.raises(ValidationError) as raised:
        create(agreement, coordinator, ends_on=D(2028, 3, 1))
    assert "pendant la convention" in raised.value.message_dict["ends_on"][0]


def test_an_action_without_weekday_is_refused_in_french(agreement, coordinator):
    with pytest.raises(ValidationError) as raised:
        create(agreement, coordinator, weekdays=[])
    assert "Choisissez au moins un jour" in raised.value.message_dict["weekdays"][0]


def test_generation_creates_the_cohorts_and_sessions_of_the_calendar(agreement, coordinator):
    action = create(agreement, coordinator, ends_on=D(2027, 2, 28), maximum_per_cohort=10)
    plan = services.generate_cohorts(action=action, by=coordinator)
    cohorts = list(action.cohorts.order_by("number"))
    assert [(c.number, c.starts_on, c.ends_on, c.capacity) for c in cohorts] == [
        (1, D(2027, 1, 4), D(2027, 1, 21), 10),
        (2, D(2027, 1, 25), D(2027, 2, 11), 10),
    ]
    assert cohorts[0].sessions.count() == 9
    assert plan.session_count == Session.objects.filter(cohort__action=action).count() == 18


def test_generation_skips_easter_monday(agreement, coordinator):
    action = create(agreement, coordinator, starts_on=D(2027, 3, 22), ends_on=D(2027, 4, 30))
    plan = services.generate_cohorts(action=action, by=coordinator)
    assert [d.explanation for d in plan.skipped] == ["Lundi de Pâques : pas de séance"]
    assert not Session.objects.filter(date=D(2027, 3, 29)).exists()


def test_generation_again_replaces_cohorts_nobody_is_referred_to(agreement, coordinator):
    action = create(agreement, coordinator, ends_on=D(2027, 2, 28))
    services.generate_cohorts(action=action, by=coordinator)
    first = set(action.cohorts.values_list("pk", flat=True))
    action.cohort_weeks = 2
    action.save()
    services.generate_cohorts(action=action, by=coordinator)
    assert not first & set(action.cohorts.values_list("pk", flat=True))
    assert action.cohorts.count() == 3


def test_generation_is_refused_once_someone_is_referred(agreement, coordinator, referent):
    action = create(agreement, coordinator, ends_on=D(2027, 2, 28))
    services.generate_cohorts(action=action, by=coordinator)
    refer(ParticipantFactory(referent=referent), action.cohorts.first())
    with pytest.raises(ValidationError, match="déjà orientées"):
        services.generate_cohorts(action=action, by=coordinator)
    assert action.cohorts.count() == 2


def test_generation_of_a_period_too_short_is_refused_saying_why(agreement, coordinator):
    action = create(agreement, coordinator, ends_on=D(2027, 1, 10))
    with pytest.raises(ValidationError, match="trop courte"):
        services.generate_cohorts(action=action, by=coordinator)
    assert not Cohort.objects.exists()


@pytest.fixture
def cohort(agreement, coordinator):
    action = make_action(agreement, starts_on=D(2027, 3, 22), ends_on=D(2027, 6, 30))
    services.generate_cohorts(action=action, by=coordinator)
    return action.cohorts.get(number=1)  # 22 March to 8 April, Easter Monday skipped


def test_a_moved_session_keeps_the_day_it_was_planned_on(cohort, coordinator):
    session = cohort.sessions.get(date=D(2027, 3, 23))
    services.move_session(session=session, date=D(2027, 3, 24), half_day="afternoon", by=None)
    services.move_session(session=session, date=D(2027, 3, 26), half_day="morning", by=None)
    session.refresh_from_db()
    assert (session.date, session.half_day, session.moved_from) == (
        D(2027, 3, 26),
        HalfDay.MORNING,
        D(2027, 3, 23),
    )


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (D(2027, 3, 29), "jour férié (Lundi de Pâques) : choisissez un autre jour"),
        (D(2027, 3, 21), "se déroule du 22/03/2027 au 08/04/2027 : choisissez une date"),
        (D(2027, 4, 9), "se déroule du 22/03/2027 au 08/04/2027"),
    ],
)
def test_a_session_moved_onto_a_holiday_or_outside_its_cohort_is_refused(cohort, date, message):
    session = cohort.sessions.get(date=D(2027, 3, 23))
    with pytest.raises(ValidationError) as raised:
        services.move_session(session=session, date=date, half_day="morning", by=None)
    assert message in raised.value.message_dict["date"][0]


def test_a_session_moved_onto_another_workshop_is_refused(cohort):
    session = cohort.sessions.get(date=D(2027, 3, 23))
    with pytest.raises(ValidationError, match="déjà un atelier le 22/03/2027"):
        services.move_session(session=session, date=D(2027, 3, 22), half_day="morning", by=None)


def test_a_cancelled_session_keeps_its_reason_and_needs_one(cohort):
    session = cohort.sessions.first()
    with pytest.raises(ValidationError, match="Dites pourquoi"):
        services.cancel_session(session=session, reason="  ", by=None)
    services.cancel_session(session=session, reason="Intervenante malade", by=None)
    session.refresh_from_db()
    assert (session.status, session.cancellation_reason) == (
        SessionStatus.CANCELLED,
        "Intervenante malade",
    )
    with pytest.raises(ValidationError, match="ajoutez plutôt"):
        services.move_session(session=session, date=D(2027, 3, 24), half_day="morning", by=None)


def test_a_session_added_by_hand_says_so(cohort):
    session = services.add_session(
        cohort=cohort,
        date=D(2027, 3, 31),
        half_day="afternoon",
        kind=SessionKind.INDIVIDUAL,
        hours=Decimal("1.5"),
        topic="Point sur le projet",
        by=None,
    )
    assert session.added_by_hand and session.kind == SessionKind.INDIVIDUAL


def test_a_session_added_on_a_holiday_is_refused(cohort):
    with pytest.raises(ValidationError, match="Lundi de Pâques"):
        services.add_session(
            cohort=cohort,
            date=D(2027, 3, 29),
            half_day="morning",
            kind=SessionKind.WORKSHOP,
            hours=Decimal("3"),
            by=None,
        )
