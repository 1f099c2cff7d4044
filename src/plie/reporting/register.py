"""The personal data the reporting app stores itself, for the personal-data register
(core.register, docs/personal-data.md); declared when the app is ready.

Its figures are aggregates; an extraction's file (names included) lives in the data folder
for `EXTRACTION_KEPT_FOR`, not in the database: only who asked for what is stored here.
"""

from plie.core.register import Category, PersonalField, Retention, Subject, declare_personal_data

ENTRIES = (
    PersonalField(
        "reporting.Extraction",
        "requested_by",
        Subject.STAFF,
        Category.TRACE,
        "Seule la personne qui a demandé l'extraction la télécharge.",
        frozenset(),
        Retention.JOURNAL,
        label="demandée par",
        note="Sert à ne montrer à chacun que ses propres extractions. Le fichier, nominatif, "
        "est effacé 7 jours après sa création.",
    ),
    PersonalField(
        "reporting.QualityRun",
        "requested_by",
        Subject.STAFF,
        Category.TRACE,
        "Qui a demandé le contrôle de la qualité des données.",
        frozenset(),
        Retention.JOURNAL,
        label="demandé par",
        note="Jamais affiché.",
    ),
)


def declare() -> None:
    declare_personal_data(*ENTRIES)
