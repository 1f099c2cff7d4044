"""Who may open a cohort's satisfaction survey and read what the participants said (issue 13,
§1): the coordination team and the provider of the action (its own actions only). A référent
does not need the results; the steering committee reads them in the reports, as aggregates.
Each permission is an action of the table of roles (core.permissions, docs/permissions.md)."""

from plie.accounts.rules import is_coordination_team
from plie.actions.rules import ACTIONS, own_provider
from plie.core.permissions import declare_action

declare_action(
    "actions.open_survey",
    is_coordination_team | own_provider,
    label="Ouvrir le questionnaire de satisfaction d'un groupe, imprimer les liens personnels "
    "des participants",
    group=ACTIONS,
    on="action",
)
declare_action(
    "actions.view_satisfaction",
    is_coordination_team | own_provider,
    label="Lire les résultats du questionnaire de satisfaction d'une action (sans les noms)",
    group=ACTIONS,
    on="action",
)
