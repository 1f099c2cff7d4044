"""The permission matrix: every address of the application × every role and no login × a
record of one's own and someone else's × GET and POST, each answer checked against the table
of roles (web/permissions.py, docs/permissions.md).

A request the table refuses must get 403, 404, 405 or the login page; one it allows must get
anything but those; none may end in a server error (the test client raises). Every page
also keeps out the names of the people whose record its reader may not open, and the
sensitive notes of those whose sensitive data the reader may not read. Each request runs in
a savepoint rolled back after it, so that every one meets the same records. The
administration is checked as one group: every one of its addresses sends every other role to
its own login page.

A new address without a line in `PAGES` (web/permissions.py) fails
`test_every_address_is_declared`. One whose address needs objects (a participant, a step…)
also needs a line in `TARGETS` (tests/web/matrix_records.py); one without needs nothing more.
"""

import copy
import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from plie.accounts.enums import Role
from plie.core.permissions import action, allows
from plie.web.permissions import ADMIN_NAMESPACE, ANYONE, PAGES, SIGNED_IN, access
from tests.factories import MeetingFactory, UserFactory
from tests.web.matrix_records import TARGETS, Records, build_records, target

pytestmark = pytest.mark.django_db

METHODS = ("GET", "POST")
REFUSED = {403, 404, 405}
# Where a refused visitor is sent (a page asking to log in again, or for a second factor,
# belongs here too).
LOGIN_PAGES = (reverse("accounts:login"), "/admin/login/")


# Every address ---------------------------------------------------------------------------


def patterns(resolver=None, namespace=""):
    """(URL name, pattern) of every address of the application, recursively."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or ""), pattern


def application_names() -> set[str]:
    return {name for name, _ in patterns() if name.split(":")[0] != ADMIN_NAMESPACE}


def test_every_address_is_declared():
    names = application_names()
    assert "" not in names, "une adresse sans nom ne peut pas être déclarée : nommez-la"
    undeclared = names - PAGES.keys()
    assert not undeclared, (
        f"adresses sans permission déclarée : {sorted(undeclared)} — ajoutez une ligne à "
        "PAGES (src/plie/web/permissions.py) puis `uv run plie permissions --markdown > "
        "docs/permissions.md`"
    )
    assert not PAGES.keys() - names, "PAGES déclare des adresses qui n'existent plus"


def test_every_address_with_objects_has_a_target():
    needing = {name for name, pattern in patterns() if _arguments(pattern)}
    needing = {name for name in needing if name.split(":")[0] != ADMIN_NAMESPACE}
    assert not needing - TARGETS.keys(), f"ajoutez à TARGETS : {sorted(needing - TARGETS.keys())}"


def _arguments(pattern: URLPattern) -> set[str]:
    return set(pattern.pattern.regex.groupindex)


# The expectation ------------------------------------------------------------------------


def expected(name: str, method: str, user, obj) -> bool:
    """Whether the table lets `user` (None: no login) send `method` to the address."""
    for needed in access(name).needs(method):
        if needed == ANYONE:
            continue
        if user is None:
            return False
        if needed == SIGNED_IN:
            continue
        declared = action(needed)
        if declared.on and (obj is None or _kind(obj) != declared.on):
            raise AssertionError(f"{name}: {needed} is decided on a {declared.on}: see TARGETS")
        if not allows(needed, user, obj if declared.on else None):
            return False
    return True


def _kind(obj) -> str:
    kinds = {
        "Participant": "participant",
        "Extraction": "extraction",
        "Proposal": "proposal",
        "Agreement": "agreement",
        "ActionReferral": "referral",
        "Action": "action",
    }
    return kinds[type(obj).__name__]


def is_refused(response) -> bool:
    if response.status_code in REFUSED:
        return True
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)


@dataclass
class Tally:
    requests: int = 0
    leaks: list = field(default_factory=list)
    refusals: list = field(default_factory=list)  # allowed by the table, refused by the page
    disclosures: list = field(default_factory=list)


def ask(client, method: str, path: str):
    """One request in a savepoint rolled back after it, the session restored (a POST to the
    logout address ends it)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.get(path) if method == "GET" else client.post(path, {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def shown_text(response) -> str:
    if response.streaming or "text/html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode().lower()


def check_disclosure(tally, where, text, user, records_sets):
    """Names only of those the reader may open; notes only to who may read them."""
    for records in records_sets:
        opens = user is not None and allows("participants.open_participant", user, records.followed)
        reads = user is not None and allows(
            "participants.view_sensitive_data", user, records.followed
        )
        # The provider of an action reads the names of the people referred to it.
        referral = records.objects.get("referral")
        reads_referral = (
            referral is not None
            and user is not None
            and allows("actions.open_referral", user, referral)
        )
        names = [
            name
            for name in records.names
            if not (reads_referral and name in records.objects.get("referred_names", ()))
        ]
        if not opens and any(name in text for name in names):
            tally.disclosures.append(f"{where} : nom d'un dossier de {records.token}")
        if (
            referral is not None
            and not reads_referral
            and f"orientation-{records.token}".lower() in text
        ):
            tally.disclosures.append(f"{where} : orientation vers une action de {records.token}")
        if not reads and records.secret.lower() in text:
            tally.disclosures.append(f"{where} : note sensible de {records.token}")
        agreement = records.objects.get("agreement")
        if (
            agreement is not None
            and not (user is not None and allows("agreements.open_agreement", user, agreement))
            and f"convention-{records.token}".lower() in text
        ):
            tally.disclosures.append(f"{where} : convention de {records.token}")
        # An action's title only to who may open the action (the team, the référents, its
        # provider) or read its added value (the steering committee: issue 13, §3).
        programme_action = records.objects.get("action")
        if (
            programme_action is not None
            and not (
                user is not None
                and (
                    allows("actions.open_action", user, programme_action)
                    or allows("evaluation.view_added_value", user, programme_action)
                )
            )
            and f"action-{records.token}".lower() in text
        ):
            tally.disclosures.append(f"{where} : action de {records.token}")
        # A proposal's summary only to who may read the proposal (the team, its provider).
        sees = user is not None and allows("purchasing.read_proposal", user, records.proposal)
        if not sees and f"offre-{records.token}".lower() in text:
            tally.disclosures.append(f"{where} : proposition de {records.token}")
        # Issue 12 (helper H4): the person of a referral only to who opens the referral; a
        # draft follow-up sheet only to who writes the sheets (never the référent).
        referral = records.objects.get("assessed_referral")
        if referral is not None:
            opens_referral = user is not None and allows("actions.open_referral", user, referral)
            if not opens_referral and f"diagnostic{records.token}".lower() in text:
                tally.disclosures.append(f"{where} : orientation de {records.token}")
            drafts = user is not None and allows("actions.write_follow_up", user, referral)
            if not drafts and f"brouillon-{records.token}".lower() in text:
                tally.disclosures.append(f"{where} : brouillon de fiche de {records.token}")


def run_matrix(client, user, label, records_sets) -> Tally:
    tally = Tally()
    for name in sorted(application_names()):
        for records in records_sets:
            path, obj = target(name, records)
            if obj is None and records is not records_sets[0]:
                continue  # an address about no record is asked once
            for method in METHODS:
                allowed = expected(name, method, user, obj)
                response = ask(client, method, path)
                tally.requests += 1
                where = f"{label} {method} {path} ({name}, dossiers {records.token})"
                refused = is_refused(response)
                public = access(name).needs(method) == (ANYONE,)  # its answer is free
                if refused and allowed and response.status_code != 405 and not public:
                    tally.refusals.append(f"{where} : {response.status_code}")
                if not refused and not allowed:
                    tally.leaks.append(f"{where} : {response.status_code}")
                check_disclosure(tally, where, shown_text(response), user, records_sets)
    return tally


# The roles, one test each ----------------------------------------------------------------


@pytest.fixture
def world(territory):
    today = timezone.localdate()
    return {
        "meeting": MeetingFactory(held_on=today, place="Salle du conseil"),
        "next_meeting": MeetingFactory(held_on=today + datetime.timedelta(days=14)),
        "proposer": UserFactory(username="referente.proposante", role=Role.REFERENT),
    }


def records_of(owner, token, world) -> Records:
    return build_records(owner, token, world["meeting"], world["next_meeting"], world["proposer"])


def principal(role: str, **fields):
    user = UserFactory(username=f"matrice.{role}", role=role, **fields)
    if role == Role.ADMINISTRATOR:
        # The strongest administrator: staff, and given every Django permission there is.
        user.is_staff = True
        user.save()
        user.user_permissions.set(Permission.objects.all())
    return user


def report(tally: Tally) -> str:
    lines = [f"{tally.requests} requêtes"]
    for title, found in (
        ("fuites (permis par la page, refusé par le tableau)", tally.leaks),
        ("refus (permis par le tableau, refusé par la page)", tally.refusals),
        ("divulgations", tally.disclosures),
    ):
        if found:
            lines += [f"{title} :", *(f"  - {line}" for line in found)]
    return "\n".join(lines)


@pytest.mark.parametrize("role", Role.values)
def test_each_role_gets_exactly_what_the_table_allows(client, world, role):
    """The role on records of its own (it follows them, it asked for the extraction) and on
    someone else's."""
    user = principal(role)
    own = records_of(user, "Quenouillet", world)
    others = records_of(UserFactory(username="autre.referente"), "Zorglubien", world)
    client.force_login(user)
    tally = run_matrix(client, user, role, [own, others])
    print(f"matrice {role} : {tally.requests} requêtes")  # the figure in docs/security.md
    assert not (tally.leaks or tally.refusals or tally.disclosures), report(tally)


def test_no_login_opens_nothing_but_the_login(client, world):
    others = records_of(UserFactory(username="autre.referente"), "Zorglubien", world)
    tally = run_matrix(client, None, "sans connexion", [others])
    print(f"matrice sans connexion : {tally.requests} requêtes")
    assert not (tally.leaks or tally.refusals or tally.disclosures), report(tally)


def test_a_leak_is_caught(client, world, monkeypatch):
    """The matrix can fail: with the table saying the assistant may not correct identity,
    the page that lets her is a leak."""
    from plie.web import permissions

    monkeypatch.setitem(
        permissions.PAGES, "participants:edit", permissions.needs("participants.plan_appointment")
    )
    user = principal(Role.ASSISTANT)
    others = records_of(UserFactory(username="autre.referente"), "Zorglubien", world)
    client.force_login(user)
    tally = run_matrix(client, user, "assistant", [others])
    assert any("participants:edit" in leak for leak in tally.leaks)


def test_a_disclosure_is_caught(client, world, monkeypatch):
    """The matrix can fail on what a page shows: were the assistant not to open records,
    the lists and records that name people would disclose them."""
    import tests.web.test_permission_matrix as matrix

    user = principal(Role.ASSISTANT)
    others = records_of(UserFactory(username="autre.referente"), "Zorglubien", world)
    client.force_login(user)
    monkeypatch.setattr(
        matrix, "allows", lambda name, *args: name != "participants.open_participant"
    )
    tally = Tally()
    response = ask(client, "GET", reverse("web:participant_list"))
    check_disclosure(tally, "liste", shown_text(response), user, [others])
    assert tally.disclosures == ["liste : nom d'un dossier de Zorglubien"]


# The administration, as one group --------------------------------------------------------


def admin_paths() -> list[str]:
    """Every address of the administration, its arguments filled with plausible values
    (nobody but an administrator gets past its login, whatever the object)."""
    app_label = next(iter(admin.site._registry))._meta.app_label
    values = {"app_label": app_label, "object_id": "1", "content_type_id": "1", "id": "1"}
    paths = []
    for name, pattern in patterns():
        if name.split(":")[0] != ADMIN_NAMESPACE:
            continue
        if name == f"{ADMIN_NAMESPACE}:":  # its catch-all, for any other address under it
            paths.append(reverse("admin:index") + "adresse-inconnue/")
            continue
        paths.append(reverse(name, kwargs={key: values[key] for key in _arguments(pattern)}))
    return paths


OPEN_ADMIN_PAGES = {reverse("admin:login"), reverse("admin:logout")}


@pytest.mark.parametrize("role", [None, *Role.values])
def test_the_administration_sends_every_other_role_to_its_login(client, db, role):
    user = principal(role, organisation=None) if role else None
    if user is not None:
        client.force_login(user)
    if role == Role.ADMINISTRATOR:
        assert client.get(reverse("admin:index")).status_code == 200
        return
    checked = 0
    for path in admin_paths():
        if path in OPEN_ADMIN_PAGES:
            continue
        for method in METHODS:
            response = ask(client, method, path)
            checked += 1
            assert response.status_code == 302, f"{role} {method} {path}"
            assert response["Location"].startswith("/admin/login/"), f"{role} {method} {path}"
    print(f"administration, {role or 'sans connexion'} : {checked} requêtes")
    assert checked > 50
