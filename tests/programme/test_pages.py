"""The programme's pages, as the coordination team uses them: open a year, programme an
operation, give its funding plan, move it through its states; the steering committee reads."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from plie.programme.enums import Funder, OperationKind, OperationState
from plie.programme.models import FundingLine, Operation, ProgrammeYear
from tests.factories import OperationFactory, ProgrammeYearFactory
from tests.forms import posted

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


def test_the_coordinator_programmes_an_operation_from_the_year_to_its_approval(client, coordinator):
    client.force_login(coordinator)
    response = posted(client, reverse("programme:years"), {"year": "2027"})
    assert response.status_code == 302
    year = ProgrammeYear.objects.get(year=2027)
    page = reverse("programme:operation_create", args=[2027])
    response = posted(
        client,
        page,
        {
            "kind": OperationKind.ACCOMPANIMENT,
            "title": "Portage des référents du CCAS",
            "carrier": str(coordinator.organisation_id),
            "budget": "120000",
            "target_people": "60",
        },
    )
    operation = Operation.objects.get(year=year)
    assert response["Location"] == reverse("programme:operation_funding", args=[operation.pk])
    assert operation.planned_on == TODAY
    funding = reverse("programme:operation_funding", args=[operation.pk])
    posted(client, funding, {"fse": "60000", "metropole": "50000"})
    page = client.get(reverse("programme:operation", args=[operation.pk])).content.decode()
    assert "il manque 10\u202f000,00\xa0€" in page
    assert "50,0\xa0%" in page  # FSE+ : 60 000 of 120 000
    state = reverse("programme:operation_state", args=[operation.pk])
    response = client.post(state, {"target": "approved", "on": "2026-11-23"}, follow=True)
    assert "plan équilibré" in response.content.decode(), [
        str(m) for m in response.context["messages"]
    ]
    assert Operation.objects.get().state == OperationState.PLANNED
    posted(client, funding, {"fse": "60000", "metropole": "60000"})
    client.post(state, {"target": "approved", "on": "2026-11-23"})
    operation.refresh_from_db()
    assert (operation.state, operation.approved_on) == (
        OperationState.APPROVED,
        datetime.date(2026, 11, 23),
    )


def test_an_approved_operations_funding_plan_no_longer_changes(client, coordinator):
    operation = OperationFactory(state=OperationState.APPROVED, approved_on=TODAY)
    client.force_login(coordinator)
    funding = reverse("programme:operation_funding", args=[operation.pk])
    client.post(funding, {"fse": "1"})
    assert not FundingLine.objects.exists()


def test_the_year_page_adds_budgets_and_funders_and_flags_an_unbalanced_plan(
    client, steering_viewer
):
    year = ProgrammeYearFactory(year=2026)
    first = OperationFactory(year=year, budget=Decimal(100000))
    FundingLine.objects.create(operation=first, funder=Funder.FSE, amount=Decimal(100000))
    second = OperationFactory(year=year, kind=OperationKind.ANIMATION, budget=Decimal(50000))
    FundingLine.objects.create(operation=second, funder=Funder.FSE, amount=Decimal(20000))
    client.force_login(steering_viewer)
    page = client.get(reverse("programme:year", args=[2026])).content.decode()
    assert "150\u202f000,00\xa0€" in page
    assert "1 opération a un plan de financement non équilibré" in page
    assert "Programmer une opération" not in page  # reading only


def test_the_steering_committee_may_not_open_an_operations_form(client, steering_viewer):
    operation = OperationFactory()
    client.force_login(steering_viewer)
    assert client.get(reverse("programme:operation_edit", args=[operation.pk])).status_code == 403
    assert client.get(reverse("programme:operation", args=[operation.pk])).status_code == 200


def test_a_year_of_another_number_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("programme:year", args=[2031])).status_code == 404


def test_the_years_list_takes_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    for year in (2024, 2025, 2026):
        OperationFactory(year=ProgrammeYearFactory(year=year))
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        client.get(reverse("programme:years"))


def test_a_budget_statement_is_recorded_with_its_lines(client, coordinator):
    operation = OperationFactory()
    client.force_login(coordinator)
    page = reverse("programme:statement_edit", args=[operation.pk, "mid_term"])
    posted(
        client,
        page,
        {
            "drawn_on": "2026-06-30",
            "side_0": "expense",
            "label_0": "Salaires",
            "amount_0": "50000",
            "side_1": "resource",
            "label_1": "FSE+",
            "amount_1": "",
        },
    )
    assert not operation.statements.exists()  # the second line lacks its amount
    posted(
        client,
        page,
        {
            "drawn_on": "2026-06-30",
            "side_0": "expense",
            "label_0": "Salaires",
            "amount_0": "50000",
            "side_1": "resource",
            "label_1": "FSE+",
            "amount_1": "25000",
        },
    )
    statement = operation.statements.get()
    assert statement.totals() == {"expense": Decimal(50000), "resource": Decimal(25000)}


def test_the_dashboard_shows_the_years_targets_against_achievement(client, coordinator):
    OperationFactory(
        year=ProgrammeYearFactory(year=2026),
        kind=OperationKind.ANIMATION,
        title="Animation du PLIE",
        target_people=700,
    )
    client.force_login(coordinator)
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Objectifs et réalisations de la programmation 2026" in page
    assert "Animation du PLIE" in page


def test_the_year_page_links_to_the_dashboard_over_the_days_so_far(client, coordinator):
    """The dashboard refuses days to come: the link stops at today (the trial's link asked
    for the 31st of December and got an error)."""
    year = ProgrammeYearFactory(year=2026)
    client.force_login(coordinator)
    page = client.get(reverse("programme:year", args=[2026])).content.decode()
    assert "?du=2026-01-01&amp;au=2026-11-23#objectifs" in page
    dashboard = client.get(reverse("reporting:dashboard"), {"du": "2026-01-01", "au": "2026-11-23"})
    assert dashboard.status_code == 200
    ProgrammeYearFactory(year=2027, programme=year.programme)
    page = client.get(reverse("programme:year", args=[2027])).content.decode()
    assert "Objectifs et réalisations au tableau de bord" not in page
