"""Who sees and who keeps the annual programme: the coordination team and the steering
committee read it (budgets and targets of organisations, no person in it); the coordinator
and the project officers, who instruct the operations (seed 001 § « Réception et
instruction »), record and change them. Each permission is an action of the table of roles
(core.permissions, docs/permissions.md)."""

from plie.accounts.rules import is_case_lead, is_coordination_team, is_steering_viewer
from plie.core.permissions import declare_action

PROGRAMME = "Pilotage"

declare_action(
    "programme.view_programme",
    is_coordination_team | is_steering_viewer,
    label="Voir la programmation annuelle : opérations, budgets, plans de financement, "
    "objectifs et réalisations",
    group=PROGRAMME,
)
declare_action(
    "programme.manage_programme",
    is_case_lead,
    label="Programmer les opérations, leurs budgets, plans de financement et objectifs, "
    "changer leur état, saisir leurs situations budgétaires",
    group=PROGRAMME,
)
