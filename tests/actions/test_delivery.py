"""The rule of days delivered (actions/delivery.py), case by case: a day is two half-days;
cancelled sessions count nowhere; an individual interview counts only for its person; a
person who left is not counted after their last day; excused absences are shown apart."""

import datetime
from decimal import Decimal

from plie.actions.delivery import Counts, PersonFacts, SessionFacts, combine, deliver

MONDAY = datetime.date(2026, 3, 2)
HOURS = Decimal("3.5")


def sessions(count, **fields):
    return [
        SessionFacts(key=n, date=MONDAY + datetime.timedelta(days=n), hours=HOURS, **fields)
        for n in range(1, count + 1)
    ]


def test_two_half_days_present_make_a_day_and_hours_follow_the_sessions():
    result = deliver(sessions(4), [PersonFacts(1)], {(1, 1): "present", (2, 1): "present"})
    counts = result.of(1)
    assert (counts.concerned, counts.present, counts.not_recorded) == (4, 2, 2)
    assert counts.days_present == Decimal(1)
    assert counts.hours_present == Decimal(7)
    assert counts.rate == Decimal("0.5")
    assert result.days_held == Decimal(2)
    assert result.hours_held == Decimal(14)


def test_no_session_held_gives_no_rate_rather_than_zero():
    result = deliver([], [PersonFacts(1)], {})
    assert result.of(1).rate is None
    assert result.totals.rate is None
    assert result.days_held == 0
    assert "Aucune séance tenue" in result.of(1).explanation()


def test_all_excused_is_a_rate_of_zero_with_the_excused_counted_apart():
    marks = {(n, 1): "excused" for n in range(1, 4)}
    counts = deliver(sessions(3), [PersonFacts(1)], marks).of(1)
    assert (counts.present, counts.excused, counts.absent) == (0, 3, 0)
    assert counts.rate == 0
    assert counts.explanation() == (
        "aucune demi-journée de présence sur 3 demi-journées tenues (0\xa0%) ; 3 absences excusées."
    )


def test_cancelled_sessions_do_not_count_even_with_a_presence_recorded():
    cancelled = SessionFacts(key=9, date=MONDAY, hours=HOURS, held=False)
    result = deliver([*sessions(2), cancelled], [PersonFacts(1)], {(9, 1): "present"})
    assert result.sessions_held == 2
    assert result.sessions_cancelled == 1
    assert result.of(1).present == 0
    assert result.of(1).concerned == 2


def test_an_individual_interview_counts_only_for_its_person():
    interview = SessionFacts(key=5, date=MONDAY, hours=Decimal(1), for_person=2)
    result = deliver(
        [interview], [PersonFacts(1), PersonFacts(2)], {(5, 1): "present", (5, 2): "present"}
    )
    assert result.of(1).concerned == 0
    assert result.of(1).present == 0
    assert (result.of(2).concerned, result.of(2).present) == (1, 1)
    assert result.of(2).hours_present == Decimal(1)


def test_a_person_who_left_is_not_counted_after_their_last_day():
    left = PersonFacts(1, until=MONDAY + datetime.timedelta(days=2))
    counts = deliver(sessions(4), [left], {(1, 1): "present", (2, 1): "absent"}).of(1)
    assert (counts.concerned, counts.present, counts.absent) == (2, 1, 1)


def test_the_period_keeps_only_its_sessions():
    period = (MONDAY + datetime.timedelta(days=2), MONDAY + datetime.timedelta(days=3))
    result = deliver(sessions(4), [PersonFacts(1)], {(1, 1): "present"}, period=period)
    assert result.sessions_held == 2
    assert result.of(1).present == 0


def test_a_cohort_total_and_an_action_total_add_their_parts():
    first = deliver(sessions(2), [PersonFacts(1), PersonFacts(2)], {(1, 1): "present"})
    second = deliver(sessions(2), [PersonFacts(3)], {(1, 3): "present", (2, 3): "absent"})
    assert first.totals == Counts(4, 1, 0, 0, HOURS)
    action = combine([first, second])
    assert action.sessions_held == 4
    assert action.totals.present == 2
    assert action.totals.rate == Decimal(2) / Decimal(6)
