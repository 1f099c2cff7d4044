"""Hostile query parameters on every page: no server error, a French 400 page when refused.

Every address of the application (web/permissions.py PAGES) reachable by GET is asked by
each role with the records of the permission matrix (tests/web/matrix_records.py): the
pages that read parameters (`READS`) with each hostile value in each of their parameters,
every page with a few values in parameters it does not know. The answer must be below
500 — the test client raises on a server error — and a 400 must be the French page, which
never repeats the value sent.
"""

import inspect
import re
import sys
from urllib.parse import urlencode

import pytest
from django.utils.html import escape

from plie.accounts.enums import Role
from plie.web.permissions import access
from tests.web.matrix_records import target
from tests.web.test_permission_matrix import (  # noqa: F401 (world: a fixture)
    application_names,
    ask,
    patterns,
    principal,
    records_of,
    world,
)

pytestmark = pytest.mark.django_db

# The parameters each page reads (core/queries.py, or a form fed by the address).
READS = {
    "web:participant_list": ("q", "status", "commune", "qpv", "rsa", "referent", "page"),
    "web:journal": ("actor", "file_number", "action", "since", "until", "page"),
    "reporting:dashboard": ("du", "au", "structure", "referent"),
    "reporting:cohort": ("date_from", "date_to", "format"),
    "reporting:quarterly_review": ("annee", "trimestre", "format"),
    "reporting:key_figures": ("annee",),
    "pathways:worklists": ("referent",),
    "pathways:worklist": ("referent", "page"),
    "pathways:exits": ("annee", "page"),
    "accounts:second_factor": ("next",),
    "accounts:reauthenticate": ("next",),
    "accounts:second_factor_account": ("next",),
    "accounts:second_factor_enrol": ("next",),
    "accounts:login": ("next",),
    "web:notices": ("page",),
    "agreements:payment_orders_xlsx": ("convention",),
    "agreements:payment_orders_csv": ("convention",),
    "actions:days_statement": ("du", "au", "groupe"),
    "actions:referral_new": ("action",),
    **{
        f"actions:{name}": ()
        for name in (
            "referrals_received",
            "referral",
            "referral_accept",
            "referral_decline",
            "referral_propose",
            "referral_accept_proposal",
            "referral_withdraw",
            "referral_close",
        )
    },
    "actions:days_statement_pdf": ("du", "au", "groupe"),
    "actions:days_statement_xlsx": ("du", "au", "groupe"),
    # Beside a view that reads (same module), reading none themselves.
    **{
        f"actions:{name}": ()
        for name in (
            "session_attendance",
            "attendance_sheet",
            "signed_sheet_upload",
            "signed_sheet",
            "days_statement_hand_in",
        )
    },
    "web:home": (),
    "web:participant": (),
    "favicon": (),
    "accounts:password_change": (),
    "pathways:caseloads": (),
    "reporting:definitions": (),
    **{
        f"agreements:{name}": ()
        for name in (
            "agreement_list",
            "agreement_create",
            "agreement_detail",
            "agreement_sign",
            "amendment_ask",
            "amendment_decide",
            "deliverable_upload",
            "deliverable_check",
            "deliverable_download",
            "payment_record",
        )
    },
}
UNKNOWN = ("inconnu", "annee[]")

HOSTILE = (
    "",
    "0",
    "-1",
    "1899",
    "abc",
    "1e10",
    "99999999999999999999",
    "²",  # str.isdigit() says yes, int() says no
    "٣",  # an Arabic-Indic three: int() reads it
    "\x00",
    "1\x00",
    "\u202egpj.exe",
    "x" * 301,
    "9" * 2001,
    "2026-02-30",
    "31/12/9999",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "//exemple.invalid/",
    "exe",
)


# The normal suite asks these nine (those that were server errors, and one of each kind);
# `-m fuzz` asks all twenty (docs/security.md « Paramètres d'adresse »).
QUICK = (
    "",
    "0",
    "abc",
    "99999999999999999999",
    "²",
    "\x00",
    "\u202egpj.exe",
    "9" * 2001,
    "31/12/9999",
)


def hostile_values(config) -> tuple[str, ...]:
    full = re.search(r"(?<!not )\bfuzz\b", config.getoption("markexpr", "") or "")
    return HOSTILE if full else QUICK


# What a page that reads nothing must survive in a parameter it does not know.
FOR_UNKNOWN = ("\x00", "9" * 2001, "<script>alert(1)</script>", "abc")


def gettable() -> list[str]:
    return sorted(name for name in application_names() if access(name).needs("GET"))


def check(response, where: str, value: str) -> None:
    assert response.status_code < 500, where
    if response.status_code != 400:
        return
    page = response.content.decode()
    assert '<html lang="fr">' in page, where
    assert "<h1>Adresse incorrecte</h1>" in page, where
    if len(value) > 3:
        assert escape(value) not in page and value not in page, where


@pytest.mark.fuzz
@pytest.mark.parametrize("role", [None, *Role.values])
def test_no_parameter_ends_in_a_server_error(client, world, role, pytestconfig):  # noqa: F811
    values = hostile_values(pytestconfig)
    user = principal(role) if role else None
    records = records_of(user or principal(Role.REFERENT), "Quenouillet", world)
    if user is not None:
        client.force_login(user)
    asked = 0
    for name in gettable():
        path, _ = target(name, records)
        asks = [(parameter, value) for parameter in READS.get(name, ()) for value in values]
        asks += [(parameter, value) for parameter in UNKNOWN for value in FOR_UNKNOWN]
        for parameter, value in asks:
            query = urlencode({parameter: value})
            response = ask(client, "GET", f"{path}{'&' if '?' in path else '?'}{query}")
            check(response, f"{role} {name} {parameter}={value[:20]!r}", value)
            asked += 1
    print(f"paramètres hostiles, {role or 'sans connexion'} : {asked} requêtes")
    assert asked > 400


def test_every_page_reading_the_address_is_listed():
    """Each address whose view's module reads the address (request.GET, core/queries.py) has
    its line in READS, so that its parameters are asked (an empty line when this view of the
    module reads none)."""
    missing = []
    for name, pattern in patterns():
        if name not in application_names():
            continue
        view = inspect.unwrap(getattr(pattern.callback, "view_class", pattern.callback))
        source = inspect.getsource(sys.modules[view.__module__])
        if ("request.GET" in source or "queries." in source) and name not in READS:
            missing.append(name)
    assert not missing, f"ajoutez à READS (tests/web/test_hostile_queries.py) : {missing}"
