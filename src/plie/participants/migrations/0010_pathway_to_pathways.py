"""Pathways and eligibility assessments now belong to the pathways app (same tables): state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0009_protocol_to_programme"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="pathway",
                    name="barriers",
                ),
                migrations.RemoveField(
                    model_name="pathway",
                    name="education_level",
                ),
                migrations.RemoveField(
                    model_name="pathway",
                    name="participant",
                ),
                migrations.RemoveField(
                    model_name="pathway",
                    name="referent",
                ),
                migrations.RemoveField(
                    model_name="pathway",
                    name="referral",
                ),
                migrations.DeleteModel(
                    name="EligibilityAssessment",
                ),
            ],
            database_operations=[],
        ),
    ]
