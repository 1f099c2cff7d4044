"""The step-type catalogue every PLIE starts with (domain.md § step types); editable in the
administration afterwards. Reversing removes only the rows this migration created."""

from django.db import migrations

STEP_TYPES = [
    # code, label, category
    ("cdi", "CDI", "employment"),
    ("cdd", "CDD", "employment"),
    ("interim", "Mission d'intérim", "employment"),
    ("seasonal", "Emploi saisonnier", "employment"),
    ("pec", "Contrat aidé (PEC, CUI-CAE)", "employment"),
    ("alternance", "Alternance (apprentissage, professionnalisation)", "employment"),
    ("aci", "Atelier et chantier d'insertion (ACI)", "iae"),
    ("ei", "Entreprise d'insertion (EI)", "iae"),
    ("etti", "Entreprise de travail temporaire d'insertion (ETTI)", "iae"),
    ("ai", "Association intermédiaire (AI)", "iae"),
    ("eiti", "Entreprise d'insertion par le travail indépendant (EITI)", "iae"),
    ("training-basic-skills", "Remise à niveau, savoirs de base", "training"),
    ("training-prequalifying", "Formation pré-qualifiante", "training"),
    ("training-qualifying", "Formation qualifiante ou certifiante", "training"),
    ("clea", "Certification CléA", "training"),
    ("pmsmp", "Immersion en entreprise (PMSMP)", "immersion"),
    ("business-creation", "Création ou reprise d'entreprise", "business_creation"),
    ("assessment", "Bilan, évaluation, orientation", "assessment"),
    ("plie-action", "Action du PLIE", "plie_action"),
    ("support-health", "Accompagnement santé", "social_support"),
    ("support-housing", "Accompagnement logement", "social_support"),
    ("support-mobility", "Accompagnement mobilité", "social_support"),
    ("support-childcare", "Solution de garde d'enfants", "social_support"),
    ("support-french", "Apprentissage du français", "social_support"),
    ("job-search", "Aide à la recherche d'emploi", "job_search"),
]


def load(apps, schema_editor):
    StepType = apps.get_model("pathways", "StepType")
    for order, (code, label, category) in enumerate(STEP_TYPES):
        StepType.objects.get_or_create(
            code=code, defaults={"label": label, "category": category, "order": order}
        )


def unload(apps, schema_editor):
    apps.get_model("pathways", "StepType").objects.filter(
        code__in=[row[0] for row in STEP_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("pathways", "0002_steps_contacts_exits")]
    operations = [migrations.RunPython(load, unload)]
