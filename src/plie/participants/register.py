"""The personal data of the person, their referrals, first appointments and outreach, for the
personal-data register (core.register, docs/personal-data.md); declared when the app is ready.

Who reads: everyone who opens the record (`CASE_WORKERS`: the coordination team and the
person's référent) reads the ordinary fields; the sensitive ones are for
`SENSITIVE_DATA_READERS` only (the assistant reads none). `participants.rules` derives from
these entries who reads a record's sensitive data.
"""

from plie.accounts.enums import CASE_WORKERS, JOURNAL_READERS, SENSITIVE_DATA_READERS
from plie.core.register import Category, PersonalField, Retention, Subject, declare_personal_data

FSE_EVIDENCE = Retention.FSE_EVIDENCE
ACTIVE_RECORD = Retention.ACTIVE_RECORD


def _person(field, category, purpose, retention=FSE_EVIDENCE, **more):
    readers = SENSITIVE_DATA_READERS if category.sensitive else CASE_WORKERS
    return PersonalField(
        "participants.Participant",
        field,
        Subject.PARTICIPANT,
        category,
        purpose,
        more.pop("readers", readers),
        retention,
        **more,
    )


def record_field(model, field, category, purpose, retention=ACTIVE_RECORD, **more):
    """A field of a participant's record (`model`: "app_label.Model"): read by everyone who
    opens the record, or, when sensitive, by those who read sensitive data."""
    readers = SENSITIVE_DATA_READERS if category.sensitive else CASE_WORKERS
    return PersonalField(
        model,
        field,
        more.pop("subject", Subject.PARTICIPANT),
        category,
        purpose,
        more.pop("readers", readers),
        retention,
        **more,
    )


def recorded_by(model, field, label, readers=JOURNAL_READERS):
    """Who recorded a row of the record: a member of staff, kept for the journal."""
    return record_field(
        model,
        field,
        Category.TRACE,
        "Savoir qui a saisi ou fait quoi (contrôle, journal).",
        subject=Subject.STAFF,
        readers=readers,
        label=label,
    )


def _of(model, field, *args, **more):
    return record_field(f"participants.{model}", field, *args, **more)


def _recorded_by(model, field, *args, **more):
    return recorded_by(f"participants.{model}", field, *args, **more)


IDENTITY, CONTACT, PATHWAY = Category.IDENTITY, Category.CONTACT, Category.PATHWAY

ENTRIES = (
    _person("file_number", IDENTITY, "Désigner le dossier sans écrire le nom (listes, fichiers)."),
    _person(
        "external_id",
        IDENTITY,
        "Retrouver la personne de l'outil précédent à chaque reprise de données (import).",
        readers=frozenset(),
        note="Lu seulement par l'import et l'export, commandes du serveur.",
    ),
    _person(
        "last_name",
        IDENTITY,
        "Identifier la personne, repérer les doublons.",
        shared_on_referral=True,
    ),
    _person("birth_name", IDENTITY, "Identifier la personne, repérer les doublons."),
    _person(
        "first_name",
        IDENTITY,
        "Identifier la personne, repérer les doublons.",
        shared_on_referral=True,
    ),
    _person(
        "name_key",
        IDENTITY,
        "Chercher une personne par son nom sans tenir compte des accents ni des majuscules.",
        readers=frozenset(),
        label="clé de recherche des noms",
        note="Copie calculée des noms, jamais affichée.",
    ),
    _person(
        "sex",
        IDENTITY,
        "Critère d'entrée (femmes, protocole 2021-2026) ; chiffres par sexe.",
        fse="Ventilation par genre de tous les indicateurs",
    ),
    _person(
        "birth_date",
        IDENTITY,
        "Âge à l'entrée : critères d'entrée (jeunes, seniors), chômage de longue durée, chiffres.",
        fse="EECO05, EECO06, EECO07 (âge à l'entrée)",
        shared_on_referral=True,
    ),
    _person(
        "phone",
        CONTACT,
        "Joindre la personne (rendez-vous, aller-vers) ; enquête FSE+ six mois après la sortie.",
        ACTIVE_RECORD,
        fse="Enquête à 6 mois (EECR05, EECR06)",
        shared_on_referral=True,
    ),
    _person(
        "email",
        CONTACT,
        "Joindre la personne (rendez-vous, aller-vers) ; enquête FSE+ six mois après la sortie.",
        ACTIVE_RECORD,
        fse="Enquête à 6 mois (EECR05, EECR06)",
        shared_on_referral=True,
    ),
    _person(
        "address",
        CONTACT,
        "Écrire à la personne, aller vers elle.",
        ACTIVE_RECORD,
        shared_on_referral=True,
    ),
    _person("postcode", CONTACT, "Écrire à la personne, aller vers elle.", ACTIVE_RECORD),
    _person(
        "commune",
        CONTACT,
        "Critère d'entrée (habiter le territoire) ; chiffres par commune.",
        fse="EECO17 (zone rurale)",
        shared_on_referral=True,
    ),
    _person(
        "commune_outside_territory",
        CONTACT,
        "Savoir qu'une personne orientée habite hors du territoire.",
        ACTIVE_RECORD,
    ),
    _person(
        "qpv",
        CONTACT,
        "Critère d'entrée (habitants des QPV, protocole 2021-2026) ; chiffres de la politique "
        "de la ville.",
    ),
    _person(
        "nationality",
        Category.ORIGIN,
        "Critère d'entrée (ressortissants de pays tiers, protocole 2021-2026).",
        fse="EECO13",
    ),
    _person(
        "right_to_work",
        Category.ORIGIN,
        "Critère d'entrée commun aux protocoles : être autorisé(e) à travailler en France.",
    ),
    _person("foreign_background", Category.ORIGIN, "Donnée d'entrée du FSE+.", fse="EECO14"),
    _person(
        "minority",
        Category.MINORITY,
        "Donnée d'entrée du FSE+ ; réponse facultative.",
        fse="EECO15",
    ),
    _person("status", PATHWAY, "Situation du moment (listes, accès).", ACTIVE_RECORD),
    _person(
        "referent",
        PATHWAY,
        "Le ou la référente qui accompagne la personne, seul(e) à ouvrir son dossier avec la "
        "coordination.",
        ACTIVE_RECORD,
    ),
    _recorded_by("Participant", "created_by", "créé par"),
    # Referrals.
    _of(
        "Referral",
        "prescriber",
        PATHWAY,
        "Qui oriente la personne ; chiffres par prescripteur.",
        note="Certains prescripteurs (Cap emploi, le Département pour le RSA) laissent deviner "
        "un handicap ou le RSA : ils restent lisibles de tous les rôles qui ouvrent le dossier.",
    ),
    _of(
        "Referral",
        "prescriber_contact",
        IDENTITY,
        "La personne à recontacter chez le prescripteur.",
        subject=Subject.PARTNER,
    ),
    _of("Referral", "referred_on", PATHWAY, "Délai jusqu'au premier rendez-vous."),
    _of("Referral", "reason", Category.FREE_TEXT, "Pourquoi la personne est orientée."),
    _of("Referral", "status", PATHWAY, "Où en est l'orientation (listes « À suivre »)."),
    _of("Referral", "outcome", PATHWAY, "Issue de l'orientation (entrée, refus, injoignable…)."),
    _of("Referral", "closed_on", PATHWAY, "Date de clôture de l'orientation."),
    _of("Referral", "closing_note", Category.FREE_TEXT, "Précision sur la clôture."),
    _recorded_by("Referral", "created_by", "créé par"),
    # First appointments.
    _of("Appointment", "scheduled_for", PATHWAY, "Organiser le premier rendez-vous."),
    _of("Appointment", "with_user", PATHWAY, "Qui reçoit la personne."),
    _of("Appointment", "place", PATHWAY, "Organiser le premier rendez-vous."),
    _of("Appointment", "outcome", PATHWAY, "Savoir si la personne est venue (aller-vers)."),
    # Outreach.
    _of("OutreachAttempt", "attempted_on", PATHWAY, "Suivre l'aller-vers."),
    _of("OutreachAttempt", "mode", PATHWAY, "Suivre l'aller-vers."),
    _of("OutreachAttempt", "result", PATHWAY, "Suivre l'aller-vers."),
    _of("OutreachAttempt", "note", Category.FREE_TEXT, "Ce que la tentative a appris."),
    _recorded_by("OutreachAttempt", "by", "par", readers=CASE_WORKERS),
)


def declare() -> None:
    declare_personal_data(*ENTRIES)
