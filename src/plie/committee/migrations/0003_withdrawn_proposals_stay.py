"""A proposal withdrawn before the decision is kept, as « Retirée », instead of deleted.

Only the choices of `decision` change (no column, no data): the proposals withdrawn before
this migration were deleted, and only the journal keeps them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0002_pathway_from_pathways"),
    ]

    operations = [
        migrations.AlterField(
            model_name="committeeitem",
            name="decision",
            field=models.CharField(
                choices=[
                    ("pending", "À examiner"),
                    ("validated", "Validée"),
                    ("refused", "Refusée"),
                    ("deferred", "Ajournée"),
                    ("withdrawn", "Retirée"),
                ],
                default="pending",
                max_length=20,
                verbose_name="décision",
            ),
        ),
    ]
