"""The personal data of agreements, for the personal-data register (core.register,
docs/personal-data.md): only who did what — who prepared an agreement, asked or recorded an
amendment's decision, handed in or checked a deliverable, recorded a payment. An agreement is
with a body (a legal person); its documents are the provider's, not a participant's."""

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.core.register import Category, PersonalField, Retention, Subject, declare_personal_data

TEAM = frozenset(COORDINATION_TEAM)
# A provider reads who handed in and who checked its own deliverables.
TEAM_AND_PROVIDER = TEAM | {Role.PROVIDER}


def _by(model: str, field: str, purpose: str, readers=TEAM, **more) -> PersonalField:
    return PersonalField(
        f"agreements.{model}",
        field,
        Subject.STAFF,
        Category.TRACE,
        purpose,
        frozenset(readers),
        Retention.FSE_EVIDENCE,
        **more,
    )


ENTRIES = (
    _by("Agreement", "created_by", "Savoir qui a préparé la convention."),
    _by("Amendment", "asked_by", "Savoir qui a saisi la demande d'avenant."),
    _by("Amendment", "validated_by", "Savoir qui a enregistré la décision sur l'avenant."),
    _by(
        "Deliverable",
        "received_by",
        "Savoir qui a déposé le livrable (preuve de la remise).",
        TEAM_AND_PROVIDER,
    ),
    _by(
        "Deliverable",
        "checked_by",
        "Savoir qui a vérifié le livrable avant le paiement (ordre de paiement).",
        TEAM_AND_PROVIDER,
    ),
    _by("Instalment", "paid_by", "Savoir qui a enregistré le paiement."),
)


def declare() -> None:
    declare_personal_data(*ENTRIES)
