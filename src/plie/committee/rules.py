"""Committee permissions: the coordinator and project officers run the entry/exit committee;
a participant's référent proposes their entry and exit."""

import rules

from plie.accounts.rules import is_case_lead, is_coordination_team, is_referent
from plie.participants.rules import is_participant_referent

rules.add_perm("committee.view_committee", is_coordination_team)
rules.add_perm("committee.manage_committee", is_case_lead)
rules.add_perm("committee.propose_entry", is_case_lead | (is_referent & is_participant_referent))
rules.add_perm("committee.propose_exit", is_case_lead | (is_referent & is_participant_referent))
