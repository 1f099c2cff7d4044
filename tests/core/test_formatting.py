"""French numbers, shares, durations and dates, one rounding rule: a half away from zero."""

import datetime
from decimal import Decimal

import pytest

from plie.core import formatting
from plie.core.formatting import COUNT, DAYS, EUROS, MONTHS, SHARE, YEARS

NARROW, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1204, 0, f"1{NARROW}204"),
        (1234567, 0, f"1{NARROW}234{NARROW}567"),
        (15.75, 1, "15,8"),
        (1.005, 2, "1,01"),  # stored as 1.00499…: Python's round() gives 1.0
        (0.125, 2, "0,13"),  # Python's round() goes to the even neighbour: 0.12
        (2.5, 0, "3"),
        (0.5, 0, "1"),
        (-2.5, 0, "-3"),  # away from zero
        (-0.04, 1, "0,0"),  # no « -0,0 »
        (Decimal("705"), 2, "705,00"),
        (1234.5, 1, f"1{NARROW}234,5"),
    ],
)
def test_numbers_are_rounded_half_away_from_zero_and_grouped_by_thousands(value, decimals, text):
    assert formatting.number(value, decimals) == text


@pytest.mark.parametrize(
    ("quantity", "value", "text"),
    [
        (SHARE, 0.553, f"55{NBSP}%"),
        (SHARE, 0.5549, f"55{NBSP}%"),
        (SHARE, 0.555, f"56{NBSP}%"),  # 55,5 % is shown 56 %, not 55 %
        (SHARE, 0.005, f"1{NBSP}%"),
        (SHARE, 1, f"100{NBSP}%"),
        (SHARE, None, "—"),  # nothing to divide: never 0 %
        (MONTHS, 15.74, f"15,7{NBSP}mois"),
        (MONTHS, 16, f"16,0{NBSP}mois"),  # the same precision for every duration
        (YEARS, 38.25, f"38,3{NBSP}ans"),
        (YEARS, 1.5, f"1,5{NBSP}an"),  # under two: singular, as in French
        (DAYS, 1, f"1{NBSP}jour"),
        (DAYS, 12.5, f"13{NBSP}jours"),
        (EUROS, 705, f"705,00{NBSP}€"),
        (COUNT, 1204, f"1{NARROW}204"),
    ],
)
def test_each_kind_of_figure_has_one_precision_and_unit(quantity, value, text):
    assert quantity.text(value) == text


def test_the_machine_form_is_rounded_by_the_same_rule():
    assert SHARE.machine(0.66665) == 0.6667
    assert MONTHS.machine(15.75) == 15.8
    assert COUNT.machine(1204) == 1204 and COUNT.machine(None) is None
    assert EUROS.machine(Decimal("705.005")) == 705.01


def test_dates_and_times_are_written_day_first():
    assert formatting.day(datetime.date(2026, 3, 5)) == "05/03/2026"
    moment = datetime.datetime(2026, 3, 5, 9, 7)
    assert formatting.moment(moment) == "05/03/2026 à 09:07"
    assert formatting.clock(moment) == "05/03/2026 09:07"


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("17.5"), f"17,5{NBSP}h"), (Decimal("35.0"), f"35{NBSP}h"), (48, f"48{NBSP}h")],
)
def test_weekly_hours_are_written_as_typed(value, text):
    assert formatting.hours(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("35.50"), "35,5"), (Decimal("100"), "100"), (-2.25, "-2,25"), (0, "0")],
)
def test_a_number_for_a_spreadsheet_has_a_comma_and_no_grouping(value, text):
    assert formatting.plain_number(value) == text
