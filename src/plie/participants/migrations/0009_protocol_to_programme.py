"""Protocols now belong to the programme app (same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0008_pathway_without_status_index"),
        ("programme", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="eligibilityassessment",
                    name="protocol",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="programme.protocol",
                    ),
                ),
                migrations.DeleteModel(name="Protocol"),
            ],
            database_operations=[],
        ),
    ]
