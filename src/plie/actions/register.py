"""The personal data actions record about a person, for the personal-data register
(core.register, docs/personal-data.md): the referral (what the référent expects and why, what
they pass to the provider), the attendance, the diagnostics, the follow-up sheets and the
thread with the référent; and who recorded what.

Who reads: the coordination team and the person's référent (`CASE_WORKERS`), and the provider
of the action — only for the people referred to its own actions, and only while they are in
its lists (actions.rules). The référent's reason and the free texts are read as sensitive by
the rule of the register (a text typed about a person may say anything), except by the provider
who wrote them or to whom the référent addressed them: these are the exchange itself."""

from plie.accounts.enums import CASE_WORKERS, JOURNAL_READERS, SENSITIVE_DATA_READERS, Role
from plie.core.register import Category, PersonalField, Retention, Subject, declare_personal_data

WITH_PROVIDER = frozenset(CASE_WORKERS | {Role.PROVIDER})
# What the provider reads of a person: only for those referred to its own actions.
PROVIDER_NOTE = (
    "Le prestataire ne lit que les personnes orientées vers ses propres actions, tant "
    "qu'elles sont dans ses listes."
)
PATHWAY = Category.PATHWAY


def _of(model, field, category, purpose, readers=WITH_PROVIDER, **more) -> PersonalField:
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


def _text(model, field, purpose, **more) -> PersonalField:
    """A free text exchanged between the référent and the provider about a person."""
    return _of(
        model,
        field,
        Category.FREE_TEXT,
        purpose,
        SENSITIVE_DATA_READERS | {Role.PROVIDER},
        note=PROVIDER_NOTE,
        **more,
    )


def _by(model, field, purpose, readers=WITH_PROVIDER) -> PersonalField:
    return _of(model, field, Category.TRACE, purpose, readers, subject=Subject.STAFF)


ENTRIES = (
    _by("Action", "created_by", "Savoir qui a créé l'action.", JOURNAL_READERS),
    # The referral
    _of(
        "ActionReferral",
        "action",
        PATHWAY,
        "L'action vers laquelle la personne est orientée.",
        label="action visée",
    ),
    _of("ActionReferral", "cohort", PATHWAY, "Le groupe où la personne entre."),
    _of("ActionReferral", "proposed_cohort", PATHWAY, "Le groupe que propose le prestataire."),
    _of(
        "ActionReferral",
        "expected_diagnostics",
        PATHWAY,
        "Ce que le référent attend de l'action (diagnostics).",
    ),
    _text("ActionReferral", "reason", "Pourquoi le référent oriente la personne vers l'action."),
    _of(
        "ActionReferral",
        "shared_fields",
        PATHWAY,
        "Quelles informations le référent transmet au prestataire (preuve du choix).",
    ),
    _of("ActionReferral", "status", PATHWAY, "Où en est l'orientation (réponse, place, fin)."),
    _of("ActionReferral", "decline_reason", PATHWAY, "Pourquoi le prestataire refuse."),
    _of("ActionReferral", "answered_at", PATHWAY, "Date de la réponse du prestataire."),
    _by("ActionReferral", "answered_by", "Savoir qui a répondu pour le prestataire."),
    _of("ActionReferral", "step", PATHWAY, "L'étape du parcours que l'action devient."),
    _of("ActionReferral", "ended_on", PATHWAY, "Fin de l'action pour la personne."),
    _of(
        "ActionReferral",
        "drop_out_reason",
        PATHWAY,
        "Pourquoi la personne a quitté l'action avant la fin.",
    ),
    _by("ActionReferral", "created_by", "Savoir qui a orienté la personne."),
    # Attendance: the FSE+ evidence of the days delivered
    _of("Attendance", "session", PATHWAY, "La séance où la présence est notée."),
    _of(
        "Attendance",
        "presence",
        PATHWAY,
        "Présence à chaque demi-journée : jours réalisés, justificatif FSE+ (émargement).",
    ),
    _of("Attendance", "recorded_at", Category.TRACE, "Date de la saisie de la présence."),
    _by("Attendance", "recorded_by", "Savoir qui a noté la présence."),
    # Individual interviews are sessions with one person
    _of("Session", "referral", PATHWAY, "La personne reçue en entretien individuel."),
    # Diagnostics
    *(
        _of(model, field, Category.SOCIO_ECONOMIC, purpose)
        for model, field, purpose in (
            ("FrenchAssessment", "moment", "Début ou fin de l'action."),
            ("FrenchAssessment", "assessed_on", "Date de l'évaluation du français."),
            ("FrenchAssessment", "oral_comprehension", "Niveau en français (CECRL)."),
            ("FrenchAssessment", "written_comprehension", "Niveau en français (CECRL)."),
            ("FrenchAssessment", "oral_expression", "Niveau en français (CECRL)."),
            ("FrenchAssessment", "written_expression", "Niveau en français (CECRL)."),
            ("MobilityAssessment", "assessed_on", "Date du diagnostic de mobilité."),
            ("MobilityAssessment", "driving_licence", "Freins à la mobilité."),
            ("MobilityAssessment", "vehicle", "Freins à la mobilité."),
            ("MobilityAssessment", "public_transport", "Freins à la mobilité."),
            ("MobilityAssessment", "travel_radius_km", "Freins à la mobilité."),
            (
                "MobilityAssessment",
                "oriented_to_platform",
                "Orientation vers la plateforme mobilité.",
            ),
            ("CleaPositioning", "moment", "Début ou fin de l'action."),
            ("CleaPositioning", "assessed_on", "Date du positionnement CléA."),
            ("CleaPositioning", "oriented_to_daq", "Orientation vers le DAQ (Région)."),
            ("CleaResult", "positioning", "Le positionnement auquel le résultat appartient."),
            ("CleaResult", "subdomain", "Le sous-domaine CléA évalué."),
            ("CleaResult", "level", "Acquis, à travailler ou non évalué (75 % pour CléA)."),
            ("SelfAssessment", "moment", "Début ou fin de l'action."),
            ("SelfAssessment", "assessed_on", "Date de l'autoévaluation."),
            ("SelfAssessmentAnswer", "self_assessment", "L'autoévaluation à laquelle répondre."),
            (
                "SelfAssessmentAnswer",
                "fundamental",
                "Le fondamental sur lequel la personne répond.",
            ),
            ("SelfAssessmentAnswer", "score", "Progression de la personne pendant l'action."),
        )
    ),
    *(
        _text(model, "comment", "Ce que le prestataire ajoute au diagnostic.")
        for model in ("FrenchAssessment", "MobilityAssessment", "CleaPositioning", "SelfAssessment")
    ),
    *(
        _of(model, "recorded_at", Category.TRACE, "Date de la saisie du diagnostic.")
        for model in ("FrenchAssessment", "MobilityAssessment", "CleaPositioning", "SelfAssessment")
    ),
    *(
        _by(model, "recorded_by", "Savoir qui a saisi le diagnostic.")
        for model in ("FrenchAssessment", "MobilityAssessment", "CleaPositioning", "SelfAssessment")
    ),
    # Follow-up sheets, recommendations and the thread
    _of("FollowUpSheet", "kind", PATHWAY, "Fiche intermédiaire ou de fin d'action."),
    _text("FollowUpSheet", "observations", "Ce que le prestataire dit du déroulement au référent."),
    _of("FollowUpSheet", "sent_at", PATHWAY, "Date de l'envoi au référent."),
    _of("FollowUpSheet", "written_at", Category.TRACE, "Date de la rédaction."),
    _by("FollowUpSheet", "written_by", "Savoir qui a écrit la fiche."),
    _of("Recommendation", "sheet", PATHWAY, "La fiche à laquelle la préconisation appartient."),
    _of("Recommendation", "axis", PATHWAY, "Axe de travail préconisé pour la suite du parcours."),
    _text("Recommendation", "text", "La préconisation du prestataire au référent."),
    _text("ReferralMessage", "body", "Les échanges entre le prestataire et le référent."),
    _of("ReferralMessage", "sent_at", Category.TRACE, "Date du message."),
    _by("ReferralMessage", "author", "Savoir qui a écrit le message."),
)


def declare() -> None:
    declare_personal_data(*ENTRIES)
