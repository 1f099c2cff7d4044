"""The payment schedules offered when an agreement is created, as data (editable in the
administration afterwards).

- Seed 000, line 374 « Facturation » (consultation for a service): 30 % at signature, 30 % on
  the interim report, 40 % on the final report, the attendance sheets and the statement of
  days delivered.
- Call for projects (seed 001, lines 243-251: one-year agreement, budget statements with the
  evidence of expenses, reports, attendance sheets): our choice, 50 % at signature, 50 % on
  the final report, the final budget statement with its evidence and the attendance sheets.
"""

from decimal import Decimal

from django.db import migrations

TEMPLATES = (
    (
        "Consultation pour une prestation : 30 / 30 / 40",
        "Cahier des charges, « Facturation » : 30 % à la signature, 30 % avec le bilan "
        "intermédiaire, 40 % sur le rapport final, les feuilles d'émargement et l'état des "
        "jours consommés.",
        (
            ("À la signature", "30", ["signed_agreement"]),
            ("Au bilan intermédiaire", "30", ["interim_report"]),
            (
                "Au rapport final",
                "40",
                ["final_report", "attendance_sheets", "days_statement"],
            ),
        ),
    ),
    (
        "Appel à projets : 50 / 50",
        "Convention d'un an : 50 % à la signature, 50 % sur le bilan final, la situation "
        "budgétaire finale avec ses justificatifs et les feuilles d'émargement.",
        (
            ("À la signature", "50", ["signed_agreement"]),
            (
                "Au bilan final",
                "50",
                ["final_report", "budget_statement", "attendance_sheets"],
            ),
        ),
    ),
)


def load(apps, schema_editor):
    """Idempotent: the tests load it again after a live-server test empties the tables."""
    Template = apps.get_model("agreements", "PaymentScheduleTemplate")
    Line = apps.get_model("agreements", "ScheduleLine")
    for order, (name, description, lines) in enumerate(TEMPLATES):
        template, created = Template.objects.get_or_create(
            name=name, defaults={"description": description, "order": order}
        )
        if not created:
            continue
        for line_order, (label, share, kinds) in enumerate(lines, start=1):
            Line.objects.create(
                template=template,
                order=line_order,
                label=label,
                share=Decimal(share),
                deliverable_kinds=kinds,
            )


def unload(apps, schema_editor):
    apps.get_model("agreements", "PaymentScheduleTemplate").objects.filter(
        name__in=[name for name, _, _ in TEMPLATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_agreements_and_payment_schedules")]

    operations = [migrations.RunPython(load, unload)]
