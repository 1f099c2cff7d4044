"""What the programme adds to the menu: « Programmation » in the « Pilotage » group
(core.plugins); run when the app is ready. It holds no personal data: no register entry."""

from plie.core.plugins import MenuEntry, declare_menu_entry


def declare() -> None:
    declare_menu_entry(
        MenuEntry(
            "Programmation",
            "programme:years",
            lambda user: user.has_perm("programme.view_programme"),
            order=118,
            group="Pilotage",
        )
    )
