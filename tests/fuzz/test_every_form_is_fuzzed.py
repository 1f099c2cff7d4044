"""Every address that takes a POST has a fuzz target (tests/fuzz/targets.py) or a line in
`NOT_FUZZED` saying why not: a new form without one fails here."""

import inspect
import re

from plie.web.permissions import ADMIN_NAMESPACE, PAGES
from tests.fuzz.targets import TARGETS
from tests.web.test_permission_matrix import patterns

# Addresses that take a POST and are not sent hostile values by tests/fuzz/test_forms.py.
NOT_FUZZED = {
    "accounts:logout": "un bouton sans champ, qui ferme la session",
    "accounts:login": "le formulaire de connexion de Django ; ses refus sont comptés par "
    "django-axes (tests/accounts/test_lockout.py)",
    "accounts:second_factor": "un code à six chiffres de django-otp "
    "(tests/accounts/test_second_factor.py)",
    "accounts:reauthenticate": "le même code, demandé de nouveau",
    "accounts:second_factor_enrol": "le même code, à l'activation",
    "accounts:second_factor_account": "des boutons sans champ (codes de secours)",
    "agreements:deliverable_upload": "un document seul : son type et sa taille sont vérifiés "
    "par core.uploads (tests/core/test_uploads.py), le dépôt par tests/agreements",
    "scoring:consultation_answer": "seul un membre du comité de pilotage y répond (la "
    "coordinatrice du fuzzing ne le peut pas) : un choix et un commentaire gardés par "
    "SiteFormMixin, envoyés par tests/purchasing/test_decision.py",
    "programme:statement_evidence_add": "un titre et un fichier : le fichier est refusé "
    "pour son contenu (tests/core/test_uploads.py), le titre par les règles de tout formulaire "
    "(tests/programme/test_statement_evidence.py)",
    "actions:signed_sheet_upload": "un document seul (la feuille signée) : son type est "
    "vérifié par core.uploads et actions.attendance (tests/actions/test_attendance.py)",
    "evaluation:budget_line_remove": "un bouton sans champ, qui retire une ligne de la "
    "situation budgétaire d'un bilan (tests/evaluation/test_reports_workflow.py)",
    "web:notices": "des boutons sans champ libre : ouvrir un de ses avis, tout marquer comme "
    "lu (tests/web/test_notices.py)",
}


def takes_post(pattern) -> bool:
    """Whether the view of an address handles a POST: a class with `post`, or a function
    whose source — or that of a function of its module it calls — reads the method."""
    view = pattern.callback
    if hasattr(view, "view_class"):
        return hasattr(view.view_class, "post")
    function = inspect.unwrap(view)
    source = inspect.getsource(function)
    module = inspect.getmodule(function)
    called = [
        value
        for key, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and re.search(rf"(?<![\w.]){key}\(", source)
    ]
    return any("POST" in inspect.getsource(f) for f in (function, *called))


def posting_addresses() -> set[str]:
    return {
        name
        for name, pattern in patterns()
        if name.split(":")[0] != ADMIN_NAMESPACE and takes_post(pattern)
    }


def test_every_address_taking_a_post_is_fuzzed():
    missing = posting_addresses() - TARGETS.keys() - NOT_FUZZED.keys()
    assert not missing, (
        f"formulaires sans cible de fuzzing : {sorted(missing)} — ajoutez une ligne à TARGETS "
        "(tests/fuzz/targets.py)"
    )


def test_the_targets_are_addresses_taking_a_post():
    assert TARGETS.keys() <= PAGES.keys()
    assert not (TARGETS.keys() | NOT_FUZZED.keys()) - posting_addresses()
    assert not TARGETS.keys() & NOT_FUZZED.keys()


def test_a_form_without_a_target_is_caught(monkeypatch):
    """The check can fail: without its line, the contact form is reported."""
    monkeypatch.delitem(TARGETS, "pathways:contact_add")
    assert "pathways:contact_add" in posting_addresses() - TARGETS.keys() - NOT_FUZZED.keys()
