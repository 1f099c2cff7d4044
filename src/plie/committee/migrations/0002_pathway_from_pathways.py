"""An item's pathway is now pathways.Pathway (same table and column): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0001_initial"),
        ("pathways", "0007_pathway_from_participants"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="committeeitem",
                    name="pathway",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="committee_items",
                        to="pathways.pathway",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
