"""Who sees the figures: the coordination team and the steering committee (aggregates only)."""

import rules

from plie.accounts import rules as account_rules
from plie.accounts.rules import is_coordination_team, is_steering_viewer
from plie.participants.rules import role_reads_sensitive_data

rules.add_perm("reporting.view_key_figures", is_coordination_team | is_steering_viewer)
rules.add_perm("reporting.view_data_quality", is_coordination_team)
# Aggregates only, counts under 5 hidden whoever reads it: the steering committee too.
rules.add_perm("reporting.view_quarterly_review", is_coordination_team | is_steering_viewer)
# A référent's dashboard counts their own pathways only (see reporting.dashboard).
rules.add_perm(
    "reporting.view_dashboard",
    is_coordination_team | account_rules.is_referent | is_steering_viewer,
)
# The monthly extraction lists people by name: the coordination team only, and sensitive
# columns (RSA, health, justice, nationality) only for the roles the personal-data register
# lets read them (the case leads: the assistant does not).
rules.add_perm("reporting.request_extraction", is_coordination_team)
rules.add_perm("reporting.extract_sensitive_data", is_coordination_team & role_reads_sensitive_data)
