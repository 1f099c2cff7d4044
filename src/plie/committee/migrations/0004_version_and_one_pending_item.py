from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Min
from django.utils import timezone

DUPLICATE = (
    "Proposition en double (deux envois au même moment), retirée à la mise à jour : "
    "une seule proposition de chaque sorte reste en attente pour un parcours."
)


def withdraw_duplicates(apps, schema_editor):
    """Before the constraint: of two pending proposals of the same kind for one pathway (sent
    at the same moment, before the services locked their rows), the first stays, the others
    are withdrawn, kept with the reason."""
    CommitteeItem = apps.get_model("committee", "CommitteeItem")
    groups = (
        CommitteeItem.objects.filter(decision="pending")
        .values("pathway_id", "kind")
        .annotate(count=Count("pk"), first=Min("pk"))
        .filter(count__gt=1)
    )
    for group in groups:
        CommitteeItem.objects.filter(
            decision="pending", pathway_id=group["pathway_id"], kind=group["kind"]
        ).exclude(pk=group["first"]).update(
            decision="withdrawn", decided_at=timezone.now(), reason=DUPLICATE
        )


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0003_withdrawn_proposals_stay"),
        ("pathways", "0009_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="committeeitem",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        # The withdrawn duplicates stay withdrawn when going back: nothing to undo.
        migrations.RunPython(withdraw_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="committeeitem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("decision", "pending")),
                fields=("pathway", "kind"),
                name="committee_one_pending_item_per_kind",
            ),
        ),
    ]
