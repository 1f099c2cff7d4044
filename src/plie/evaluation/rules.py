"""Who may see or do what with the evaluation of actions (issue 13): reports and added value.
Each permission is an action of the table of roles (core.permissions, docs/permissions.md)."""

EVALUATION = "Évaluation des actions"
