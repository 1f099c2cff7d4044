"""The committee list: the next meeting on top, one meeting a day, no meeting years ahead."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plie.committee.enums import MeetingStatus
from plie.committee.forms import MeetingForm
from plie.committee.models import CommitteeMeeting
from plie.core.submissions import new_token
from plie.territory.models import Programme
from tests.factories import MeetingFactory
from tests.forms import posted

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def schedule(client, held_on: datetime.date, place: str = "Salle du conseil"):
    return posted(
        client,
        reverse("committee:committee_list"),
        {"held_on": held_on.isoformat(), "place": place},
    )


def test_upcoming_meetings_are_listed_soonest_first(client, coordinator):
    for offset in (28, 7, 14):
        MeetingFactory(held_on=days(offset))
    MeetingFactory(held_on=days(-14), status=MeetingStatus.HELD)
    MeetingFactory(held_on=days(-28), status=MeetingStatus.HELD)
    client.force_login(coordinator)
    response = client.get(reverse("committee:committee_list"))
    assert [m.held_on for m in response.context["upcoming"]] == [days(7), days(14), days(28)]
    assert [m.held_on for m in response.context["past"]] == [days(-14), days(-28)]
    content = response.content.decode()
    first, second = f"Commission du {days(7):%d/%m/%Y}", f"Commission du {days(14):%d/%m/%Y}"
    assert content.index(first) < content.index(second)
    assert response.context["next_meeting"].held_on == days(7)
    assert "prochaine" in content


def test_a_meeting_left_planned_after_its_date_comes_first_and_is_flagged(client, coordinator):
    MeetingFactory(held_on=days(7))
    MeetingFactory(held_on=days(-3))  # not closed yet
    client.force_login(coordinator)
    response = client.get(reverse("committee:committee_list"))
    assert [m.held_on for m in response.context["upcoming"]] == [days(-3), days(7)]
    assert response.context["next_meeting"].held_on == days(7)
    assert "date passée" in response.content.decode()


def test_a_second_meeting_on_the_same_day_is_refused_in_french(client, coordinator):
    day = days(3)
    existing = MeetingFactory(held_on=day)
    client.force_login(coordinator)
    response = schedule(client, day)
    assert response.status_code == 200
    message = (
        f"Une commission est déjà programmée le {day:%d/%m/%Y} : "
        "ouvrez-la plutôt que d&#x27;en créer une seconde."
    )
    assert message in response.content.decode()
    assert list(CommitteeMeeting.objects.filter(held_on=day)) == [existing]


def test_a_meeting_more_than_two_years_ahead_is_refused(client, coordinator):
    client.force_login(coordinator)
    today = timezone.localdate()
    typo = datetime.date(today.year + 20, 1, 15)
    response = schedule(client, typo)
    assert response.status_code == 200
    assert "vérifiez l&#x27;année" in response.content.decode()
    assert not CommitteeMeeting.objects.filter(held_on=typo).exists()


def test_a_meeting_within_two_years_is_scheduled(client, coordinator):
    client.force_login(coordinator)
    for held_on in (timezone.localdate(), days(700)):
        response = schedule(client, held_on)
        meeting = CommitteeMeeting.objects.get(held_on=held_on)
        assert response.status_code == 302
        assert response.url == reverse("committee:meeting_detail", args=[meeting.pk])


@pytest.mark.parametrize(
    ("today", "limit"),
    [
        (datetime.date(2026, 11, 23), datetime.date(2028, 11, 23)),
        (datetime.date(2028, 2, 29), datetime.date(2030, 2, 28)),
    ],
)
def test_the_two_year_limit_is_inclusive_and_survives_29_february(
    territory, monkeypatch, today, limit
):
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    programme = Programme.current()

    def valid(held_on):
        data = {"held_on": held_on.isoformat(), "submission": new_token()}
        return MeetingForm(data, programme=programme).is_valid()

    assert valid(limit)
    assert not valid(limit + datetime.timedelta(days=1))


def test_the_same_day_in_another_programme_does_not_count(territory):
    day = days(5)
    MeetingFactory(held_on=day)
    other = Programme.objects.create(
        name="PLIE de démonstration", short_name="PLIE démo", territory_name="Ailleurs"
    )
    data = {"held_on": day.isoformat(), "submission": new_token()}
    assert MeetingForm(data, programme=other).is_valid()
    assert not MeetingForm(data, programme=Programme.current()).is_valid()
