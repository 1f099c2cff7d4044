"""The 7 domains and 28 sub-domains of CléA (Code du travail D.6113-1), as data: some names
are to confirm with the certifier, so they are edited in the administration, not in code."""

from django.db import migrations

CLEA = (
    (
        "Communication en français",
        (
            "Écouter et comprendre",
            "S'exprimer à l'oral",
            "Lire",
            "Écrire",
            "Décrire et formuler",
        ),
    ),
    (
        "Calcul et raisonnement mathématique",
        (
            "Nombres",
            "Opérations",
            "Unités de mesure, de temps, quantités",
            "Se repérer dans l'espace",
            "Restituer oralement un raisonnement",
        ),
    ),
    (
        "Numérique",
        (
            "Environnement et fonctions de base",
            "Saisir et mettre en forme du texte, gérer des documents",
            "Internet et recherche",
            "Messagerie",
        ),
    ),
    (
        "Travail en équipe",
        (
            "Règles de vie collective",
            "Travailler en équipe",
            "Contribuer dans un groupe",
            "Communiquer",
        ),
    ),
    (
        "Autonomie et objectif individuel",
        (
            "Comprendre son environnement de travail",
            "Réaliser des objectifs individuels",
            "Prendre des initiatives",
        ),
    ),
    (
        "Apprendre à apprendre",
        (
            "Tirer les leçons de l'expérience",
            "Entretenir sa curiosité et sa motivation",
            "Optimiser les conditions d'apprentissage",
        ),
    ),
    (
        "Gestes et postures, hygiène, sécurité, environnement",
        (
            "Règles HSE et qualité",
            "Bons gestes et réflexes",
            "Premiers secours",
            "Préservation de l'environnement",
        ),
    ),
)


def load(apps, schema_editor):
    """Idempotent: the tests load it again after a live-server test empties the tables."""
    domain_model = apps.get_model("actions", "CleaDomain")
    subdomain_model = apps.get_model("actions", "CleaSubdomain")
    for number, (name, subdomains) in enumerate(CLEA, start=1):
        domain, _ = domain_model.objects.get_or_create(number=number, defaults={"name": name})
        for rank, subdomain in enumerate(subdomains, start=1):
            subdomain_model.objects.get_or_create(
                domain=domain, number=rank, defaults={"name": subdomain}
            )


def unload(apps, schema_editor):
    apps.get_model("actions", "CleaSubdomain").objects.all().delete()
    apps.get_model("actions", "CleaDomain").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
