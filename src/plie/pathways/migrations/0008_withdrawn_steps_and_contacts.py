"""A step or contact entered by mistake is withdrawn, not deleted: who, when and why.

Three nullable or blank columns on each table (no existing row changes: every row stays in
effect), a check that a withdrawn row has its reason, and the indexes the figures and lists
read remade with `withdrawn_at`, which every one of their queries now filters
(`InEffectManager`): the dates indexes carry it as a last column so that they are still
read alone (a partial index is not, by SQLite 3.40), the index of the ongoing steps'
planned ends keeps only the rows in effect.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

IN_EFFECT = ("withdrawn_at__isnull", True)
# In effect with no reason, or withdrawn with one.
HAS_REASON = models.Q(
    models.Q(IN_EFFECT, ("withdrawal_reason", "")),
    models.Q(("withdrawn_at__isnull", False), ~models.Q(("withdrawal_reason", ""))),
    _connector="OR",
)


def withdrawal_fields(model_name: str) -> list:
    return [
        migrations.AddField(
            model_name=model_name,
            name="withdrawal_reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="motif du retrait"),
        ),
        migrations.AddField(
            model_name=model_name,
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="retiré(e) le"),
        ),
        migrations.AddField(
            model_name=model_name,
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="retiré(e) par",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0007_pathway_from_participants"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="contact", name="pathways_co_pathway_658c3e_idx"),
        migrations.RemoveIndex(model_name="step", name="pathways_st_pathway_2588ae_idx"),
        migrations.RemoveIndex(model_name="step", name="step_ongoing_planned_end_idx"),
        *withdrawal_fields("contact"),
        *withdrawal_fields("step"),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["pathway", "contacted_on", "withdrawn_at"], name="contact_dates_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="step",
            index=models.Index(
                fields=["pathway", "start_date", "end_date", "withdrawn_at"], name="step_dates_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="step",
            index=models.Index(
                condition=models.Q(("end_date__isnull", True), IN_EFFECT),
                fields=["planned_end_date"],
                name="step_ongoing_planned_end_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.CheckConstraint(
                condition=HAS_REASON, name="contact_withdrawal_has_reason"
            ),
        ),
        migrations.AddConstraint(
            model_name="step",
            constraint=models.CheckConstraint(
                condition=HAS_REASON, name="step_withdrawal_has_reason"
            ),
        ),
    ]
