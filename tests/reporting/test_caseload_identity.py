"""The identity the settled dates make exact (shared domain brief §4, docs/indicators.md):
active caseload at the end of 31/12/Y−1 + entries of Y = pathways accompanied in Y = active
caseload at the end of 31/12/Y + exits of Y. Checked over random histories, entries and
exits around the year's boundaries, the same day or on 31 December and 1 January, people
coming back, with the application's own functions computing in the database (SQLite or
PostgreSQL, whichever the suite runs on).
"""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plie.participants.enums import ExitReason, ParticipantStatus, PathwayStatus, Sex
from plie.participants.models import Participant
from plie.pathways.models import Pathway
from plie.pathways.selectors import active_on
from plie.reporting.indicators import caseload_on, caseloads_on, figures, key_figures
from plie.territory.models import Programme

D = datetime.date
DAY = datetime.timedelta(days=1)
YEAR_START, YEAR_END = D(2026, 1, 1), D(2026, 12, 31)
EVE = YEAR_START - DAY

# The days around both ends of the year, often; any day from the autumn before to the
# spring after, otherwise.
BOUNDARIES = [EVE - DAY, EVE, YEAR_START, YEAR_START + DAY, YEAR_END - DAY, YEAR_END]
days = st.one_of(
    st.sampled_from([*BOUNDARIES, YEAR_END + DAY, YEAR_END + 2 * DAY]),
    st.dates(D(2025, 10, 1), D(2027, 3, 31)),
)


@st.composite
def history(draw) -> list[tuple[datetime.date, datetime.date | None]]:
    """One person's pathways, (entry, exit or None), one after the other: each entered on
    or after the day the one before exited (the same day too); only the last may go on. An
    exit drawn before its entry is an exit on the day of entry."""
    pathways: list[tuple[datetime.date, datetime.date | None]] = []
    entry = draw(days)
    for number in range(draw(st.integers(1, 3))):
        if number:
            previous_exit = pathways[-1][1]
            assert previous_exit is not None
            entry = max(previous_exit + draw(st.sampled_from([0, 0, 1, 30])) * DAY, draw(days))
        exit_on = max(entry, draw(days))
        pathways.append((entry, exit_on))
    if draw(st.booleans()):
        pathways[-1] = (pathways[-1][0], None)
    return pathways


def record(histories, referent) -> None:
    """The histories as rows, in a few queries (the example is rolled back afterwards)."""
    programme = Programme.current()
    people = Participant.objects.bulk_create(
        Participant(
            programme=programme,
            file_number=f"H-{index:04d}",
            last_name=f"Personne{index}",
            first_name="Camille",
            sex=Sex.FEMALE,
            birth_date=D(1985, 4, 12),
            right_to_work=True,
            status=ParticipantStatus.EXITED if pathways[-1][1] else ParticipantStatus.ACTIVE,
            referent=referent,
        )
        for index, pathways in enumerate(histories)
    )
    Pathway.objects.bulk_create(
        Pathway(
            participant=person,
            number=number,
            referent=referent,
            status=PathwayStatus.EXITED if exit_on else PathwayStatus.ACTIVE,
            entry_date=entry,
            exit_date=exit_on,
            exit_reason=ExitReason.ABANDONED if exit_on else "",
        )
        for person, pathways in zip(people, histories, strict=True)
        for number, (entry, exit_on) in enumerate(pathways, start=1)
    )


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    histories=st.lists(history(), min_size=1, max_size=8), cut=st.dates(YEAR_START, YEAR_END - DAY)
)
def test_caseload_before_plus_entries_is_accompanied_is_caseload_after_plus_exits(
    referent, histories, cut
):
    with transaction.atomic():
        record(histories, referent)
        before, after = caseload_on(EVE), caseload_on(YEAR_END)
        year = figures(YEAR_START, YEAR_END)

        assert before.people + year.entries == year.pathways_accompanied
        assert year.pathways_accompanied == after.people + year.exits
        # The same caseloads, however they are asked for.
        assert year.carried_over == before.people == active_on(EVE).count()
        assert year.active_caseload == after.people == active_on(YEAR_END).count()
        assert [load.people for load in caseloads_on([EVE, cut, YEAR_END])] == [
            before.people,
            caseload_on(cut).people,
            after.people,
        ]
        assert key_figures(YEAR_START, YEAR_END).active_caseload == after.people
        # Cut anywhere in the year: the caseload at the end of the cut carries over.
        first, second = figures(YEAR_START, cut), figures(cut + DAY, YEAR_END)
        assert first.active_caseload == second.carried_over == caseload_on(cut).people
        assert first.entries + second.entries == year.entries
        assert first.exits + second.exits == year.exits
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_identity_on_the_boundaries_written_out(referent):
    """One history of each boundary case, for the reader: which side each one falls on."""
    cases = {
        "exited on 31/12 of the year before": [(D(2025, 6, 1), EVE)],
        "exited on 1 January": [(D(2025, 6, 1), YEAR_START)],
        "entered and exited on 1 January": [(YEAR_START, YEAR_START)],
        "entered and exited on 31 December": [(YEAR_END, YEAR_END)],
        "entered on 31 December, still there": [(YEAR_END, None)],
        "entered 31/12 of the year before, exited the next day": [(EVE, YEAR_START)],
        "exited 31 December, back the same day": [(D(2025, 3, 1), YEAR_END), (YEAR_END, None)],
        "entered on 1 January of the year after": [(YEAR_END + DAY, None)],
    }
    record(list(cases.values()), referent)
    before, year, after = caseload_on(EVE), figures(YEAR_START, YEAR_END), caseload_on(YEAR_END)
    # Before: exited on 1 January, entered on 31/12 the year before, out on 31 December (the
    # one exited on 31/12 the year before has left).
    assert before.people == 3
    # Entries: on 1 January, on 31 December (three times, the one back included).
    assert year.entries == 4
    assert year.pathways_accompanied == 7 == before.people + year.entries
    # After: entered on 31 December and still there; back on 31 December.
    assert after.people == 2
    # Exits: on 1 January (three times), on 31 December (twice).
    assert year.exits == 5
    assert year.pathways_accompanied == after.people + year.exits
    assert year.people_accompanied == 6  # the one who came back counts once
