"""What actions add to the menu, the participant page and the home pages (core.plugins), and
their entries of the personal-data register (register.py); run when the app is ready."""

from plie.actions import register, rules  # noqa: F401  (rules declares the permissions)
from plie.actions.diagnostic_section import SECTION as DIAGNOSTICS_SECTION
from plie.core.plugins import declare_participant_section


def declare() -> None:
    register.declare()
    declare_participant_section(DIAGNOSTICS_SECTION)
