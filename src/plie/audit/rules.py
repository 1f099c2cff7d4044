"""The journal of accesses and changes is read by the coordinator only (an action of the table
of roles: core.permissions, docs/permissions.md)."""

from plie.accounts.rules import is_coordinator
from plie.core.permissions import declare_action

declare_action(
    "audit.view_journal",
    is_coordinator,
    label="Lire le journal des consultations et des modifications",
    group="Pilotage",
)
