"""Pathways now belong to the pathways app (same table): state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0002_pathway_from_pathways"),
        ("participants", "0010_pathway_to_pathways"),
        ("pathways", "0007_pathway_from_participants"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Pathway",
                ),
            ],
            database_operations=[],
        ),
    ]
