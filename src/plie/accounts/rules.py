"""Role predicates shared by every app's rules.py."""

import rules

from plie.accounts.enums import COORDINATION_TEAM, Role


def _has_role(*roles):
    @rules.predicate(name=f"has_role_{'_'.join(roles)}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.is_active and user.role in roles)

    return predicate


is_coordinator = _has_role(Role.COORDINATOR)
is_project_officer = _has_role(Role.PROJECT_OFFICER)
is_assistant = _has_role(Role.ASSISTANT)
is_referent = _has_role(Role.REFERENT)
is_provider = _has_role(Role.PROVIDER)
is_steering_viewer = _has_role(Role.STEERING_VIEWER)
is_administrator = _has_role(Role.ADMINISTRATOR)
is_coordination_team = _has_role(*COORDINATION_TEAM)
# Those who lead the entry/exit cell and may read sensitive data of any participant.
is_case_lead = is_coordinator | is_project_officer

# Roles that open every file are given once a coordinator approves (accounts/roles.py).
rules.add_perm("accounts.decide_role_request", is_coordinator)
