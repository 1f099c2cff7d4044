"""The personal data of the satisfaction survey, for the personal-data register
(core.register, docs/personal-data.md): the personal link handed to each participant (its
token is a secret), who opened the survey, and the answers — read only in aggregate, and the
free texts without the name (actions.satisfaction)."""

from plie.accounts.enums import COORDINATION_TEAM, JOURNAL_READERS, SENSITIVE_DATA_READERS, Role
from plie.core.register import Category, PersonalField, Retention, Subject, declare_personal_data

READERS = frozenset(COORDINATION_TEAM | {Role.PROVIDER})
ANONYMOUS = (
    "Les réponses au questionnaire ne se lisent qu'en nombres, par groupe ou par action, et "
    "jamais pour moins de 5 réponses ; les textes libres se lisent sans le nom de la personne."
)
PROVIDER = "Le prestataire ne lit que les groupes de ses propres actions."


def _of(model, field, category, purpose, readers=READERS, **more) -> PersonalField:
    return PersonalField(
        f"actions.{model}",
        field,
        more.pop("subject", Subject.PARTICIPANT),
        category,
        purpose,
        frozenset(readers),
        more.pop("retention", Retention.FSE_EVIDENCE),
        **more,
    )


PATHWAY = Category.PATHWAY
ENTRIES = (
    _of("SurveyInvitation", "survey", PATHWAY, "Le questionnaire auquel la personne est invitée."),
    _of("SurveyInvitation", "cohort", PATHWAY, "Le groupe dont la personne a fait partie."),
    _of(
        "SurveyInvitation",
        "referral",
        PATHWAY,
        "La personne à qui le lien personnel est remis (son prénom sur la feuille des liens).",
        note=PROVIDER,
    ),
    _of(
        "SurveyInvitation",
        "token",
        Category.ACCOUNT,
        "Le lien personnel pour répondre sans compte : un secret, imprimé sur la feuille remise "
        "à la personne, jamais écrit dans le journal.",
    ),
    _of("SurveyInvitation", "closes_on", PATHWAY, "Jusqu'à quand le lien accepte une réponse."),
    _of(
        "SurveyInvitation",
        "answered_at",
        PATHWAY,
        "Savoir que la personne a répondu (un seul envoi par lien), jamais ce qu'elle a répondu.",
    ),
    _of("SurveyInvitation", "created_at", Category.TRACE, "Date de l'ouverture du questionnaire."),
    _of(
        "SurveyInvitation",
        "created_by",
        Category.TRACE,
        "Savoir qui a ouvert le questionnaire du groupe.",
        JOURNAL_READERS | {Role.PROVIDER},
        subject=Subject.STAFF,
    ),
    _of(
        "SurveyAnswer",
        "invitation",
        PATHWAY,
        "Le lien par lequel la réponse est venue.",
        note=ANONYMOUS,
    ),
    _of(
        "SurveyAnswer",
        "question",
        PATHWAY,
        "La question à laquelle la personne répond.",
        label="question posée",
    ),
    _of(
        "SurveyAnswer",
        "scale",
        PATHWAY,
        "L'avis de la personne sur l'action (de 1 à 4), en nombres.",
    ),
    _of("SurveyAnswer", "choice", PATHWAY, "L'avis de la personne sur l'action, en nombres."),
    _of(
        "SurveyAnswer",
        "text",
        Category.FREE_TEXT,
        "Ce que la personne veut dire de l'action, lu sans son nom.",
        SENSITIVE_DATA_READERS | {Role.PROVIDER},
        note=ANONYMOUS,
    ),
)


def declare() -> None:
    declare_personal_data(*ENTRIES)
