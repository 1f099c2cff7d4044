"""The personal data of the journal (django-auditlog's entries), for the personal-data
register (core.register, docs/personal-data.md); declared when the app is ready.

The journal keeps, for every creation, change, reading and refused access, who did it, when,
on which record, and the values before and after. Its reader sees a value only if their role
reads that field in the record (`journal.describe_changes`).
"""

from plie.accounts.enums import JOURNAL_READERS
from plie.core.register import Category, PersonalField, Retention, Subject, declare_personal_data


def _journal(field, subject, category, purpose, **more):
    return PersonalField(
        "auditlog.LogEntry",
        field,
        subject,
        category,
        purpose,
        JOURNAL_READERS,
        Retention.JOURNAL,
        **more,
    )


WHO = "Savoir qui a créé, modifié ou consulté quel dossier, et quand."

ENTRIES = (
    _journal("actor", Subject.STAFF, Category.TRACE, WHO, label="auteur"),
    _journal(
        "actor_email",
        Subject.STAFF,
        Category.TRACE,
        WHO,
        label="courriel de l'auteur",
        note="Rempli par django-auditlog quand le compte a une adresse.",
    ),
    _journal("timestamp", Subject.STAFF, Category.TRACE, WHO, label="date et heure"),
    _journal(
        "object_repr",
        Subject.PARTICIPANT,
        Category.IDENTITY,
        "Nommer le dossier concerné (le nom de la personne, pour un participant).",
        label="dossier concerné",
    ),
    _journal(
        "additional_data",
        Subject.PARTICIPANT,
        Category.TRACE,
        "Retrouver toutes les entrées d'un même dossier ; noter un accès refusé.",
        label="numéro de la personne concernée",
    ),
    _journal(
        "changes",
        Subject.PARTICIPANT,
        Category.TRACE,
        "Montrer chaque champ modifié, avant et après.",
        label="valeurs avant et après",
        note="Copie des valeurs des dossiers : une valeur que le rôle du lecteur ne lit pas "
        "dans le dossier est masquée dans le journal.",
    ),
    _journal(
        "changes_text",
        Subject.PARTICIPANT,
        Category.TRACE,
        "Texte libre des modifications, laissé vide par l'application.",
        label="texte des modifications",
    ),
)


def declare() -> None:
    declare_personal_data(*ENTRIES)
