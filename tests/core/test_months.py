"""Dates and durations, settled once for every rule and figure (core.months), at each
boundary: the day before and the day after, month ends, leap years, the 30-day carry; and
the same lengths computed in SQL (expressions.MonthsBetween), on SQLite as on PostgreSQL.
"""

import datetime

import pytest
from django.db import connection
from django.db.models import DateField, Value
from hypothesis import given, settings
from hypothesis import strategies as st

from plie.core.expressions import MonthsBetween
from plie.core.months import (
    Duration,
    add_months,
    added,
    latest_start,
    length_until,
    months_and_days_between,
    period_length,
    reached_on,
    total_length,
    window_start,
)
from plie.pathways.models import Pathway
from tests.factories import active_pathway

D = datetime.date
DAY = datetime.timedelta(days=1)
JAN_1 = D(2026, 1, 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 1), 6, D(2026, 7, 1)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 3, 31), -12, D(2025, 3, 31)),
        (D(2024, 2, 29), -12, D(2023, 2, 28)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
    ],
    ids=[
        "six-months",
        "end-of-january",
        "leap-year",
        "back-a-year",
        "back-from-29-february",
        "31-august",
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (JAN_1, D(2026, 6, 30), (5, 29)),
        (JAN_1, D(2026, 7, 1), (6, 0)),
        (JAN_1, D(2026, 7, 4), (6, 3)),
        (D(2026, 1, 31), D(2026, 2, 28), (1, 0)),
        (JAN_1, D(2025, 12, 31), (0, 0)),
    ],
    ids=["five-months-29-days", "six-months", "six-months-3-days", "end-of-february", "reversed"],
)
def test_months_and_days_counts_whole_calendar_months_then_days(start, end, expected):
    assert months_and_days_between(start, end) == expected


# --- One unbroken period -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_day", "last_day", "expected"),
    [
        (D(2026, 1, 10), D(2026, 7, 8), Duration(5, 29)),  # the day before: not yet
        (D(2026, 1, 10), D(2026, 7, 9), Duration(6)),  # 10 January: 6 months on 9 July
        (D(2026, 1, 10), D(2026, 7, 10), Duration(6, 1)),  # the day after
        (JAN_1, D(2026, 6, 29), Duration(5, 29)),  # 180 days, still not 6 months
        (D(2025, 7, 1), D(2025, 12, 30), Duration(5, 30)),  # 30 days left, not a month
        (D(2026, 1, 31), D(2026, 2, 27), Duration(1)),  # 31 January + 1 month: 28 February
        (D(2024, 1, 31), D(2024, 2, 28), Duration(1)),  # in a leap year: 29 February
        (D(2024, 2, 29), D(2025, 2, 27), Duration(12)),  # from 29 February: 28 February
        (D(2026, 3, 5), D(2026, 3, 5), Duration(0, 1)),  # one day
        (D(2026, 3, 5), D(2026, 3, 4), Duration(0)),  # ends before it starts: nothing
    ],
)
def test_an_unbroken_period_counts_calendar_months_then_days(first_day, last_day, expected):
    assert period_length(first_day, last_day) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 10), 6, D(2026, 7, 9)),
        (JAN_1, 6, D(2026, 6, 30)),
        (D(2026, 1, 31), 1, D(2026, 2, 27)),
        (D(2024, 1, 31), 1, D(2024, 2, 28)),
        (D(2026, 8, 31), 6, D(2027, 2, 27)),
    ],
)
def test_a_period_reaches_its_months_the_day_before_the_same_date_months_later(
    start, months, expected
):
    assert reached_on(start, months) == expected
    assert period_length(start, expected).reaches(months)
    assert not period_length(start, expected - DAY).reaches(months)


def test_more_than_six_months_is_six_months_and_one_day():
    assert not period_length(JAN_1, D(2026, 6, 30)).exceeds(6)  # exactly 6 months
    assert period_length(JAN_1, D(2026, 7, 1)).exceeds(6)  # 6 months 1 day
    assert Duration(6).reaches(6) and not Duration(5, 30).reaches(6)


def test_a_length_up_to_an_excluded_day_is_what_a_pathway_lasts():
    assert length_until(JAN_1, JAN_1) == Duration(0)  # entered and exited the same day
    assert length_until(D(2026, 1, 10), D(2026, 7, 10)) == Duration(6)
    assert length_until(JAN_1, D(2026, 12, 31)) == Duration(11, 30)
    assert length_until(JAN_1, D(2027, 1, 1)) == Duration(12)


# --- Several periods -----------------------------------------------------------------------


def test_four_months_and_two_months_make_six_months():
    """The domain's example: 01/01–30/04 + 01/06–31/07."""
    periods = [(JAN_1, D(2026, 4, 30)), (D(2026, 6, 1), D(2026, 7, 31))]
    assert total_length(periods) == Duration(6)


@pytest.mark.parametrize(
    ("lengths", "expected"),
    [
        ([Duration(2, 20), Duration(3, 9)], Duration(5, 29)),
        ([Duration(2, 20), Duration(3, 10)], Duration(6, 0)),  # 30 days make a month
        ([Duration(2, 20), Duration(3, 11)], Duration(6, 1)),
        ([Duration(0, 29), Duration(0, 29), Duration(0, 29)], Duration(2, 27)),
        ([Duration(5, 30)], Duration(5, 30)),  # one period: calendar months only
        ([], Duration(0)),
    ],
)
def test_several_periods_add_months_and_days_every_30_days_making_a_month(lengths, expected):
    assert added(lengths) == expected


def test_one_period_of_5_months_30_days_is_not_six_months_but_two_can_be():
    one = [(D(2025, 7, 1), D(2025, 12, 30))]
    two = [(D(2025, 7, 1), D(2025, 9, 30)), (D(2025, 10, 1), D(2025, 12, 30))]
    assert not total_length(one).reaches(6)
    assert total_length(two) == Duration(6)  # 3 months + 2 months 30 days


def test_a_length_in_months_counts_days_in_30ths():
    assert Duration(5, 29).in_months == pytest.approx(5 + 29 / 30)
    assert Duration(12).in_months == 12


# --- Windows and latest starts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "months", "expected"),
    [
        (D(2026, 3, 31), 12, D(2025, 4, 1)),
        (D(2026, 12, 31), 12, JAN_1),
        (D(2025, 2, 28), 12, D(2024, 3, 1)),  # 29 February 2024 would be a day too many
        (D(2024, 2, 28), 12, D(2023, 3, 1)),
        (D(2024, 2, 29), 12, D(2023, 3, 1)),
        (D(2026, 2, 28), 1, D(2026, 2, 1)),
        (D(2026, 3, 31), 1, D(2026, 3, 1)),
        (D(2026, 2, 27), 1, D(2026, 1, 28)),
    ],
)
def test_the_months_ending_on_a_date_are_the_longest_period_of_at_most_that_many(
    on, months, expected
):
    assert window_start(on, months) == expected
    assert not period_length(expected, on).exceeds(months)
    assert period_length(expected - DAY, on).exceeds(months)


@pytest.mark.parametrize(
    ("months", "on", "expected"),
    [
        (6, D(2026, 11, 30), D(2026, 6, 1)),  # 1 June to 30 November: 6 months
        (6, D(2026, 6, 30), D(2026, 1, 1)),
        (6, D(2026, 7, 9), D(2026, 1, 10)),
        (1, D(2026, 2, 27), D(2026, 1, 31)),  # from 31 January, reached on 27 February
        (1, D(2026, 2, 28), D(2026, 2, 1)),  # 1 February to 28 February: one month
        (12, D(2028, 2, 28), D(2027, 2, 28)),  # a leap year in between
    ],
)
def test_latest_start_is_the_last_day_that_reaches_the_months_by_the_date(months, on, expected):
    assert latest_start(months, on) == expected
    assert reached_on(expected, months) <= on
    assert reached_on(expected + DAY, months) > on


@settings(max_examples=300, database=None, deadline=None)
@given(
    on=st.dates(D(2020, 1, 1), D(2032, 12, 31)),
    months=st.integers(1, 36),
    back=st.integers(-5, 5),
)
def test_a_period_reaches_its_months_by_the_date_exactly_when_it_starts_by_latest_start(
    on, months, back
):
    start = latest_start(months, on) + datetime.timedelta(days=back)
    assert period_length(start, on).reaches(months) is (start <= latest_start(months, on))


@settings(max_examples=300, database=None, deadline=None)
@given(on=st.dates(D(2020, 1, 1), D(2032, 12, 31)), months=st.integers(1, 36))
def test_a_window_is_never_longer_than_its_months_and_a_day_more_would_be(on, months):
    first_day = window_start(on, months)
    assert not period_length(first_day, on).exceeds(months)
    assert period_length(first_day - DAY, on).exceeds(months)
    assert (on - first_day).days + 1 >= 28 * months  # what positive_exit_needs relies on


@settings(max_examples=300, database=None, deadline=None)
@given(
    starts=st.lists(st.dates(D(2023, 1, 1), D(2026, 12, 31)), min_size=1, max_size=5),
    lengths=st.lists(st.integers(0, 400), min_size=5, max_size=5),
)
def test_months_always_take_at_least_28_days_each(starts, lengths):
    """What the worklists' pre-selection relies on: n months, of one period or several
    added, cover at least 28 × n days."""
    periods = [
        (start, start + datetime.timedelta(days=length))
        for start, length in zip(starts, lengths, strict=False)
    ]
    days = sum((last - first).days + 1 for first, last in periods)
    assert days >= 28 * total_length(periods).months


# --- The same lengths in SQL -------------------------------------------------------------------

# (entry, exit): month ends, leap years, the day before and after, a new year.
PAIRS = [
    (JAN_1, JAN_1),
    (JAN_1, D(2026, 1, 2)),
    (D(2026, 1, 10), D(2026, 7, 9)),
    (D(2026, 1, 10), D(2026, 7, 10)),
    (D(2026, 1, 10), D(2026, 7, 11)),
    (D(2026, 1, 31), D(2026, 2, 27)),
    (D(2026, 1, 31), D(2026, 2, 28)),
    (D(2026, 1, 30), D(2026, 3, 2)),
    (D(2024, 1, 31), D(2024, 2, 28)),
    (D(2024, 1, 31), D(2024, 2, 29)),
    (D(2024, 2, 29), D(2025, 2, 28)),
    (D(2024, 2, 29), D(2025, 3, 1)),
    (D(2023, 12, 31), D(2024, 2, 29)),
    (D(2026, 8, 31), D(2026, 9, 30)),
    (D(2026, 8, 31), D(2026, 10, 1)),
    (D(2025, 12, 31), D(2027, 1, 1)),
    (D(2026, 3, 31), D(2026, 4, 30)),
    (D(2026, 5, 31), D(2026, 3, 1)),  # backwards: nothing
    (D(1999, 12, 31), D(2100, 3, 1)),  # centuries: 2000 leap, 2100 not
]


@pytest.mark.django_db
def test_months_between_in_sql_is_length_until_in_python(referent):
    for entry, exit_on in PAIRS:
        pathway = active_pathway(referent, entry_date=entry)
        Pathway.objects.filter(pk=pathway.pk).update(exit_date=exit_on)
    rows = Pathway.objects.annotate(months=MonthsBetween("exit_date", "entry_date")).values_list(
        "entry_date", "exit_date", "months"
    )
    computed = {(entry, exit_on): months for entry, exit_on, months in rows}
    expected = {pair: length_until(*pair).in_months for pair in PAIRS}
    assert computed == pytest.approx(expected)
    assert computed[(D(2026, 1, 10), D(2026, 7, 10))] == 6


@pytest.mark.django_db
@settings(max_examples=25, database=None, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.dates(D(2023, 1, 1), D(2029, 12, 31)), st.integers(-3, 800)),
        min_size=1,
        max_size=40,
    )
)
def test_months_between_in_sql_agrees_on_random_dates(pairs):
    """Every pair computed in one SELECT, from dates given as parameters: no row written."""
    query = Pathway.objects.all().query
    compiler = query.get_compiler(connection=connection)
    parts, params = [], []
    for start, length in pairs:
        end = start + datetime.timedelta(days=length)
        months = MonthsBetween(Value(end, DateField()), Value(start, DateField()))
        sql, expression_params = months.resolve_expression(query).as_sql(compiler, connection)
        parts.append(sql)
        params.extend(expression_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        computed = list(cursor.fetchone())
    assert computed == pytest.approx(
        [length_until(start, start + datetime.timedelta(days=n)).in_months for start, n in pairs]
    )
