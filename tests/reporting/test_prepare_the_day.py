"""Each morning the worker computes ahead the whole PLIE's lists and opening dashboards, so
that the coordination team's first pages of the day are read, not computed; and it comes
back the next morning, in one chain however often the server starts."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from plie.reporting.models import QualityRun
from plie.reporting.tasks import prepare_the_day, schedule_the_day
from plie.territory.models import Programme
from tests.factories import active_pathway

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen_today():
    # 5:30 in Dijon (UTC+1 in November): the morning's computation.
    with time_machine.travel(datetime.datetime(2026, 11, 23, 4, 30), tick=False):
        yield


def waiting() -> list[datetime.datetime]:
    """When the waiting `prepare_the_day` tasks will run, in local time."""
    tasks = DBTaskResult.objects.filter(
        task_path=prepare_the_day.module_path, status=TaskResultStatus.READY
    ).order_by("run_after")
    return [timezone.localtime(task.run_after).replace(tzinfo=None) for task in tasks]


def test_the_first_pages_of_the_day_are_read_as_computed_in_the_morning(
    client, referent, coordinator, steering_viewer
):
    active_pathway(referent, entry_date=TODAY - datetime.timedelta(days=100))
    assert prepare_the_day.call() == 4
    assert QualityRun.objects.pending().count() == 1  # the day's checks, asked for
    active_pathway(referent, entry_date=TODAY - datetime.timedelta(days=100))
    with time_machine.travel(datetime.datetime(2026, 11, 23, 7, 45), tick=False):
        client.force_login(coordinator)
        lists = client.get(reverse("pathways:worklists"))
        assert lists.context["lists"]["without_step"].count == 1  # as computed at 5:30
        assert "mises à jour le 23/11/2026 à 05:30" in lists.content.decode()
        for user in (coordinator, steering_viewer):
            client.force_login(user)
            page = client.get(reverse("reporting:dashboard")).content.decode()
            assert "Chiffres calculés le 23/11/2026 à 05:30" in page
        client.force_login(coordinator)
        review = client.get(reverse("reporting:quarterly_review"))  # the 3rd quarter's
        assert review.context["review"].quarter.number == 3
        assert "Chiffres calculés le 23/11/2026 à 05:30" in review.content.decode()


def test_a_filtered_dashboard_is_not_computed_ahead(client, coordinator, territory):
    prepare_the_day.call()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 7, 45), tick=False):
        client.force_login(coordinator)
        page = client.get(reverse("reporting:dashboard"), {"du": "2026-06-01", "au": "2026-11-23"})
    assert "Chiffres calculés le 23/11/2026 à 08:45" in page.content.decode()


def test_the_morning_comes_back_the_next_day_in_one_chain(territory):
    schedule_the_day(now=True)  # the server starts
    schedule_the_day(now=True)  # and starts again before the worker ran it
    assert waiting() == [datetime.datetime(2026, 11, 23, 5, 30)]
    DBTaskResult.objects.all().delete()  # as the worker takes it
    prepare_the_day.call()
    assert waiting() == [datetime.datetime(2026, 11, 24, 5, 30)]
    schedule_the_day(now=True)  # a restart during the day prepares now...
    assert waiting() == [
        datetime.datetime(2026, 11, 23, 5, 30),
        datetime.datetime(2026, 11, 24, 5, 30),
    ]
    DBTaskResult.objects.filter(run_after__date=TODAY).delete()
    prepare_the_day.call()  # ...and that run finds tomorrow's already waiting
    assert waiting() == [datetime.datetime(2026, 11, 24, 5, 30)]


def test_before_the_plie_is_set_up_there_is_nothing_to_compute(db):
    assert Programme.current() is None
    assert prepare_the_day.call() == 0
    assert waiting() == [datetime.datetime(2026, 11, 24, 5, 30)]


def test_a_failing_morning_still_comes_back_the_next_day(territory, monkeypatch):
    from plie.pathways import worklists

    def broken(programme, today):
        raise RuntimeError("une panne")

    monkeypatch.setattr(worklists, "store_whole_plie", broken)
    with pytest.raises(RuntimeError):
        prepare_the_day.call()
    assert waiting() == [datetime.datetime(2026, 11, 24, 5, 30)]
