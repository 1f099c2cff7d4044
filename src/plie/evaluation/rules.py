"""Who may see or do what with the evaluation of actions (issue 13): reports and added value.
Each permission is an action of the table of roles (core.permissions, docs/permissions.md).

Reports: the coordination team reads every action's; the project officers and the
coordinator comment, send back and validate them; a provider reads and writes the reports of
its own actions only. Référents read none (a report speaks of the action, not of the people
they follow; its figures reach them through the action's page). The steering committee reads
none: a single action's figures count a handful of people, and the committee sees the
programme's aggregates (reporting).

Added value: aggregates only, no name (issue 13, §3)."""

from plie.accounts.rules import (
    is_case_lead,
    is_coordination_team,
    is_provider,
    is_steering_viewer,
)
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

own_provider = is_provider & runs_the_action

declare_action(
    "evaluation.view_reports",
    is_coordination_team | own_provider,
    label="Lire les bilans d'une action, leurs chiffres, leur situation budgétaire et leur PDF",
    group=EVALUATION,
    on="action",
)
declare_action(
    "evaluation.plan_reports",
    is_case_lead | own_provider,
    label="Prévoir les bilans d'une action : ceux que demande la convention",
    group=EVALUATION,
    on="action",
)
declare_action(
    "evaluation.write_report",
    own_provider,
    label="Rédiger les bilans de ses actions, leur situation budgétaire, et les envoyer au PLIE",
    group=EVALUATION,
    on="action",
)
declare_action(
    "evaluation.review_report",
    is_case_lead,
    label="Commenter un bilan d'action, le renvoyer au prestataire ou le valider",
    group=EVALUATION,
    on="action",
)
