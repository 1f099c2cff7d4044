"""What the evaluation adds to the menu and the pages (core.plugins), and its entries of the
personal-data register (register.py); run when the app is ready."""

from plie.evaluation import register, rules  # noqa: F401  (rules declares the permissions)


def declare() -> None:
    register.declare()
