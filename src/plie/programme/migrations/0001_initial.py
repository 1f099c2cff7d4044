"""Protocols move here from the participants app: the table stays (participants_protocol),
only Django's state and the content type (kept by the journal's entries) change."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="participants", target="programme"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=source, model="protocol").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="programme", target="participants")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("participants", "0008_pathway_without_status_index"),
        ("territory", "0005_trial_fixes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Protocol",
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
                        ("name", models.CharField(max_length=150, verbose_name="nom")),
                        ("version", models.CharField(max_length=20, verbose_name="version")),
                        ("valid_from", models.DateField(verbose_name="en vigueur du")),
                        (
                            "valid_until",
                            models.DateField(blank=True, null=True, verbose_name="au"),
                        ),
                        (
                            "source",
                            models.CharField(blank=True, max_length=300, verbose_name="source"),
                        ),
                        ("entry_rule", models.JSONField(verbose_name="règle d'entrée")),
                        (
                            "exit_rules",
                            models.JSONField(
                                blank=True, default=list, verbose_name="règles de sortie positive"
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="protocols",
                                to="territory.programme",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "protocole",
                        "db_table": "participants_protocol",
                        "ordering": ["-valid_from"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("programme", "name", "version"),
                                name="protocol_unique_version",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
