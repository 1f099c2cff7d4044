"""What actions add to the menu, the participant page and the home pages (core.plugins), and
their entries of the personal-data register (register.py); run when the app is ready."""

from plie.accounts.enums import Role
from plie.actions import register, rules  # noqa: F401  (rules declares the permissions)
from plie.core.plugins import MenuEntry, declare_menu_entry


def declare() -> None:
    register.declare()
    # The team's and the référents' entry stands on its own, just before « Achats »; a
    # provider's is its own, after its agreements.
    declare_menu_entry(
        MenuEntry(
            "Actions",
            "actions:action_list",
            lambda user: user.role != Role.PROVIDER and user.has_perm("actions.view_actions"),
            order=69,
        )
    )
    declare_menu_entry(
        MenuEntry(
            "Mes actions",
            "actions:action_list",
            lambda user: user.role == Role.PROVIDER and user.has_perm("actions.view_actions"),
            order=31,
        )
    )
