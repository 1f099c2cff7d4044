"""Who may see or do what with participant records — decided here and nowhere else.

A référent works on their own participants; the coordination team sees everyone; the
sensitive fields (health, disability, justice, minimum income, nationality and right to
work, free-text notes) are for the participant's référent and the case leads only; the
steering viewer, providers and administrators open no participant record.
"""

import rules

from plie.accounts.rules import (
    is_case_lead,
    is_coordination_team,
    is_referent,
)


@rules.predicate
def is_participant_referent(user, participant):
    return participant is not None and participant.referent_id == user.id


can_open_participant = is_coordination_team | (is_referent & is_participant_referent)

rules.add_perm("participants.view_participant_list", is_coordination_team | is_referent)
rules.add_perm("participants.view_participant", can_open_participant)
rules.add_perm("participants.change_participant", can_open_participant)
rules.add_perm(
    "participants.view_sensitive_data", is_case_lead | (is_referent & is_participant_referent)
)
rules.add_perm("participants.add_referral", is_coordination_team | is_referent)
rules.add_perm("participants.view_outreach_worklist", is_coordination_team | is_referent)
rules.add_perm("participants.record_outreach", can_open_participant)
rules.add_perm(
    "participants.assess_eligibility", is_case_lead | (is_referent & is_participant_referent)
)
