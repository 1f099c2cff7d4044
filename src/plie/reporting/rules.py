"""Who sees the figures: the coordination team and the steering committee (aggregates only)."""

import rules

from plie.accounts.rules import is_coordination_team, is_steering_viewer

rules.add_perm("reporting.view_key_figures", is_coordination_team | is_steering_viewer)
