"""What actions add to the menu, the participant page and the home pages (core.plugins), and
their entries of the personal-data register (register.py); run when the app is ready."""

from plie.actions import register, rules  # noqa: F401  (rules declares the permissions)


def declare() -> None:
    register.declare()
