"""What agreements add to the menu (core.plugins) and their entries of the personal-data
register (register.py); run when the app is ready."""

from plie.accounts.enums import Role
from plie.agreements import register
from plie.agreements.home import is_provider, provider_panel
from plie.core.plugins import HomePanel, MenuEntry, declare_home_panel, declare_menu_entry


def declare() -> None:
    register.declare()
    # The team's entry sits in « Achats » beside the calls; a provider's is its own.
    declare_menu_entry(
        MenuEntry(
            "Conventions",
            "agreements:agreement_list",
            lambda user: (
                user.role != Role.PROVIDER and user.has_perm("agreements.view_agreement_list")
            ),
            order=71,
            group="Achats",
        )
    )
    declare_menu_entry(
        MenuEntry(
            "Mes conventions",
            "agreements:agreement_list",
            lambda user: (
                user.role == Role.PROVIDER and user.has_perm("agreements.view_agreement_list")
            ),
            order=30,
        )
    )
    declare_home_panel(
        HomePanel("agreements/_provider_home.html", provider_panel, is_provider, order=30)
    )
