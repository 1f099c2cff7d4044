"""The added value of an action from the database (evaluation/added_value.py) and its pages:
who is a participant, who a comparable person, the action's own step left out, a few queries;
who may read the page and the PDF, small counts hidden but for the coordination, a provider
on its own actions only."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from plie.accounts.enums import Role
from plie.actions.enums import DropOutReason, ReferralStatus
from plie.evaluation.added_value import people
from plie.participants.enums import ExitReason, PathwayStatus
from plie.pathways.models import StepType
from tests.factories import (
    ProviderFactory,
    StepFactory,
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
    refer,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def value_action(provider, coordinator, today):
    agreement = make_agreement(provider.organisation, starts_on=today - 200 * DAY, by=coordinator)
    return make_action(agreement, title="Action-Valeur", starts_on=today - 200 * DAY)


@pytest.fixture
def value_cohort(value_action, today):
    return make_cohort(value_action, starts_on=today - 120 * DAY, sessions=False)


def took_part(referent, cohort, *, entry_date, status=ReferralStatus.COMPLETED, **fields):
    pathway = active_pathway(referent, entry_date=entry_date)
    step = StepFactory(
        pathway=pathway,
        step_type=StepType.objects.get(code="plie-action"),
        start_date=cohort.starts_on,
        end_date=cohort.ends_on,
    )
    refer(pathway.participant, cohort, status=status, step=step, **fields)
    return pathway


def test_participants_and_comparable_people(referent, value_cohort, value_action):
    entry = value_cohort.starts_on - 14 * DAY
    treated = took_part(referent, value_cohort, entry_date=entry)
    StepFactory(pathway=treated, start_date=entry + 60 * DAY, step_type=StepType.objects.first())
    dropped = took_part(
        referent,
        value_cohort,
        entry_date=entry,
        status=ReferralStatus.DROPPED_OUT,
        drop_out_reason=DropOutReason.JOB,
    )
    # Entered after their group started: not comparable, left out.
    took_part(referent, value_cohort, entry_date=value_cohort.starts_on + DAY)
    declined = active_pathway(referent, entry_date=entry)
    refer(declined.participant, value_cohort, status=ReferralStatus.DECLINED, decline_reason="Non")
    control = active_pathway(referent, entry_date=entry - 3 * DAY)
    exited = active_pathway(referent, entry_date=entry)
    exited.status, exited.exit_date = PathwayStatus.EXITED, entry + 90 * DAY
    exited.exit_reason = ExitReason.ABANDONED
    exited.save()
    draft = active_pathway(referent, entry_date=entry)
    draft.status = PathwayStatus.DRAFT
    draft.save()
    # Entered a year earlier: outside the participants' half-year.
    active_pathway(referent, entry_date=entry - 365 * DAY)

    found = {p.key: p for p in people(value_action)}
    assert {key for key, p in found.items() if p.treated} == {treated.pk, dropped.pk}
    assert {key for key, p in found.items() if not p.treated} == {
        declined.pk,
        control.pk,
        exited.pk,
    }
    # The action's own step is the treatment: only the other step is read.
    assert found[treated.pk].steps == ((entry + 60 * DAY, None),)
    assert found[treated.pk].anchor == value_cohort.starts_on
    assert found[control.pk].anchor is None
    assert (found[exited.pk].exit_date, found[exited.pk].exit_reason) == (
        entry + 90 * DAY,
        ExitReason.ABANDONED,
    )


def test_the_records_are_read_in_a_few_queries(
    referent, value_cohort, value_action, django_assert_max_num_queries
):
    entry = value_cohort.starts_on - 14 * DAY
    for _ in range(3):
        took_part(referent, value_cohort, entry_date=entry)
        active_pathway(referent, entry_date=entry)
    with django_assert_max_num_queries(4):
        assert len(people(value_action)) == 6


def big_population(referent, cohort):
    """25 participants, every one in a step a month after their group; 30 comparable people,
    one in three in a step then."""
    entry = cohort.starts_on - 14 * DAY
    other = StepType.objects.exclude(code="plie-action").first()
    for _ in range(25):
        pathway = took_part(referent, cohort, entry_date=entry)
        StepFactory(pathway=pathway, step_type=other, start_date=cohort.starts_on + 30 * DAY)
    for n in range(30):
        pathway = active_pathway(referent, entry_date=entry)
        if n % 3 == 0:
            StepFactory(pathway=pathway, step_type=other, start_date=cohort.starts_on + 30 * DAY)


def test_the_page_shows_each_difference_and_its_method(
    client, coordinator, referent, value_cohort, value_action
):
    big_population(referent, value_cohort)
    client.force_login(coordinator)
    page = client.get(reverse("evaluation:added_value", args=[value_action.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Méthode et limites" in text
    assert "pas une preuve" in text
    # In a step at 3 months: 100 % against 33 %, 67 points.
    assert "+67\u00a0points" in text
    assert "Écart significatif" in text
    # 12 months are not reached yet.
    assert "Suivi trop court pour conclure" in text
    pdf = client.get(reverse("evaluation:added_value_pdf", args=[value_action.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    printed = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "Méthode et limites" in printed
    assert "Fonds social européen plus (FSE+)" in printed
    assert printed.count("+67") == 1  # the table only: no copy of the phone layout


def test_no_name_on_the_page(client, coordinator, referent, value_cohort, value_action):
    pathway = took_part(referent, value_cohort, entry_date=value_cohort.starts_on - 14 * DAY)
    client.force_login(coordinator)
    text = client.get(reverse("evaluation:added_value", args=[value_action.pk])).content.decode()
    assert pathway.participant.last_name not in text
    assert pathway.participant.file_number not in text


def small_population(referent, cohort):
    entry = cohort.starts_on - 14 * DAY
    for _ in range(3):
        took_part(referent, cohort, entry_date=entry)
    for _ in range(2):
        active_pathway(referent, entry_date=entry)


def participants_line(text: str) -> str:
    return text.split("avant le début de leur groupe</dt>")[1].split("</dd>")[0]


def test_small_counts_are_hidden_for_the_steering_committee_not_for_the_coordination(
    client, coordinator, steering_viewer, referent, value_cohort, value_action
):
    small_population(referent, value_cohort)
    url = reverse("evaluation:added_value", args=[value_action.pk])
    client.force_login(coordinator)
    text = client.get(url).content.decode()
    assert participants_line(text).endswith(">3")
    assert "Trop peu de participants comparables pour conclure" in text
    client.force_login(steering_viewer)
    text = client.get(url).content.decode()
    assert participants_line(text).endswith(">&lt; 5")
    assert ">3<" not in text


def test_the_steering_committee_reaches_the_list_from_its_menu(
    client, steering_viewer, value_action
):
    client.force_login(steering_viewer)
    home = client.get("/", follow=True).content.decode()
    assert reverse("evaluation:added_value_list") in home
    listing = client.get(reverse("evaluation:added_value_list")).content.decode()
    assert reverse("evaluation:added_value", args=[value_action.pk]) in listing


def test_a_provider_sees_its_own_action_only(client, provider, coordinator, value_action):
    other = UserFactory(role=Role.PROVIDER, organisation=ProviderFactory())
    client.force_login(provider)
    assert client.get(reverse("evaluation:added_value", args=[value_action.pk])).status_code == 200
    detail = client.get(reverse("actions:action_detail", args=[value_action.pk])).content.decode()
    assert reverse("evaluation:added_value", args=[value_action.pk]) in detail
    client.force_login(other)
    for name in ("evaluation:added_value", "evaluation:added_value_pdf"):
        assert client.get(reverse(name, args=[value_action.pk])).status_code == 404
    listing = client.get(reverse("evaluation:added_value_list")).content.decode()
    assert "Action-Valeur" not in listing


def test_a_referent_and_the_assistant_may_not_read_it(client, referent, assistant, value_action):
    for user in (referent, assistant):
        client.force_login(user)
        url = reverse("evaluation:added_value", args=[value_action.pk])
        assert client.get(url).status_code == 403
        detail = client.get(reverse("actions:action_detail", args=[value_action.pk]))
        assert url not in detail.content.decode()
