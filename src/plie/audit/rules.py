"""The journal of accesses and changes is read by the coordinator only."""

import rules

from plie.accounts.rules import is_coordinator

rules.add_perm("audit.view_journal", is_coordinator)
