"""What the evaluation adds to the menu and the pages (core.plugins), and its entries of the
personal-data register (register.py); run when the app is ready."""

from plie.core.plugins import ActionBlock, declare_action_block
from plie.evaluation import register, rules  # noqa: F401  (rules declares the permissions)


def _reports_block(request, action):
    from plie.evaluation.report_views import action_block

    return action_block(request, action)


REPORTS_BLOCK = ActionBlock("evaluation/_action_reports.html", _reports_block, order=10)


def declare() -> None:
    register.declare()
    declare_action_block(REPORTS_BLOCK)
