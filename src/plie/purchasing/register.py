"""The personal data of the purchasing chain, for the personal-data register (core.register,
docs/personal-data.md): only who did what — who recorded a proposal or an offer, who scored,
who answered the written consultation. A proposal is a body's (a legal person), not a
person's; the comments are about offers, not people."""

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.core.register import Category, PersonalField, Retention, Subject, declare_personal_data

TEAM = frozenset(COORDINATION_TEAM)
# A provider reads who recorded its own proposal and offers; a steering member reads who
# answered the consultation it takes part in.
TEAM_AND_PROVIDER = TEAM | {Role.PROVIDER}
TEAM_AND_STEERING = TEAM | {Role.STEERING_VIEWER}


def _by(model: str, field: str, purpose: str, readers=TEAM, **more) -> PersonalField:
    return PersonalField(
        f"purchasing.{model}",
        field,
        Subject.STAFF,
        Category.TRACE,
        purpose,
        frozenset(readers),
        Retention.FSE_EVIDENCE,
        **more,
    )


ENTRIES = (
    _by("CallForProposals", "created_by", "Savoir qui a préparé l'appel."),
    _by("CallForProposals", "awarded_by", "Savoir qui a prononcé l'attribution."),
    _by(
        "Proposal",
        "submitted_by",
        "Savoir qui a déposé ou saisi la proposition (preuve du dépôt).",
        TEAM_AND_PROVIDER,
    ),
    _by("Offer", "recorded_by", "Savoir qui a noté l'audition ou l'offre révisée.", TEAM),
    _by(
        "Evaluation",
        "evaluator",
        "Savoir qui a noté et déclaré n'avoir aucun conflit d'intérêts.",
        note="Les candidats ne lisent ni les notes ni le nom des évaluateurs.",
    ),
    _by("WrittenConsultation", "opened_by", "Savoir qui a consulté le comité de pilotage."),
    _by(
        "ConsultationAnswer",
        "member",
        "Savoir quel membre du comité de pilotage a répondu, et quoi.",
        TEAM_AND_STEERING,
    ),
)


def declare() -> None:
    declare_personal_data(*ENTRIES)
