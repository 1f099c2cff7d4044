"""The forms of an action's reports: the plan of reports, the text sections, a line of the
budget statement with its evidence, and the coordination's review."""

from __future__ import annotations

from django import forms

from plie.core.forms import SiteFormMixin
from plie.core.uploads import DocumentField
from plie.evaluation import report_plan
from plie.evaluation.models import ActionReport
from plie.evaluation.models.reports import SECTIONS, TEXT
from plie.programme.enums import StatementSide


class PlanForm(SiteFormMixin, forms.Form):
    plan = forms.ChoiceField(
        label="Bilans demandés",
        choices=list(report_plan.PLAN_LABELS.items()),
        widget=forms.RadioSelect,
    )


class SectionsForm(SiteFormMixin, forms.Form):
    """The answer form's plan, one text per part."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECTIONS:
            field = ActionReport._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=str(field.verbose_name).capitalize(),
                help_text=field.help_text,
                required=False,
                max_length=TEXT,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        self._guard_fields()


class BudgetLineForm(SiteFormMixin, forms.Form):
    side = forms.ChoiceField(label="Nature", choices=StatementSide.choices)
    label = forms.CharField(
        label="Libellé", max_length=200, help_text="Par exemple « Salaires des formateurs »."
    )
    amount = forms.DecimalField(label="Montant (€)", min_value=0, max_digits=12, decimal_places=2)
    evidence = DocumentField(label="Justificatif", required=False)


class ReviewForm(SiteFormMixin, forms.Form):
    DECISIONS = (
        ("comment", "Enregistrer le commentaire"),
        ("return", "Renvoyer au prestataire"),
        ("validate", "Valider le bilan"),
    )

    comments = forms.CharField(
        label="Commentaires du PLIE",
        help_text="Lus par le prestataire ; pour un renvoi, dites ce qu'il faut compléter.",
        required=False,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
