"""SQL written for each database: date arithmetic, for the figures computed over a whole
year of pathways and for the days of steps the worklists add up over a window; and a
column kept from SQLite's index choice.

Django's generic date expressions run, on SQLite, as Python functions called once per row
(`django_date_extract`, `django_timestamp_diff`): at 100,000 people they were more than
half the time of the key figures (docs/performance.md). These two give the same values
with SQLite's native `julianday` and `strftime`, and with PostgreSQL's date arithmetic.
"""

from django.db.models import F, FloatField, Func, IntegerField


class _TwoDates(Func):
    """A function of two dates whose SQL differs per database: `sql` maps a vendor to a
    template of the two compiled arguments, {0} and {1} (PostgreSQL's is the default)."""

    arity = 2
    sql: dict[str, str] = {}

    def as_sql(self, compiler, connection, **extra_context):
        first, second = (compiler.compile(argument) for argument in self.get_source_expressions())
        template = self.sql.get(connection.vendor, self.sql["postgresql"])
        return template.format(first[0], second[0]), (*first[1], *second[1])


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
