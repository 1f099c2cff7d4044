"""Role predicates shared by every app's rules.py, and the administration's action."""

import rules

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.core.permissions import declare_action


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

# The administration (/admin/): nomenclatures, step types, thresholds and accounts, never a
# participant's record.
declare_action(
    "accounts.administer",
    is_administrator,
    label="Gérer les nomenclatures, les types d'étapes, les seuils et les comptes (/admin/)",
    group="Administration",
    note="Django ouvre l'administration à tout compte actif qui a le statut « équipe » "
    "(is_staff) : ne le donnez qu'aux comptes d'administrateur.",
)

# A colleague locked out, or who lost the telephone of the second factor (accounts/access_help.py).
declare_action(
    "accounts.help_account_access",
    is_coordinator,
    label="Débloquer un compte ou retirer un second facteur perdu (« Accès des comptes »)",
    group="Administration",
    note="Jamais pour son propre compte ; retirer un second facteur demande un code récent.",
)

# Roles that open every file are given once a coordinator approves (accounts/roles.py).
declare_action(
    "accounts.decide_role_request",
    is_coordinator,
    label="Accorder ou refuser un rôle demandé par l'administration (« Demandes de rôle »)",
    group="Administration",
)
