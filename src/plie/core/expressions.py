"""SQL written for each database: date arithmetic, for the figures computed over a whole
year of pathways and for the days of steps the worklists add up over a window; and a
column kept from SQLite's index choice.

`MonthsBetween` is `core.months` in SQL: a length in calendar months and days, the days
counted in 30ths of a month (docs/indicators.md, « Dates et durées »).

Django's generic date expressions run, on SQLite, as Python functions called once per row
(`django_date_extract`, `django_timestamp_diff`): at 100,000 people they were more than
half the time of the key figures (docs/performance.md). These give the same values with
SQLite's native `julianday`, `strftime` and string functions, and with PostgreSQL's date
arithmetic.
"""

import re
from collections.abc import Callable

from django.db.models import F, FloatField, Func, IntegerField


class _TwoDates(Func):
    """A function of two dates whose SQL differs per database: `sql` maps a vendor to a
    template of the two compiled arguments, {0} and {1}, each as many times as needed
    (PostgreSQL's is the default)."""

    arity = 2
    sql: dict[str, str] = {}

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(argument) for argument in self.get_source_expressions()]
        template = self.sql.get(connection.vendor, self.sql["postgresql"])
        parts, params = [], []
        # Each placeholder gets its argument's SQL and, in the same order, its parameters.
        for index, piece in enumerate(re.split(r"\{([01])\}", template)):
            if index % 2:
                sql, argument_params = compiled[int(piece)]
                parts.append(sql)
                params.extend(argument_params)
            else:
                parts.append(piece)
        return "".join(parts), tuple(params)


class DaysBetween(_TwoDates):
    """Days from `earlier` to `later` (dates), as a number: 1 from 1 to 2 January."""

    output_field = FloatField()
    sql = {
        "postgresql": "({0} - {1})",  # date - date: an integer number of days
        "sqlite": "(julianday({0}) - julianday({1}))",
    }

    def __init__(self, later, earlier, **extra):
        super().__init__(_field(later), _field(earlier), **extra)


class AgeInYears(_TwoDates):
    """Completed years from `birth` to `day`, as `core.dates.age_on`: the difference
    of the two dates written as YYYYMMDD integers, divided by 10,000 (integer division)."""

    output_field = IntegerField()
    sql = {
        "postgresql": "((to_char({0}, 'YYYYMMDD')::integer - to_char({1}, 'YYYYMMDD')::integer)"
        " / 10000)",
        # %% is a literal percent sign in Django's SQL, whatever the parameters.
        "sqlite": "((CAST(strftime('%%Y%%m%%d', {0}) AS integer)"
        " - CAST(strftime('%%Y%%m%%d', {1}) AS integer)) / 10000)",
    }

    def __init__(self, day, birth, **extra):
        super().__init__(_field(day), _field(birth), **extra)


def _months_sql(
    year: Callable[[str], str],
    month: Callable[[str], str],
    day: Callable[[str], str],
    number: str = "{}",
) -> str:
    """`core.months.length_until({1}, {0}).in_months` from the SQL of a date's year, month
    and day, as a `number` (a template); nothing when {0} is not after {1}. Plain arithmetic on the parts: with SQLite's
    date functions it took twenty times as long as a difference of days, and SQL evaluates
    again each part it reads twice (about five times as long, as written here)."""
    y0, m0, d0 = year("{0}"), month("{0}"), day("{0}")
    y1, m1, d1 = year("{1}"), month("{1}"), day("{1}")
    leap = f"(({y0} %% 4 = 0 AND {y0} %% 100 <> 0) OR {y0} %% 400 = 0)"
    february = f"(CASE WHEN {leap} THEN 29 ELSE 28 END)"
    # {0}'s month has more days than {0}'s day: {0} is not the last day of its month.
    not_last = (
        f"({d0} < 28 OR {d0} < (CASE WHEN {m0} = 2 THEN {february}"
        f" WHEN {m0} IN (4, 6, 9, 11) THEN 30 ELSE 31 END))"
    )
    before = (  # the number of days of the month before {0}'s
        f"(CASE WHEN {m0} = 3 THEN {february} WHEN {m0} IN (5, 7, 10, 12) THEN 30 ELSE 31 END)"
    )
    # Months and days as one number, {0}'s less {1}'s: right whenever {0}'s day is not
    # before {1}'s (4 March to 6 June: 3 months 2 days). Otherwise a month less, and the days
    # from {1}'s day, or from the end of the month before {0}'s if it has fewer days, to
    # {0}'s (30 January to 2 March 2026: 1 month to 28 February, then 2 days); and no day at
    # all on the last day of {0}'s month (31 January to 28 February: 1 month).
    numbers = f"(({y0} - {y1}) * 12 + {m0} - {m1} + ({d0} - {d1}) / 30.0)"
    correction = (
        f"(CASE WHEN {d1} <= {d0} THEN 0 WHEN {not_last}"
        f" THEN (CASE WHEN {before} > {d1} THEN {before} ELSE {d1} END) / 30.0 - 1"
        f" ELSE ({d1} - {d0}) / 30.0 END)"
    )
    return number.format(f"(CASE WHEN {{0}} <= {{1}} THEN 0 ELSE {numbers} + {correction} END)")


def _sqlite_part(first: int, length: int) -> Callable[[str], str]:
    # SQLite keeps a date as its ISO text, 2026-01-31: reading its digits costs nothing.
    return lambda date: f"CAST(substr({date}, {first}, {length}) AS integer)"


def _postgresql_part(name: str) -> Callable[[str], str]:
    return lambda date: f"CAST(date_part('{name}', {date}) AS integer)"


class MonthsBetween(_TwoDates):
    """The length from `earlier` up to `later` excluded in months, as
    `core.months.length_until(earlier, later).in_months`: whole calendar months, then the
    days left over in 30ths of a month (1 January to 1 July: 6; to 30 June: 5 + 29/30)."""

    output_field = FloatField()
    sql = {
        "postgresql": _months_sql(
            _postgresql_part("year"),
            _postgresql_part("month"),
            _postgresql_part("day"),
            "CAST({} AS double precision)",  # not numeric: a float, as on SQLite
        ),
        "sqlite": _months_sql(_sqlite_part(1, 4), _sqlite_part(6, 2), _sqlite_part(9, 2)),
    }

    def __init__(self, later, earlier, **extra):
        super().__init__(_field(later), _field(earlier), **extra)


def _field(value):
    return F(value) if isinstance(value, str) else value


class Unindexed(Func):
    """A column as it is, except on SQLite: plus nothing, which SQLite cannot read from an
    index. SQLite keeps no statistics: given a filter on an indexed column, or a GROUP BY
    on it, it takes that index for its way into the table, even when the index leads to
    most of the table in random order (every step of eight types, of every pathway; every
    pathway, in référent order). PostgreSQL has statistics and uses the index when it pays.
    """

    template = "%(expressions)s"

    def __init__(self, column, **extra):
        super().__init__(_field(column), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s + 0)", **extra_context)
