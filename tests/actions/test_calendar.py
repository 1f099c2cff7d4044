"""The calendar of an action (seed 001: an entry every three weeks, three weeks part-time):
cohorts from the first workshop day, none that would end after the period, each public holiday's
session skipped — not moved — and named."""

import datetime
from decimal import Decimal

import pytest

from plie.actions.calendar import CalendarError, Rhythm, plan

D = datetime.date
MONDAY, TUESDAY, THURSDAY = 0, 1, 3


def rhythm(**fields) -> Rhythm:
    values = {
        "starts_on": D(2027, 1, 4),
        "ends_on": D(2027, 12, 31),
        "cohort_every_weeks": 3,
        "cohort_weeks": 3,
        "weekdays": (MONDAY, TUESDAY, THURSDAY),
        "half_day": "morning",
        "hours": Decimal("3.5"),
    }
    values.update(fields)
    return Rhythm(**values)


def test_seed_001_enters_a_group_every_three_weeks_for_three_weeks_of_half_days():
    result = plan(rhythm(starts_on=D(2027, 1, 4), ends_on=D(2027, 2, 28)))
    assert [(c.number, c.starts_on, c.ends_on) for c in result.cohorts] == [
        (1, D(2027, 1, 4), D(2027, 1, 21)),
        (2, D(2027, 1, 25), D(2027, 2, 11)),
    ]
    first = result.cohorts[0]
    assert [s.date for s in first.sessions] == [
        D(2027, 1, 4), D(2027, 1, 5), D(2027, 1, 7),
        D(2027, 1, 11), D(2027, 1, 12), D(2027, 1, 14),
        D(2027, 1, 18), D(2027, 1, 19), D(2027, 1, 21),
    ]  # fmt: skip
    assert first.hours == Decimal("31.5")
    assert first.skipped == ()


def test_the_first_cohort_starts_on_the_first_workshop_day_on_or_after_the_period_start():
    # Wednesday 6 January 2027: the first Monday, Tuesday or Thursday is Thursday 7.
    result = plan(rhythm(starts_on=D(2027, 1, 6)))
    assert result.cohorts[0].starts_on == D(2027, 1, 7)
    assert result.cohorts[1].starts_on == D(2027, 1, 28)


# Each holiday of 2027 on its own weekday: a cohort of two weeks that starts on it has one
# session, a week later; the holiday's is skipped, not moved, and named.
HOLIDAYS_2027 = [
    (D(2027, 1, 1), "Jour de l'an"),
    (D(2027, 3, 29), "Lundi de Pâques"),
    (D(2027, 5, 1), "Fête du Travail"),
    (D(2027, 5, 6), "Ascension"),
    (D(2027, 5, 8), "Fête de la Victoire"),
    (D(2027, 5, 17), "Lundi de Pentecôte"),
    (D(2027, 7, 14), "Fête nationale"),
    (D(2027, 8, 15), "Assomption"),
    (D(2027, 11, 1), "Toussaint"),
    (D(2027, 11, 11), "Armistice"),
    (D(2027, 12, 25), "Noël"),
]


@pytest.mark.parametrize(("holiday", "name"), HOLIDAYS_2027, ids=[n for _, n in HOLIDAYS_2027])
def test_a_public_holiday_s_session_is_skipped_not_moved(holiday, name):
    result = plan(
        rhythm(
            starts_on=holiday,
            ends_on=holiday + datetime.timedelta(days=13),
            cohort_weeks=2,
            weekdays=(holiday.weekday(),),
        )
    )
    (cohort,) = result.cohorts
    assert cohort.starts_on == holiday
    week_later = holiday + datetime.timedelta(days=7)
    # 1 May and Christmas: 8 May and New Year's Day are a week later, skipped too.
    twice = week_later in {D(2027, 5, 8), D(2028, 1, 1)}
    assert [s.date for s in cohort.sessions] == ([] if twice else [week_later])
    assert (cohort.skipped[0].date, cohort.skipped[0].holiday) == (holiday, name)
    assert len(cohort.skipped) == (2 if twice else 1)
    assert result.skipped[0].explanation == f"{name} : pas de séance"


def test_the_day_before_and_after_easter_monday_are_ordinary_days():
    result = plan(
        rhythm(
            starts_on=D(2027, 3, 28),
            ends_on=D(2027, 4, 3),
            cohort_weeks=1,
            weekdays=(6, 0, 1),  # Sunday 28, Monday 29 (Easter), Tuesday 30
        )
    )
    (cohort,) = result.cohorts
    assert [s.date for s in cohort.sessions] == [D(2027, 3, 28), D(2027, 3, 30)]
    assert [day.holiday for day in cohort.skipped] == ["Lundi de Pâques"]


def test_may_with_its_four_holidays_keeps_the_other_days():
    # Mondays to Fridays of 3 to 21 May 2027: Ascension (Thursday 6) and Whit Monday (17)
    # fall on workshop days; 1 and 8 May are Saturdays.
    result = plan(rhythm(starts_on=D(2027, 5, 3), ends_on=D(2027, 5, 21), weekdays=(0, 1, 2, 3, 4)))
    (cohort,) = result.cohorts
    assert len(cohort.sessions) == 13
    assert [(d.date, d.holiday) for d in cohort.skipped] == [
        (D(2027, 5, 6), "Ascension"),
        (D(2027, 5, 17), "Lundi de Pentecôte"),
    ]


def test_a_cohort_over_new_year_reads_the_next_year_s_holidays():
    result = plan(rhythm(starts_on=D(2027, 12, 20), ends_on=D(2028, 1, 14), weekdays=(0, 5)))
    (cohort,) = result.cohorts
    assert [d.holiday for d in cohort.skipped] == ["Noël", "Jour de l'an"]


def test_a_cohort_that_would_end_after_the_period_is_not_created():
    # The third group would run from 15 February to 4 March; the period ends on 3 March.
    result = plan(rhythm(starts_on=D(2027, 1, 4), ends_on=D(2027, 3, 3)))
    assert [c.number for c in result.cohorts] == [1, 2]
    assert result.note == (
        "Un groupe commençant le lundi 15/02/2027 finirait le jeudi 04/03/2027, après la fin "
        "de la période (mercredi 03/03/2027) : il n'est pas créé."
    )


def test_a_cohort_that_ends_on_the_last_day_of_the_period_is_created():
    result = plan(rhythm(starts_on=D(2027, 1, 4), ends_on=D(2027, 3, 4)))
    assert [c.ends_on for c in result.cohorts][-1] == D(2027, 3, 4)
    assert len(result.cohorts) == 3


def test_a_period_too_short_for_one_cohort_gives_none_and_says_why():
    result = plan(rhythm(starts_on=D(2027, 1, 4), ends_on=D(2027, 1, 14)))
    assert result.cohorts == ()
    assert result.note.startswith("La période (lundi 04/01/2027 – jeudi 14/01/2027) est trop")


def test_every_week_cohorts_overlap():
    result = plan(rhythm(starts_on=D(2027, 1, 4), ends_on=D(2027, 2, 4), cohort_every_weeks=1))
    assert [c.starts_on for c in result.cohorts] == [
        D(2027, 1, 4),
        D(2027, 1, 11),
        D(2027, 1, 18),
    ]
    assert result.cohorts[1].starts_on < result.cohorts[0].ends_on


def test_no_weekday_is_refused_in_french():
    with pytest.raises(CalendarError, match="Choisissez au moins un jour d'atelier"):
        plan(rhythm(weekdays=()))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"weekdays": (7,)}, "du lundi"),
        ({"starts_on": D(2027, 2, 1), "ends_on": D(2027, 1, 1)}, "La fin de la période suit"),
        ({"cohort_every_weeks": 0}, "une entrée toutes les 1 semaine"),
        ({"cohort_weeks": 0}, "au moins une semaine"),
        (
            {"cohort_every_weeks": 1, "cohort_weeks": 1, "ends_on": D(2031, 12, 31)},
            "plus de 200 groupes",
        ),
    ],
)
def test_a_rhythm_that_cannot_be_followed_is_refused_saying_what_to_correct(fields, message):
    with pytest.raises(CalendarError, match=message):
        plan(rhythm(**fields))


def test_the_plan_carries_the_individual_interviews_per_person_and_counts():
    result = plan(rhythm(starts_on=D(2027, 1, 4), ends_on=D(2027, 1, 24), individual_interviews=2))
    assert result.individual_interviews == 2
    assert result.session_count == 9


def test_the_holidays_of_a_cohort_are_those_on_its_workshop_days():
    from plie.actions.calendar import holidays_between

    found = holidays_between(D(2027, 5, 1), D(2027, 5, 31), (MONDAY, THURSDAY))
    assert [(d.date, d.holiday) for d in found] == [
        (D(2027, 5, 6), "Ascension"),
        (D(2027, 5, 17), "Lundi de Pentecôte"),
    ]
