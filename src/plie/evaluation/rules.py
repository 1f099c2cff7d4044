"""Who may see or do what with the evaluation of actions (issue 13): reports and added value.
Each permission is an action of the table of roles (core.permissions, docs/permissions.md)."""

from plie.accounts.rules import is_case_lead, is_provider, is_steering_viewer
from plie.actions.rules import runs_the_action
from plie.core.permissions import declare_action

EVALUATION = "Évaluation des actions"

# The added value of an action (issue 13, §3): aggregates only, no name. The coordinator and
# the project officers read every action's; a provider its own actions'; the steering
# committee every action's, small counts hidden.
declare_action(
    "evaluation.view_added_values",
    is_case_lead | is_steering_viewer | is_provider,
    label="Voir la liste des actions et de leur plus-value (un prestataire : ses actions)",
    group=EVALUATION,
)
declare_action(
    "evaluation.view_added_value",
    is_case_lead | is_steering_viewer | (is_provider & runs_the_action),
    label="Lire la plus-value d'une action contre des participants comparables (chiffres "
    "agrégés, sans nom ; petits effectifs masqués hors de la coordination), page et PDF",
    group=EVALUATION,
    on="action",
)
