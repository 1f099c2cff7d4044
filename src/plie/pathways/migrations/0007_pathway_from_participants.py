"""Pathways and eligibility assessments move here from the participants app: their tables keep
their names, only Django's state and the content types (kept by the journal's entries) move."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import plie.participants.validators

MODELS = ("pathway", "eligibilityassessment")


def move_content_types(apps, schema_editor, source="participants", target="pathways"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=source, model__in=MODELS).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="pathways", target="participants")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("participants", "0010_pathway_to_pathways"),
        ("pathways", "0006_committee_to_its_app"),
        ("programme", "0001_initial"),
        ("territory", "0005_trial_fixes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Pathway",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "external_id",
                            models.CharField(
                                blank=True,
                                max_length=64,
                                null=True,
                                unique=True,
                                verbose_name="identifiant externe",
                            ),
                        ),
                        (
                            "number",
                            models.PositiveSmallIntegerField(
                                default=1, verbose_name="numéro de parcours"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Dossier d'entrée en cours"),
                                    ("proposed", "Proposé en commission"),
                                    ("active", "En parcours"),
                                    ("refused", "Entrée refusée"),
                                    ("abandoned", "Entrée abandonnée"),
                                    ("exited", "Sorti"),
                                ],
                                default="draft",
                                max_length=20,
                                verbose_name="état",
                            ),
                        ),
                        (
                            "entry_date",
                            models.DateField(blank=True, null=True, verbose_name="date d'entrée"),
                        ),
                        (
                            "exit_date",
                            models.DateField(blank=True, null=True, verbose_name="date de sortie"),
                        ),
                        (
                            "exit_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    (
                                        "positive",
                                        "Sortie positive (emploi durable ou formation qualifiante)",
                                    ),
                                    ("moved", "Déménagement hors du territoire"),
                                    ("health", "Raisons de santé"),
                                    ("abandoned", "Abandon du parcours"),
                                    ("end_of_eligibility", "Fin d'éligibilité"),
                                    ("maximum_duration", "Durée maximale de parcours atteinte"),
                                    ("other_scheme", "Orientation vers un autre dispositif"),
                                    ("retirement", "Départ à la retraite"),
                                    ("death", "Décès"),
                                    ("other", "Autre motif"),
                                ],
                                max_length=30,
                                verbose_name="motif de sortie",
                            ),
                        ),
                        (
                            "exit_condition",
                            models.CharField(
                                blank=True,
                                max_length=50,
                                verbose_name="condition de sortie positive",
                            ),
                        ),
                        (
                            "exit_condition_label",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="libellé de la condition"
                            ),
                        ),
                        (
                            "exit_detail",
                            models.CharField(
                                blank=True, max_length=1000, verbose_name="précisions sur la sortie"
                            ),
                        ),
                        (
                            "labour_market_status",
                            models.CharField(
                                blank=True,
                                choices=[
                                    (
                                        "unemployed",
                                        "Demandeur ou demandeuse d'emploi (inscrit·e ou non)",
                                    ),
                                    ("reduced_activity", "En activité réduite subie"),
                                    ("inactive", "Inactif ou inactive"),
                                    ("employed", "En emploi salarié"),
                                    ("self_employed", "Travailleur ou travailleuse indépendant·e"),
                                ],
                                max_length=30,
                                verbose_name="situation sur le marché du travail",
                            ),
                        ),
                        (
                            "registered_job_seeker",
                            models.BooleanField(
                                blank=True, null=True, verbose_name="inscrit(e) à France Travail"
                            ),
                        ),
                        (
                            "out_of_work_since",
                            models.DateField(
                                blank=True,
                                null=True,
                                validators=[plie.participants.validators.not_in_future],
                                verbose_name="sans emploi depuis le",
                            ),
                        ),
                        (
                            "highest_diploma",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="diplôme le plus élevé"
                            ),
                        ),
                        (
                            "lacks_basic_skills",
                            models.BooleanField(
                                blank=True,
                                null=True,
                                verbose_name="ne maîtrise pas les compétences de base",
                            ),
                        ),
                        (
                            "receives_rsa",
                            models.BooleanField(
                                blank=True, null=True, verbose_name="bénéficiaire du RSA"
                            ),
                        ),
                        (
                            "receives_other_minimum_benefits",
                            models.BooleanField(
                                blank=True,
                                null=True,
                                verbose_name="bénéficiaire d'un autre minimum social (ASS, AAH…)",
                            ),
                        ),
                        (
                            "socio_professional_orientation",
                            models.BooleanField(
                                blank=True,
                                null=True,
                                verbose_name="orientation socioprofessionnelle (minima sociaux)",
                            ),
                        ),
                        (
                            "single_parent",
                            models.BooleanField(blank=True, null=True, verbose_name="parent isolé"),
                        ),
                        (
                            "dependent_children",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="enfants à charge"
                            ),
                        ),
                        (
                            "homeless_or_housing_exclusion",
                            models.BooleanField(
                                blank=True,
                                null=True,
                                verbose_name="sans domicile ou exclu(e) du logement",
                            ),
                        ),
                        (
                            "disability",
                            models.BooleanField(
                                blank=True, null=True, verbose_name="handicap reconnu (RQTH)"
                            ),
                        ),
                        (
                            "long_term_illness",
                            models.BooleanField(
                                blank=True, null=True, verbose_name="affection de longue durée"
                            ),
                        ),
                        (
                            "followed_by_cap_emploi",
                            models.BooleanField(
                                blank=True, null=True, verbose_name="accompagné(e) par Cap emploi"
                            ),
                        ),
                        (
                            "justice_measure",
                            models.BooleanField(
                                blank=True, null=True, verbose_name="sous main de justice"
                            ),
                        ),
                        (
                            "far_from_institutions",
                            models.BooleanField(
                                blank=True,
                                null=True,
                                verbose_name="Personne « invisible » : hors des radars des institutions",
                            ),
                        ),
                        (
                            "siae_employee",
                            models.BooleanField(
                                blank=True, null=True, verbose_name="salarié(e) en insertion (SIAE)"
                            ),
                        ),
                        (
                            "wishes_to_commit",
                            models.BooleanField(
                                blank=True,
                                null=True,
                                verbose_name="souhaite s'engager dans un parcours vers l'emploi",
                            ),
                        ),
                        (
                            "project_maturity",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                choices=[
                                    (1, "1 — Pas de projet professionnel"),
                                    (2, "2 — Projet à construire"),
                                    (3, "3 — Projet défini, à confirmer"),
                                    (4, "4 — Projet validé, prêt à l'emploi ou à la formation"),
                                ],
                                null=True,
                                verbose_name="maturité du projet professionnel",
                            ),
                        ),
                        (
                            "autonomy",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                choices=[
                                    (1, "1 — Besoin d'un accompagnement très soutenu"),
                                    (2, "2 — Autonomie partielle"),
                                    (3, "3 — Autonome avec appui ponctuel"),
                                    (4, "4 — Pleinement autonome"),
                                ],
                                null=True,
                                verbose_name="autonomie",
                            ),
                        ),
                        (
                            "entry_notes",
                            models.TextField(
                                blank=True,
                                max_length=4000,
                                validators=[django.core.validators.MaxLengthValidator(4000)],
                                verbose_name="observations du diagnostic",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "barriers",
                            models.ManyToManyField(
                                blank=True,
                                to="territory.barriertype",
                                verbose_name="freins périphériques",
                            ),
                        ),
                        (
                            "education_level",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="territory.educationlevel",
                                verbose_name="niveau de formation",
                            ),
                        ),
                        (
                            "participant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="pathways",
                                to="participants.participant",
                            ),
                        ),
                        (
                            "referent",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="pathways",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="référent(e)",
                            ),
                        ),
                        (
                            "referral",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="pathway",
                                to="participants.referral",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "parcours",
                        "verbose_name_plural": "parcours",
                        "db_table": "participants_pathway",
                        "ordering": ["participant", "-number"],
                    },
                ),
                migrations.CreateModel(
                    name="EligibilityAssessment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("protocol_version", models.CharField(max_length=20)),
                        ("evaluated_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "verdict",
                            models.CharField(
                                choices=[
                                    ("eligible", "Éligible"),
                                    ("not_eligible", "Non éligible"),
                                    ("undecided", "Impossible de conclure"),
                                ],
                                max_length=20,
                                verbose_name="résultat",
                            ),
                        ),
                        ("explanation", models.JSONField(verbose_name="explication")),
                        ("facts", models.JSONField(verbose_name="données utilisées")),
                        (
                            "evaluated_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "protocol",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="programme.protocol",
                            ),
                        ),
                        (
                            "pathway",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="eligibility_assessments",
                                to="pathways.pathway",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "examen d'éligibilité",
                        "verbose_name_plural": "examens d'éligibilité",
                        "db_table": "participants_eligibilityassessment",
                        "ordering": ["-evaluated_at", "-pk"],
                    },
                ),
                migrations.AlterField(
                    model_name="contact",
                    name="pathway",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contacts",
                        to="pathways.pathway",
                    ),
                ),
                migrations.AlterField(
                    model_name="followup",
                    name="pathway",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follow_up",
                        to="pathways.pathway",
                    ),
                ),
                migrations.AlterField(
                    model_name="referentchange",
                    name="pathway",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="referent_changes",
                        to="pathways.pathway",
                    ),
                ),
                migrations.AlterField(
                    model_name="step",
                    name="pathway",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="pathways.pathway",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="pathway",
                    constraint=models.UniqueConstraint(
                        fields=("participant", "number"), name="pathway_unique_number"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
