"""The personal data the evaluation records, for the personal-data register (core.register,
docs/personal-data.md): only who did what with an action's report — who wrote it, sent it,
validated or returned it. A report speaks of the action and its figures, not of a person."""

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.core.register import Category, PersonalField, Retention, Subject, declare_personal_data

# A provider reads who wrote, sent and reviewed its own actions' reports.
TEAM_AND_PROVIDER = frozenset(COORDINATION_TEAM) | {Role.PROVIDER}


def _by(model: str, field: str, purpose: str) -> PersonalField:
    return PersonalField(
        f"evaluation.{model}",
        field,
        Subject.STAFF,
        Category.TRACE,
        purpose,
        TEAM_AND_PROVIDER,
        Retention.FSE_EVIDENCE,
    )


ENTRIES = (
    _by("ActionReport", "written_by", "Savoir qui a rédigé le bilan en dernier."),
    _by("ActionReport", "submitted_by", "Savoir qui a envoyé le bilan au PLIE."),
    _by("ActionReport", "reviewed_by", "Savoir qui a validé le bilan ou l'a renvoyé."),
)


def declare() -> None:
    declare_personal_data(*ENTRIES)
