"""The committee's meetings and items now belong to the committee app (same tables)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0005_step_ongoing_planned_end_idx"),
        ("committee", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="committeemeeting", name="chaired_by"),
                migrations.RemoveField(model_name="committeemeeting", name="programme"),
                migrations.DeleteModel(name="CommitteeItem"),
                migrations.DeleteModel(name="CommitteeMeeting"),
            ],
            database_operations=[],
        ),
    ]
