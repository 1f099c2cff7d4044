"""The dates computed in SQL give what Python gives, on SQLite as on PostgreSQL, at the
boundaries: a birthday on the day, the day before, 29 February, a new year."""

import datetime

import pytest

from plie.core.dates import age_on
from plie.core.expressions import DaysBetween
from plie.pathways.models import Pathway
from plie.reporting.dimensions import age_at_entry
from tests.factories import active_pathway

D = datetime.date
PAIRS = [  # (birth, entry)
    (D(2000, 3, 2), D(2026, 3, 1)),  # the day before the birthday: 25
    (D(2000, 3, 1), D(2026, 3, 1)),  # on the birthday: 26
    (D(2004, 2, 29), D(2026, 2, 28)),  # born on 29 February, not yet 22
    (D(2004, 2, 29), D(2026, 3, 1)),  # 22
    (D(2004, 2, 29), D(2028, 2, 29)),  # 24 on the day itself, in a leap year
    (D(1970, 12, 31), D(2026, 1, 1)),  # 55, across the new year
    (D(1970, 1, 1), D(2025, 12, 31)),  # 55, the day before turning 56
]


@pytest.mark.django_db
def test_age_at_entry_in_sql_is_age_on(referent):
    for birth, entry in PAIRS:
        active_pathway(referent, entry_date=entry, birth_date=birth)
    rows = Pathway.objects.annotate(age=age_at_entry()).values_list(
        "participant__birth_date", "entry_date", "age"
    )
    computed = {(birth, entry): age for birth, entry, age in rows}
    assert computed == {(birth, entry): age_on(birth, entry) for birth, entry in PAIRS}
    assert [computed[pair] for pair in PAIRS] == [25, 26, 21, 22, 24, 55, 55]


@pytest.mark.django_db
def test_days_between_counts_calendar_days(referent):
    for entry, exit_on in [
        (D(2026, 1, 1), D(2026, 1, 1)),  # 0
        (D(2026, 1, 1), D(2026, 1, 2)),  # 1
        (D(2028, 2, 28), D(2028, 3, 1)),  # 2, over a 29 February
        (D(2025, 12, 31), D(2027, 1, 1)),  # 366
    ]:
        pathway = active_pathway(referent, entry_date=entry)
        Pathway.objects.filter(pk=pathway.pk).update(exit_date=exit_on)
    days = sorted(
        Pathway.objects.annotate(days=DaysBetween("exit_date", "entry_date")).values_list(
            "days", flat=True
        )
    )
    assert days == [0, 1, 2, 366]
