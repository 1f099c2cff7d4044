"""What the evaluation adds to the menu and the pages (core.plugins), and its entries of the
personal-data register (register.py); run when the app is ready."""

from plie.accounts.enums import Role
from plie.core.plugins import ActionBlock, MenuEntry, declare_action_block, declare_menu_entry
from plie.evaluation import register, rules  # noqa: F401  (rules declares the permissions)


def _reports_block(request, action):
    from plie.evaluation.report_views import action_block

    return action_block(request, action)


def _added_value_block(request, action):
    """The link to the action's added value, for those who may read it."""
    if not request.user.has_perm("evaluation.view_added_value", action):
        return None
    return {"action": action}


REPORTS_BLOCK = ActionBlock("evaluation/_action_reports.html", _reports_block, order=10)
ADDED_VALUE_BLOCK = ActionBlock("evaluation/_action_added_value.html", _added_value_block, order=20)


def declare() -> None:
    register.declare()
    # The added value of the actions, in « Pilotage » for the team and the steering committee;
    # a provider reaches its own from each action's page.
    declare_menu_entry(
        MenuEntry(
            "Plus-value des actions",
            "evaluation:added_value_list",
            lambda user: (
                user.role != Role.PROVIDER and user.has_perm("evaluation.view_added_values")
            ),
            order=117,
            group="Pilotage",
        )
    )
    declare_action_block(REPORTS_BLOCK)
    declare_action_block(ADDED_VALUE_BLOCK)
