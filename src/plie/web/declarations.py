"""What the web layer itself adds: the administration link and start page for staff, the
provider's home panel, and how the participant page is drawn (core.plugins)."""

from plie.accounts.enums import Role
from plie.core.plugins import (
    HomePanel,
    MenuEntry,
    StartPage,
    declare_home_panel,
    declare_menu_entry,
    declare_participant_page,
    declare_start_page,
)


def declare() -> None:
    from plie.web.participant_views import render_participant_page

    declare_menu_entry(
        MenuEntry(
            "Journal",
            "web:journal",
            lambda user: user.has_perm("audit.view_journal"),
            order=190,
            group="Pilotage",
        )
    )
    declare_menu_entry(
        MenuEntry(
            "Demandes de rôle",
            "accounts:role_requests",
            lambda user: user.has_perm("accounts.decide_role_request"),
            order=195,
            group="Pilotage",
        )
    )
    declare_menu_entry(
        MenuEntry(
            "Accès des comptes",
            "accounts:account_access",
            lambda user: user.has_perm("accounts.help_account_access"),
            order=196,
            group="Pilotage",
        )
    )
    declare_menu_entry(
        MenuEntry("Administration", "admin:index", lambda user: user.is_staff, order=900)
    )
    declare_start_page(
        StartPage("admin:index", lambda user: user.role == Role.ADMINISTRATOR, order=90)
    )
    declare_home_panel(
        HomePanel(
            "accounts/_provider_home.html",
            lambda user: {},
            lambda user: user.role == Role.PROVIDER,
            order=90,
        )
    )
    declare_participant_page(render_participant_page)
