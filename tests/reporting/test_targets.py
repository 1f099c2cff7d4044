"""Targets against achievement (reporting/targets.py) on a crafted PLIE, kind by kind, and
the budget of a period (reporting/budget.py) behind the cost per person."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plie.core.suppression import HIDE_SMALL, SMALL
from plie.participants.enums import ExitReason, PathwayStatus
from plie.pathways.models import StepType
from plie.programme.enums import OperationKind
from plie.reporting.budget import period_budget
from plie.reporting.targets import achievement
from tests.factories import (
    OperationFactory,
    OrganisationFactory,
    ProgrammeYearFactory,
    StepFactory,
    UserFactory,
    active_pathway,
    programme,
)

END = datetime.date(2026, 12, 31)


def exit_positively(pathway, on):
    pathway.status, pathway.exit_date, pathway.exit_reason = (
        PathwayStatus.EXITED,
        on,
        ExitReason.POSITIVE,
    )
    pathway.save()


@pytest.fixture
def plie(territory):
    """Two structures of référents; four people; five operations of the year 2026."""
    ccas, association = OrganisationFactory(name="CCAS"), OrganisationFactory(name="Asso")
    of_ccas = UserFactory(organisation=ccas)
    of_association = UserFactory(organisation=association)
    active_pathway(of_ccas, entry_date=datetime.date(2026, 2, 1))
    exited = active_pathway(of_ccas, entry_date=datetime.date(2025, 6, 1))
    exit_positively(exited, datetime.date(2026, 5, 10))
    in_action = active_pathway(of_association, entry_date=datetime.date(2026, 3, 1))
    action = StepType.objects.get(code="plie-action")
    StepFactory(pathway=in_action, step_type=action, start_date=datetime.date(2026, 4, 1))
    action_last_year = active_pathway(of_association, entry_date=datetime.date(2025, 1, 1))
    StepFactory(pathway=action_last_year, step_type=action, start_date=datetime.date(2025, 12, 1))
    exit_positively(action_last_year, datetime.date(2026, 2, 1))
    year = ProgrammeYearFactory(year=2026)
    operations = {
        "animation": OperationFactory(
            year=year,
            kind=OperationKind.ANIMATION,
            target_entries=10,
            target_people=20,
            target_positive_exits=5,
            budget=Decimal(300000),
        ),
        "hosting": OperationFactory(
            year=year,
            kind=OperationKind.ACCOMPANIMENT,
            carrier=ccas,
            target_entries=4,
            target_people=8,
            target_positive_exits=2,
            target_fte=Decimal(2),
            target_caseload=10,
            budget=Decimal(100000),
        ),
        "actions": OperationFactory(
            year=year,
            kind=OperationKind.PARTICIPANT_ACTIONS,
            target_entries=2,
            target_people=3,
            step_types=["plie-action"],
            budget=Decimal(50000),
        ),
        "development": OperationFactory(
            year=year,
            kind=OperationKind.REFERENT_DEVELOPMENT,
            volume_unit="journées de formation",
            planned_volume=6,
            achieved_volume=4,
            budget=Decimal(15000),
        ),
    }
    return year, operations


def rows_of(found, operation):
    match = next(item for item in found.operations if item.operation == operation)
    return {row.label: (row.target, row.achieved) for row in match.rows}, match


def test_the_plie_targets_are_its_animation_s_against_the_whole_plie(plie):
    """The coordination states the whole PLIE's targets: the hosting operations' are their
    share of them, not more (the trial's demo showed 905 entries for 450 + 455)."""
    year, _ = plie
    found = achievement(year, END)
    assert {row.label: (row.target, row.achieved) for row in found.plie} == {
        "Entrées": (10, 2),
        "Personnes accompagnées": (20, 4),
        "Sorties positives": (5, 2),
    }
    assert found.plie[0].rate_text == "20\xa0%"


def test_without_an_animation_target_the_hosting_operations_add_up_to_the_plie_s(plie):
    year, operations = plie
    animation = operations["animation"]
    animation.target_entries = animation.target_positive_exits = None
    animation.save()
    found = achievement(year, END)
    assert {row.label: row.target for row in found.plie} == {
        "Entrées": 4,  # the hosting operation's: the animation sets none
        "Personnes accompagnées": 20,  # the animation's
        "Sorties positives": 2,
    }


def test_animation_is_measured_on_the_whole_plie(plie):
    year, operations = plie
    rows, _ = rows_of(achievement(year, END), operations["animation"])
    assert rows == {
        "Entrées": (10, 2),
        "Personnes accompagnées": (20, 4),
        "Sorties positives": (5, 2),
    }


def test_accompaniment_counts_the_pathways_of_the_carriers_referents_and_their_caseload(plie):
    year, operations = plie
    rows, match = rows_of(achievement(year, END), operations["hosting"])
    assert rows == {
        "Entrées": (4, 1),
        "Personnes accompagnées": (8, 2),
        "Sorties positives": (2, 1),
        "File active au 31/12/2026": (10, 1),
    }
    assert "2 ETP prévus : 0,5 personnes par ETP" in match.measure


def test_actions_count_the_people_who_started_a_step_of_their_types_in_the_year(plie):
    year, operations = plie
    rows, match = rows_of(achievement(year, END), operations["actions"])
    # The step of December 2025 is not of the year, though its pathway exited positively in 2026.
    assert rows == {
        "Entrées": (2, 1),
        "Personnes accompagnées": (3, 1),
        "Sorties positives": (None, 0),
    }
    assert "Action du PLIE" in match.measure


def test_an_action_without_step_type_counts_nobody_and_says_what_to_do(plie):
    year, _ = plie
    clauses = OperationFactory(year=year, kind=OperationKind.INSERTION_CLAUSES, target_people=5)
    rows, match = rows_of(achievement(year, END), clauses)
    assert rows["Personnes accompagnées"] == (5, 0)
    assert "les choisit dans la programmation" in match.measure


def test_professional_development_reads_the_volume_keyed_in_and_says_so(plie):
    year, operations = plie
    rows, match = rows_of(achievement(year, END), operations["development"])
    assert rows == {"Journées de formation": (6, 4)}
    assert "saisi" in match.measure


def test_the_period_stops_at_the_date_asked_within_the_year(plie):
    year, _ = plie
    found = achievement(year, datetime.date(2026, 2, 28))
    assert found.date_to == datetime.date(2026, 2, 28)
    assert {row.label: row.achieved for row in found.plie}["Entrées"] == 1


def test_small_counts_are_hidden_for_the_steering_committee_and_give_no_rate(plie):
    year, _ = plie
    found = achievement(year, END, small=HIDE_SMALL)
    assert found.plie[0].achieved == SMALL
    assert found.plie[0].rate is None
    assert found.plie[0].achieved_text == "< 5"


def test_the_number_of_queries_does_not_grow_with_the_operations(plie):
    year, _ = plie
    with CaptureQueriesContext(connection) as few:
        achievement(year, END)
    for kind in (OperationKind.ACCOMPANIMENT, OperationKind.PARTICIPANT_ACTIONS):
        for _ in range(3):
            OperationFactory(year=year, kind=kind, step_types=["plie-action"])
    with CaptureQueriesContext(connection) as many:
        achievement(year, END)
    assert len(many) == len(few) <= 20


# The budget of a period -------------------------------------------------------------------


def test_a_whole_year_takes_the_years_budget(plie):
    assert period_budget(programme(), datetime.date(2026, 1, 1), END) == Decimal(465000)


def test_a_part_of_a_year_takes_its_share_of_the_budget_by_days(plie):
    # January to March 2026: 90 days of 365.
    budget = period_budget(programme(), datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert budget == (Decimal(465000) * 90 / 365).quantize(Decimal("0.01"))


def test_a_period_over_a_year_without_programme_has_no_budget(plie):
    assert period_budget(programme(), datetime.date(2025, 7, 1), END) is None


def test_a_period_over_two_programmed_years_adds_their_shares(plie):
    OperationFactory(year=ProgrammeYearFactory(year=2025), budget=Decimal(365000))
    budget = period_budget(programme(), datetime.date(2025, 12, 31), datetime.date(2026, 1, 1))
    assert budget == (Decimal(1000) + Decimal(465000) / 365).quantize(Decimal("0.01"))


def test_the_command_divides_the_programmes_budget_and_the_option_overrides_it(plie, capsys):
    import json

    call_command("indicators", "--from", "2026-01-01", "--to", "2026-12-31", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["budget"] == 465000.0
    assert payload["cost_per_person"] == 116250.0  # 465 000 € ÷ 4 people
    call_command(
        "indicators", "--from", "2026-01-01", "--to", "2026-12-31", "--json", "--budget", "4000"
    )
    assert json.loads(capsys.readouterr().out)["cost_per_person"] == 1000.0
