"""What the purchasing app adds to the menu (core.plugins); run when the app is ready."""

from plie.core.plugins import MenuEntry, declare_menu_entry


def declare() -> None:
    declare_menu_entry(
        MenuEntry(
            "Appels",
            "purchasing:call_list",
            lambda user: user.has_perm("purchasing.view_calls"),
            order=70,
        )
    )
    declare_menu_entry(
        MenuEntry(
            "Appels et propositions",
            "purchasing:portal",
            lambda user: user.has_perm("purchasing.submit_proposal"),
            order=20,
        )
    )
