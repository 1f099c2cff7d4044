"""What the reporting app adds to the menu (« Pilotage ») and to the steering committee's
home page (core.plugins), and its entries of the personal-data register (register.py); run
when the app is ready."""

from django.utils import timezone

from plie.accounts.enums import Role
from plie.core.plugins import HomePanel, MenuEntry, declare_home_panel, declare_menu_entry
from plie.reporting import register
from plie.reporting.steering import steering_figures

PILOTAGE = (
    ("Chiffres clés", "reporting:key_figures", ("reporting.view_key_figures",)),
    ("Tableau de bord", "reporting:dashboard", ("reporting.view_dashboard",)),
    ("Étude de cohorte", "reporting:cohort", ("reporting.view_key_figures",)),
    (
        "Point d'étape trimestriel",
        "reporting:quarterly_review",
        ("reporting.view_quarterly_review",),
    ),
    (
        "Définitions des indicateurs",
        "reporting:definitions",
        ("reporting.view_key_figures", "reporting.view_dashboard"),
    ),
    ("Qualité des données", "reporting:quality", ("reporting.view_data_quality",)),
    ("Extractions", "reporting:extractions", ("reporting.request_extraction",)),
)


def _any_perm(names: tuple[str, ...]):
    return lambda user: any(user.has_perm(name) for name in names)


def declare() -> None:
    register.declare()
    for order, (label, url_name, perms) in enumerate(PILOTAGE, start=110):
        declare_menu_entry(
            MenuEntry(label, url_name, _any_perm(perms), order=order, group="Pilotage")
        )
    declare_home_panel(
        HomePanel(
            "reporting/_steering_home.html",
            lambda user: steering_figures(timezone.localdate()),
            lambda user: user.role == Role.STEERING_VIEWER,
            order=10,
        )
    )
