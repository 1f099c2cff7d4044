"""National nomenclatures every PLIE shares: education levels (décret 2019-14 with the
old levels and ISCED bands), prescriber types and barrier types. Editable afterwards in
the administration; reversing removes only the rows this migration created."""

from django.db import migrations

EDUCATION_LEVELS = [
    # code, label, level, old level, ISCED band
    ("1", "Niveau 1 — Sans diplôme, savoirs de base (ancien niveau VI)", 1, "VI", "0-2"),
    ("2", "Niveau 2 — Activités simples, CléA (ancien niveau V bis)", 2, "Vbis", "0-2"),
    ("3-nd", "Niveau 3 non validé — scolarité jusqu'au CAP/BEP sans le diplôme", 3, "V", "0-2"),
    ("3", "Niveau 3 — CAP, BEP (ancien niveau V)", 3, "V", "3-4"),
    (
        "4-nd",
        "Niveau 4 non validé — scolarité jusqu'au baccalauréat sans le diplôme",
        4,
        "IV",
        "3-4",
    ),
    ("4", "Niveau 4 — Baccalauréat, brevet professionnel (ancien niveau IV)", 4, "IV", "3-4"),
    ("5", "Niveau 5 — BTS, DUT, bac+2 (ancien niveau III)", 5, "III", "5-8"),
    ("6", "Niveau 6 — Licence, bachelor, bac+3 (ancien niveau II)", 6, "II", "5-8"),
    ("7", "Niveau 7 — Master, bac+5 (ancien niveau I)", 7, "I", "5-8"),
    ("8", "Niveau 8 — Doctorat (ancien niveau I)", 8, "I", "5-8"),
]

PRESCRIBER_TYPES = [
    ("france-travail", "France Travail"),
    ("mission-locale", "Mission locale"),
    ("cap-emploi", "Cap emploi"),
    ("departement", "Conseil départemental (RSA)"),
    ("ccas", "CCAS"),
    ("mairie", "Mairie"),
    ("siae", "Structure d'insertion par l'activité économique (SIAE)"),
    ("travailleur-social", "Travailleur social"),
    ("association", "Association"),
    ("candidature-spontanee", "Démarche personnelle"),
    ("autre", "Autre prescripteur"),
]

BARRIER_TYPES = [
    ("mobility", "Mobilité", False),
    ("housing", "Logement", False),
    ("health", "Santé", True),
    ("childcare", "Garde d'enfants", False),
    ("language", "Maîtrise du français", False),
    ("digital", "Numérique", False),
    ("financial", "Difficultés financières", False),
    ("administrative", "Démarches administratives, accès aux droits", False),
    ("addiction", "Conduites addictives", True),
]


def load(apps, schema_editor):
    EducationLevel = apps.get_model("territory", "EducationLevel")
    PrescriberType = apps.get_model("territory", "PrescriberType")
    BarrierType = apps.get_model("territory", "BarrierType")
    for order, (code, label, level, old_level, isced) in enumerate(EDUCATION_LEVELS):
        EducationLevel.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "level": level,
                "old_level": old_level,
                "isced_band": isced,
                "order": order,
            },
        )
    for code, label in PRESCRIBER_TYPES:
        PrescriberType.objects.get_or_create(code=code, defaults={"label": label})
    for code, label, sensitive in BARRIER_TYPES:
        BarrierType.objects.get_or_create(
            code=code, defaults={"label": label, "is_sensitive": sensitive}
        )


def unload(apps, schema_editor):
    apps.get_model("territory", "EducationLevel").objects.filter(
        code__in=[row[0] for row in EDUCATION_LEVELS]
    ).delete()
    apps.get_model("territory", "PrescriberType").objects.filter(
        code__in=[row[0] for row in PRESCRIBER_TYPES]
    ).delete()
    apps.get_model("territory", "BarrierType").objects.filter(
        code__in=[row[0] for row in BARRIER_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
