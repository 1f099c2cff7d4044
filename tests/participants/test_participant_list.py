"""The participant list: the latest entry date of each person, without aggregating everyone.

At 100,000 people (bench/, docs/performance.md) an aggregate over every participant's
pathways made the first page take a second; the page now looks up the entry dates of its
own rows only.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plie.participants.enums import ParticipantStatus, PathwayStatus
from tests.factories import ParticipantFactory, PathwayFactory, active_pathway


def test_list_shows_the_latest_entry_date_of_a_person_who_came_back(client, coordinator, referent):
    first = active_pathway(referent, entry_date=datetime.date(2023, 2, 6), last_name="Revenant")
    first.status = PathwayStatus.EXITED
    first.exit_date = datetime.date(2024, 1, 15)
    first.save()
    PathwayFactory(
        participant=first.participant,
        number=2,
        referent=referent,
        status=PathwayStatus.ACTIVE,
        entry_date=datetime.date(2025, 3, 3),
    )
    PathwayFactory(participant=first.participant, number=3, referent=referent)  # a draft
    client.force_login(coordinator)
    content = client.get(reverse("web:participant_list")).content.decode()
    assert "03/03/2025" in content
    assert "06/02/2023" not in content


def test_list_shows_a_dash_for_a_person_not_entered_yet(client, coordinator):
    ParticipantFactory(last_name="Nouvelle")
    client.force_login(coordinator)
    response = client.get(reverse("web:participant_list"))
    assert "NOUVELLE" in response.content.decode()
    assert response.context["page"].object_list[0].entry_date is None


def test_list_queries_do_not_group_every_participant(client, coordinator, referent):
    for day in range(1, 8):
        active_pathway(referent, entry_date=datetime.date(2025, 1, day))
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:participant_list"), {"status": "active"})
    assert response.status_code == 200
    listing = [q["sql"] for q in queries if 'FROM "participants_participant"' in q["sql"]]
    assert listing
    assert not [sql for sql in listing if "GROUP BY" in sql]


def test_list_query_count_does_not_grow_with_the_page(client, coordinator, referent):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("web:participant_list"))
        return len(queries)

    client.force_login(coordinator)
    active_pathway(referent, entry_date=datetime.date(2025, 1, 6))
    few = count_queries()
    for day in range(7, 20):
        active_pathway(referent, entry_date=datetime.date(2025, 1, day))
    assert count_queries() == few


def test_the_count_says_it_holds_every_state_until_one_is_chosen(client, referent):
    active_pathway(referent, entry_date=datetime.date(2026, 3, 2))
    ParticipantFactory(referent=referent, status=ParticipantStatus.REFERRED)
    client.force_login(referent)
    every = client.get(reverse("web:participant_list")).content.decode()
    assert "2 personnes, toutes situations confondues" in every
    active = client.get(reverse("web:participant_list"), {"status": "active"}).content.decode()
    assert "1 personne.</p>" in active


def test_the_list_is_in_french_order_accents_and_case_aside(client, coordinator):
    """The trial saw CLERC before CLÉMENT: bytes, not a dictionary."""
    for last, first in (("Clerc", "Jérôme"), ("CLÉMENT", "Joseph"), ("Clément", "Franck")):
        ParticipantFactory(last_name=last, first_name=first, birth_name="")
    client.force_login(coordinator)
    shown = [
        (p.last_name, p.first_name)
        for p in client.get(reverse("web:participant_list")).context["page"]
    ]
    assert shown == [("Clément", "Franck"), ("CLÉMENT", "Joseph"), ("Clerc", "Jérôme")]
