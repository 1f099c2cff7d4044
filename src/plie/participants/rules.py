"""Who may see or do what with participant records — decided here and nowhere else.

A référent works on their own participants; the coordination team sees everyone; the
steering viewer, providers and administrators open no participant record. Who reads the
sensitive fields (health, disability, justice, minimum income, nationality and right to
work, free-text notes) of the records they open is the personal-data register's to say
(core.register: today the case leads and the person's référent, not the assistant).
"""

import rules

from plie.accounts.rules import (
    is_case_lead,
    is_coordination_team,
    is_referent,
)
from plie.core.register import reads_sensitive_data


@rules.predicate
def is_participant_referent(user, participant):
    return participant is not None and participant.referent_id == user.id


@rules.predicate
def role_reads_sensitive_data(user):
    """The register names the roles that read every sensitive field and value."""
    return bool(user and user.is_authenticated and user.is_active) and reads_sensitive_data(
        user.role
    )


can_open_participant = is_coordination_team | (is_referent & is_participant_referent)

rules.add_perm("participants.view_participant_list", is_coordination_team | is_referent)
rules.add_perm("participants.view_participant", can_open_participant)
rules.add_perm("participants.change_participant", can_open_participant)
# This participant's sensitive data; without a participant, anyone's (the case leads).
rules.add_perm("participants.view_sensitive_data", can_open_participant & role_reads_sensitive_data)
# The sensitive data of the records one may open (a form for a new person, one's own exits).
rules.add_perm("participants.read_sensitive_data", role_reads_sensitive_data)
rules.add_perm("participants.add_referral", is_coordination_team | is_referent)
rules.add_perm("participants.view_outreach_worklist", is_coordination_team | is_referent)
rules.add_perm("participants.record_outreach", can_open_participant)
rules.add_perm(
    "participants.assess_eligibility", is_case_lead | (is_referent & is_participant_referent)
)
