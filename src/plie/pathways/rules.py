"""Pathway permissions: its référent and the case leads follow it; the coordination team
reads the worklists and caseloads."""

import rules

from plie.accounts.rules import is_case_lead, is_coordination_team, is_referent
from plie.participants.rules import is_participant_referent

# Following a pathway: its référent and the case leads record steps, contacts and exits;
# the assistant reads them (data quality) without the sensitive texts.
can_follow = is_case_lead | (is_referent & is_participant_referent)
rules.add_perm("pathways.record_step", can_follow)
rules.add_perm("pathways.record_contact", can_follow)
rules.add_perm("pathways.record_follow_up", can_follow)
rules.add_perm("pathways.transfer", is_case_lead)
rules.add_perm("pathways.view_worklists", is_coordination_team | is_referent)
rules.add_perm("pathways.view_caseloads", is_coordination_team)
