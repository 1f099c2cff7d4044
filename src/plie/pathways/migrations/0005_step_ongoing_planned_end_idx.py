from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0004_step_index_with_end_date"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="step",
            index=models.Index(
                condition=models.Q(("end_date__isnull", True)),
                fields=["planned_end_date"],
                name="step_ongoing_planned_end_idx",
            ),
        ),
    ]
