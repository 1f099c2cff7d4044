"""No page escapes the journal: every address of the application (the list the accessibility
test keeps whole, `PAGES`), opened by each role that reads records — as a page, as an htmx
fragment and with a form sent empty — journals every participant whose name it shows.

The people of the dataset are renamed with names found nowhere else, so that a name in a
response can only be that person's.
"""

import pytest
from auditlog.models import LogEntry

from plie.participants.models import Participant
from tests.browser.test_accessibility import NOT_PAGES, PAGES, build_dataset
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAMES = ["Quixotelle", "Brambovert", "Zinzolain", "Ferlapoche", "Vrimbaud", "Glouvenet", "Tarpinou"]


def journaled_since(last_pk: int) -> set[int]:
    people = set()
    for data in LogEntry.objects.filter(pk__gt=last_pk).values_list("additional_data", flat=True):
        data = data or {}
        people.update(data.get("participant_ids") or [])
        if data.get("participant_id"):
            people.add(data["participant_id"])
    return people


def last_entry() -> int:
    return LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def dataset(referent, coordinator):
    data = build_dataset(referent, coordinator)
    names = {}
    for name, participant in zip(NAMES, Participant.objects.order_by("pk"), strict=False):
        Participant.objects.filter(pk=participant.pk).update(last_name=name)
        names[participant.pk] = name.casefold()
    assert len(names) == len(data["participants"])
    return data, names


def requests_of(url: str, *, post: bool):
    yield "GET", {}
    yield "GET htmx", {"HTTP_HX_REQUEST": "true"}
    if post:
        yield "POST vide", {}


@pytest.mark.parametrize("role", ["referent", "coordinator", "project_officer", "assistant"])
def test_every_page_that_names_a_participant_journals_them(client, request, dataset, role):
    data, names = dataset
    user = request.getfixturevalue(role) if role in ("referent", "coordinator") else None
    if user is None:
        user = UserFactory(username=role, role=role)
    client.force_login(user)
    urls = [url for make in PAGES.values() for url in make(data)]
    escaped, checked = [], 0
    for url in dict.fromkeys(urls):
        for how, headers in requests_of(url, post=role in ("referent", "coordinator")):
            before = last_entry()
            if how.startswith("POST"):
                response = client.post(url, {}, **headers)
            else:
                response = client.get(url, **headers)
            if 300 <= response.status_code < 400:
                continue
            content = b"".join(response) if response.streaming else response.content
            text = content.decode(errors="replace").casefold()
            seen = {pk for pk, name in names.items() if name in text}
            checked += bool(seen)
            missing = seen - journaled_since(before)
            if missing:
                escaped.append(f"{how} {url} ({response.status_code}) : {sorted(missing)}")
            client.force_login(user)  # a page may not log out, but be sure
    assert not escaped, "lectures non journalisées :\n" + "\n".join(escaped)
    assert checked, "aucune page n'a nommé de participant : le jeu de données est vide ?"


def test_the_addresses_checked_are_those_of_the_accessibility_test():
    """A new page must be added to `PAGES` (or `NOT_PAGES`), which this test then opens."""
    assert "web:participant" in PAGES
    assert "reporting:extraction_download" in NOT_PAGES
