"""The table of roles is declared once and said the same everywhere: every permission is a
declared action, docs/permissions.md is what the declarations write today, and the README's
summary of each role says what the rules allow — all of it, and nothing more."""

import re
from io import StringIO
from pathlib import Path

import pytest
import rules
from django.contrib.auth.models import Permission
from django.core.management import call_command

from plie.accounts.enums import Role
from plie.core.permissions import actions
from plie.demo.generator import ACCOUNTS
from plie.web.permissions import (
    GROUPS,
    OBJECTS,
    SUMMARIES,
    Reach,
    broken_claims,
    reach,
    summary,
)
from plie.web.permissions_document import COMMAND, markdown

ROOT = Path(__file__).resolve().parents[2]


def test_every_permission_of_the_rules_is_a_declared_action():
    declared = {action.permission for action in actions()}
    assert set(rules.permissions.permissions) == declared


def test_every_action_has_a_group_of_the_document_and_objects_to_be_decided_on():
    for action in actions():
        assert action.group in GROUPS, action
        assert not action.on or action.on in OBJECTS, action


@pytest.mark.django_db
def test_no_action_bears_the_name_of_a_django_model_permission(territory):
    """A model permission can be given one by one in the administration; were one to bear an
    action's name, Django's ModelBackend would grant the action (`participants.add_referral`
    did, for the referral form)."""
    model_permissions = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert model_permissions
    assert not model_permissions & {action.permission for action in actions()}


def test_the_document_is_up_to_date():
    document = ROOT / "docs" / "permissions.md"
    assert document.read_text(encoding="utf-8") == markdown(), (
        f"docs/permissions.md is out of date: run `uv run {COMMAND}`"
    )


def test_the_command_prints_the_document():
    out = StringIO()
    call_command("permissions", "--markdown", stdout=out)
    assert out.getvalue() == markdown()


@pytest.mark.parametrize("role", Role.values)
def test_each_role_s_summary_says_what_the_rules_allow(role):
    assert broken_claims(role) == []


def test_a_summary_that_leaves_an_action_unsaid_is_caught(monkeypatch):
    """The check can fail: the summary the README had (« consulte les dossiers ») left the
    correction of identity unsaid, and claimed no sensitive data with them."""
    from plie.web import permissions

    monkeypatch.setitem(
        permissions.SUMMARIES,
        Role.ASSISTANT,
        (permissions.Claim("consulte les dossiers", ("participants.open_participant",)),),
    )
    problems = broken_claims(Role.ASSISTANT)
    assert "participants.correct_identity est permis sans que le résumé le dise" in problems
    monkeypatch.setitem(
        permissions.SUMMARIES,
        Role.ASSISTANT,
        (
            permissions.Claim(
                "consulte ses dossiers",
                ("participants.open_participant",),
                Reach.OWN,
                denies=("participants.correct_identity",),
            ),
        ),
    )
    problems = broken_claims(Role.ASSISTANT)
    assert "« consulte ses dossiers » : participants.open_participant est « tous »" in problems
    assert "« consulte ses dossiers » : participants.correct_identity est permis" in problems


def readme_roles() -> dict[str, str]:
    """Role → « Ce qu'il fait » of the README's table of demo accounts, by login."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Comptes de démonstration", 1)[1].split("\n## ", 1)[0]
    logins = {username: role for username, (role, *_) in ACCOUNTS.items()}
    found = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[1].startswith("`"):
            continue
        login = re.match(r"`([^`]+)`", cells[1]).group(1)
        role = Role.REFERENT if login.startswith("referent") else logins[login]
        found[role] = cells[2].replace("\\|", "|")
    return found


def test_the_readme_says_each_role_s_summary():
    assert readme_roles() == {role: summary(role) for role in SUMMARIES}
    assert set(SUMMARIES) == set(Role.values)


def test_the_assistant_reads_and_corrects_but_acts_on_no_pathway():
    """Point by point, the boundary the README draws (issue 10, « Rôles »)."""
    assert reach("participants.open_participant", Role.ASSISTANT) == Reach.ALL
    assert reach("participants.correct_identity", Role.ASSISTANT) == Reach.ALL
    for permission in (
        "participants.view_sensitive_data",
        "participants.record_referral",
        "participants.plan_appointment",
        "participants.record_outreach",
        "participants.close_referral",
        "pathways.edit_entry_file",
        "participants.assess_eligibility",
        "pathways.record_step",
        "pathways.record_contact",
        "committee.propose_entry",
        "committee.propose_exit",
        "committee.manage_committee",
    ):
        assert reach(permission, Role.ASSISTANT) == Reach.NONE, permission


@pytest.mark.django_db
def test_asking_about_an_undeclared_permission_is_an_error(territory):
    """A renamed permission (participants.view_participant is now open_participant) asked
    for by its old name, or a misspelt one, would refuse everyone without a word: it raises
    instead. Django's model permissions, which the administration asks about no object, are
    answered."""
    from plie.core.permissions import UndeclaredPermission
    from tests.factories import ParticipantFactory, UserFactory

    user = UserFactory(role=Role.COORDINATOR)
    participant = ParticipantFactory()
    with pytest.raises(UndeclaredPermission, match=r"participants\.view_participant"):
        user.has_perm("participants.view_participant", participant)
    with pytest.raises(UndeclaredPermission, match=r"participants\.open_participants"):
        user.has_perm("participants.open_participants")  # misspelt
    assert user.has_perm("participants.open_participant")
    assert not user.has_perm("territory.change_commune")  # Django's, for the administration
