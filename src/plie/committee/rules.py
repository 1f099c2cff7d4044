"""Committee permissions: the coordinator and project officers run the entry/exit committee,
the assistant reads it; a participant's référent proposes their entry and exit. Each
permission is an action of the table of roles (core.permissions, docs/permissions.md)."""

from plie.accounts.rules import is_case_lead, is_coordination_team
from plie.core.permissions import declare_action
from plie.participants.rules import can_follow_participant

COMMITTEE = "Commission d'entrée et de sortie"

declare_action(
    "committee.propose_entry",
    can_follow_participant,
    label="Proposer une entrée, ou retirer cette proposition",
    group=COMMITTEE,
    on="participant",
)
declare_action(
    "committee.propose_exit",
    can_follow_participant,
    label="Proposer une sortie, ou retirer cette proposition",
    group=COMMITTEE,
    on="participant",
)
declare_action(
    "committee.view_committee",
    is_coordination_team,
    label="Voir les commissions, leur ordre du jour et leur compte rendu",
    group=COMMITTEE,
)
declare_action(
    "committee.manage_committee",
    is_case_lead,
    label="Programmer une commission, y décider, reporter un dossier, la clôturer",
    group=COMMITTEE,
)
