"""What the purchasing app adds to the menu (core.plugins); run when the app is ready."""

from plie.core.plugins import HomePanel, MenuEntry, declare_home_panel, declare_menu_entry
from plie.purchasing import home


def declare() -> None:
    declare_menu_entry(
        MenuEntry(
            "Appels",
            "purchasing:call_list",
            lambda user: user.has_perm("purchasing.view_calls"),
            order=70,
            group="Achats",
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
    declare_home_panel(
        HomePanel("purchasing/_provider_home.html", home.provider_panel, home.is_provider, order=20)
    )
    declare_home_panel(
        HomePanel(
            "purchasing/_consultations_home.html",
            home.consultations_panel,
            home.is_steering_member,
            order=5,
        )
    )
