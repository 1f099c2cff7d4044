"""What agreements add to the menu (core.plugins) and their entries of the personal-data
register (register.py); run when the app is ready."""

from plie.accounts.enums import Role
from plie.agreements import register
from plie.core.plugins import MenuEntry, declare_menu_entry


def _label(user) -> str:
    return "Mes conventions" if user.role == Role.PROVIDER else "Conventions"


def declare() -> None:
    register.declare()
    declare_menu_entry(
        MenuEntry(
            _label,
            "agreements:agreement_list",
            lambda user: user.has_perm("agreements.view_agreement_list"),
            order=70,
        )
    )
