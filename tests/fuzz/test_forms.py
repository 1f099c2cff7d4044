"""Every POST form of the site, sent hostile values by Hypothesis through the real view (the
Django test client, as the coordinator, who may post them all), with the page's own hidden
fields (record version, one-time token) taken from the page as a browser does.

Whatever is sent: no server error; when the page refuses (the form comes back, or any answer
but a redirection), nothing in the database changed; when it accepts, every row it added or
changed has no hidden character in its texts, passes its model's `full_clean()` and keeps
its dates between 1900 and ten years ahead. Each sending runs in a savepoint rolled back
after it, so that every one meets the same records.

The number of sendings per form: small in the normal suite, the full budget under
`-m fuzz` (tests/fuzz/conftest.py, docs/security.md « Fuzzing »).
"""

import copy
import datetime
import re

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plie.accounts.enums import Role
from plie.participants.models import Participant, Referral
from plie.pathways.models import Step
from tests.factories import MeetingFactory, UserFactory
from tests.fuzz import budget
from tests.fuzz.database import changes, snapshot, stored_problems
from tests.fuzz.fields import form_fields, sent_untouched
from tests.fuzz.targets import OFFERED, PASSWORD, TARGETS, extra_records
from tests.fuzz.values import sendings
from tests.web.matrix_records import build_records

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

ACCEPTED = {301, 302, 303}


@pytest.fixture
def site(territory):
    today = timezone.localdate()
    coordinator = UserFactory(username="coordinatrice.fuzz", role=Role.COORDINATOR)
    coordinator.set_password(PASSWORD)
    coordinator.save()
    records = build_records(
        coordinator,
        "Quenouillet",
        MeetingFactory(held_on=today),
        MeetingFactory(held_on=today + datetime.timedelta(days=14)),
        coordinator,
    )
    extra_records(records)
    # The factories leave empty who created a record; the pages always say it.
    for model in (Participant, Referral, Step):
        model.objects.filter(created_by=None).update(created_by=coordinator)
    return records


def the_form(client, records, name: str) -> tuple[str, dict, dict]:
    """The address a form posts to, its fields as its page draws them (hidden ones included),
    and the values it accepts. Read once per test: every sending is rolled back, so that the
    page's version and one-time token stay what they were."""
    target = TARGETS[name]
    page = target.page(records) if target.page else None
    action = target.action(records) if target.action else ""
    fields = {}
    if page is not None:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        fields = form_fields(response.content.decode(), *({action} if action else {"", page}))
    baseline = with_valid_values(fields, sent_untouched(fields), target.valid(records))
    return action or page, fields, baseline


def send(client, address: str, data: dict):
    """One sending in a savepoint rolled back after it: the response and what went wrong."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        before = snapshot()
        response = client.post(address, data)  # a server error raises here
        changed = changes(before, snapshot())
        problems = []
        if response.status_code >= 500:
            problems.append(f"erreur {response.status_code}")
        if response.status_code not in ACCEPTED and changed:
            problems.append(
                f"refusé ({response.status_code}) mais écrit : "
                f"{ {m._meta.label: sorted(pks) for m, pks in changed.items()} }"
            )
        problems += stored_problems(before, changed)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, problems


def refusals(response) -> str:
    """The messages of a refused form (for the report of a test that fails)."""
    if response.status_code in ACCEPTED:
        return ""
    html = response.content.decode()
    return " | ".join(
        re.sub(r"<[^>]+>|\s+", " ", found).strip()
        for found in re.findall(
            r'class="[^"]*(?:feedback|alert|errorlist)[^"]*"[^>]*>(.*?)</', html, re.S
        )
    )


def with_valid_values(fields: dict, baseline: dict, valid: dict) -> dict:
    """The page's values with `valid` on top (OFFERED: the first choice the page offers)."""
    return baseline | {
        name: next(o for o in fields[name].options if o) if value == OFFERED else value
        for name, value in valid.items()
    }


def fuzz(client, name: str, address: str, fields: dict, baseline: dict, record_property):
    """Send `baseline` (which must be accepted: the hostile values are then tried on a form
    that would otherwise go through, and reach the code that stores), then the budget of
    hostile sendings; each must leave no problem."""
    response, problems = send(client, address, baseline)
    assert not problems
    assert response.status_code in ACCEPTED, (
        f"{name} : les valeurs de départ sont refusées ({response.status_code}) "
        f"{refusals(response)}"
    )
    tally = {"sent": 0, "accepted": 0}

    @settings(
        max_examples=budget.examples_per_form(),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def sending(data):
        response, problems = send(client, address, data.draw(sendings(fields, baseline)))
        tally["sent"] += 1
        tally["accepted"] += response.status_code in ACCEPTED
        assert not problems, "\n".join(problems)

    sending()
    record_property("fuzz_inputs", tally["sent"])
    print(f"fuzz {name} : {tally['sent']} envois, {tally['accepted']} acceptés")


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_a_form_sent_hostile_values(client, site, name, record_property):
    sender = TARGETS[name].user
    client.force_login(sender(site) if sender else site.owner)
    address, fields, baseline = the_form(client, site, name)
    fuzz(client, name, address, fields, baseline, record_property)
