"""A step starting more than 30 days before the entry is asked for confirmation: such a
step takes the person off the « sans étape » list and may meet an exit condition, and is
more often a mistyped year than a job already held."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from plie.pathways.models import Step, StepType
from plie.pathways.recording import STEP_BEFORE_ENTRY_DAYS, early_start
from tests.factories import StepFactory, active_pathway
from tests.forms import posted

ENTRY = datetime.date(2026, 9, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


def before_entry(days: int) -> datetime.date:
    return ENTRY - datetime.timedelta(days=days)


def test_more_than_30_days_before_the_entry_is_warned():
    assert STEP_BEFORE_ENTRY_DAYS == 30
    assert early_start(before_entry(30), ENTRY) is None
    assert early_start(before_entry(31), ENTRY) == (
        "Cette étape commence le 01/08/2026, 31 jours avant l'entrée dans le parcours du "
        "01/09/2026 : vérifiez la date de début, l'année surtout. Si elle est juste, cochez "
        "la confirmation ci-dessous et enregistrez de nouveau."
    )
    assert early_start(before_entry(400), None) is None  # not entered yet


def post_step(client, pathway, start: datetime.date, url=None, **extra):
    url = url or reverse("pathways:step_add", args=[pathway.participant.pk, 1])
    data = {
        "step_type": StepType.objects.get(code="training-qualifying").pk,
        "start_date": start.isoformat(),
        "outcome": "in_progress",
        **extra,
    }
    return posted(client, url, data)


def test_the_form_asks_to_confirm_then_saves(client, referent):
    pathway = active_pathway(referent, entry_date=ENTRY)
    client.force_login(referent)
    asked = post_step(client, pathway, before_entry(365))
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "365 jours avant l&#x27;entrée dans le parcours du 01/09/2026" in page
    assert "Je confirme : l&#x27;étape a bien commencé à cette date, avant l&#x27;entrée" in page
    assert not Step.objects.exists()
    confirmed = post_step(client, pathway, before_entry(365), confirm_early_start="on")
    assert confirmed.status_code == 302
    assert Step.objects.get().start_date == before_entry(365)


def test_a_start_within_30_days_of_the_entry_is_saved_without_a_question(client, referent):
    pathway = active_pathway(referent, entry_date=ENTRY)
    client.force_login(referent)
    response = post_step(client, pathway, before_entry(30))
    assert response.status_code == 302
    assert Step.objects.get().start_date == before_entry(30)


def test_a_start_already_confirmed_is_not_asked_again(client, referent):
    pathway = active_pathway(referent, entry_date=ENTRY)
    step = StepFactory(pathway=pathway, start_date=before_entry(200), created_by=referent)
    client.force_login(referent)
    url = reverse("pathways:step_edit", args=[pathway.participant.pk, 1, step.pk])
    data = {"step_type": step.step_type_id, "organisation_name": "AFPA"}
    unchanged = post_step(client, pathway, before_entry(200), url=url, **data)
    assert unchanged.status_code == 302
    moved = post_step(client, pathway, before_entry(100), url=url, **data)
    assert "100 jours avant l&#x27;entrée" in moved.content.decode()
    step.refresh_from_db()
    assert (step.start_date, step.organisation_name) == (before_entry(200), "AFPA")


def test_an_in_progress_step_with_a_past_real_end_is_saved_as_completed_and_says_so(
    client, referent
):
    """The trial saw « En cours » become « Terminée comme prévu » silently: the rule stays
    (the import applies it too), the page now says it, and returns to the steps."""
    pathway = active_pathway(referent, entry_date=ENTRY)
    client.force_login(referent)
    response = post_step(client, pathway, ENTRY, end_date="2026-11-20")
    assert response.status_code == 302
    assert response.url.endswith("#etapes")
    assert Step.objects.get().outcome == "completed"
    page = client.get(response.url).content.decode()
    assert "Une fin réelle est indiquée : l&#x27;issue est « Terminée comme prévu »" in page

    still_running = post_step(client, pathway, ENTRY + datetime.timedelta(days=1))
    assert "Une fin réelle" not in client.get(still_running.url).content.decode()
