"""The annual programme's forms: a year, an operation, its funding plan, a state change, a
budget statement."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from plie.accounts.models import Organisation
from plie.core import formatting
from plie.core.forms import FocusFirstErrorMixin, SiteFormMixin, date_input, order_choices_in_french
from plie.core.submissions import SubmitsOnceMixin
from plie.core.uploads import DocumentField
from plie.programme.enums import Funder, OperationKind, OperationState, StatementSide
from plie.programme.models import Operation

MAX_AMOUNT = Decimal("9999999999.99")
MONEY_ERRORS = {
    "invalid": "Saisissez un montant en euros, par exemple 125000 ou 125000,50.",
    "min_value": "Un montant ne peut pas être négatif : saisissez 0 ou plus.",
    "max_value": "Ce montant dépasse dix milliards d'euros : vérifiez le nombre de zéros.",
    "max_decimal_places": "Un montant se donne au centime : deux chiffres après la virgule.",
    "max_digits": "Ce montant dépasse dix milliards d'euros : vérifiez le nombre de zéros.",
    "max_whole_digits": "Ce montant dépasse dix milliards d'euros : vérifiez le nombre de zéros.",
}


def money_field(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=MAX_AMOUNT,
        max_digits=12,
        decimal_places=2,
        localize=True,
        error_messages={"required": "Saisissez un montant en euros (0 si aucun).", **MONEY_ERRORS},
    )


class YearForm(SiteFormMixin, forms.Form):
    year = forms.IntegerField(
        label="Année",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Saisissez l'année de la programmation, par exemple 2027.",
            "invalid": "Saisissez une année en chiffres, par exemple 2027.",
            "min_value": "Saisissez une année à partir de 2000.",
            "max_value": "Saisissez une année jusqu'à 2100.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["class"] = "form-control"
        self.fields["year"].initial = timezone.localdate().year + 1


class OperationForm(SiteFormMixin, FocusFirstErrorMixin, forms.ModelForm):
    """An operation: its kind, carrier, budget and targets; once approved, its budget is the
    steering committee's and is no longer offered."""

    class Meta:
        model = Operation
        fields = [
            "kind",
            "title",
            "carrier",
            "budget",
            "target_entries",
            "target_people",
            "target_positive_exits",
            "target_fte",
            "target_caseload",
            "step_types",
            "volume_unit",
            "planned_volume",
            "achieved_volume",
        ]
        widgets = {"step_types": forms.CheckboxSelectMultiple}
        help_texts = {
            "target_fte": "Portage des référents : équivalents temps plein financés.",
            "target_caseload": "Portage des référents : file active attendue de la structure.",
            "step_types": "Clauses d'insertion et actions pour les participants : les étapes "
            "qui mesurent l'opération (les personnes qui en commencent une dans l'année).",
            "volume_unit": "Professionnalisation des référents : ce que l'équipe compte "
            "(journées, sessions…), saisi à la main.",
        }
        error_messages = {
            "title": {"required": "Donnez un intitulé à l'opération."},
            "kind": {"required": "Choisissez la nature de l'opération."},
            "carrier": {"required": "Choisissez la structure porteuse de l'opération."},
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        carrier = self.fields["carrier"]
        carrier.queryset = Organisation.objects.filter(programme=programme, is_active=True)
        carrier.empty_label = "— Choisir une structure —"
        order_choices_in_french(carrier)
        # The step catalogue is the pathways' (a layer above): reached through the relation.
        step_types = Operation._meta.get_field("step_types").related_model
        self.fields["step_types"].queryset = step_types.objects.filter(is_active=True)
        budget = money_field("Budget total (€)")
        budget.initial = self.fields["budget"].initial
        self.fields["budget"] = budget
        if self.instance.pk and self.instance.state != OperationState.PLANNED:
            del self.fields["budget"]
        for name, field in self.fields.items():
            if name == "step_types":
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        for name in (
            "target_entries",
            "target_people",
            "target_positive_exits",
            "target_caseload",
            "planned_volume",
            "achieved_volume",
        ):
            self.fields[name].error_messages.update(
                {
                    "invalid": "Saisissez un nombre entier, ou laissez vide.",
                    "min_value": "Saisissez un nombre positif, ou laissez vide.",
                    "max_value": "Ce nombre est trop grand : vérifiez-le.",
                }
            )
        self.fields["target_fte"].error_messages.update(
            {
                "invalid": "Saisissez un nombre d'ETP, par exemple 2 ou 1,5.",
                "min_value": "Saisissez un nombre d'ETP positif, ou laissez vide.",
                "max_digits": "Ce nombre d'ETP est trop grand : vérifiez-le.",
                "max_whole_digits": "Ce nombre d'ETP est trop grand : vérifiez-le.",
                "max_decimal_places": "Deux chiffres après la virgule au plus, par exemple 1,25.",
            }
        )
        self.fields["target_fte"].localize = True
        self.fields["target_fte"].widget.is_localized = True

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if data.get("achieved_volume") is not None and kind != OperationKind.REFERENT_DEVELOPMENT:
            self.add_error(
                "achieved_volume",
                "Seule la professionnalisation des référents a un volume saisi à la main : "
                "les autres opérations se mesurent sur les parcours. Laissez ce champ vide.",
            )
        return data


class NewOperationForm(SubmitsOnceMixin, OperationForm):
    """A new operation: saved once however often it is sent (core.submissions)."""


class FundingForm(SiteFormMixin, forms.Form):
    """One amount per funder; the rates are computed (amount ÷ budget), never typed."""

    def __init__(self, *args, operation: Operation, **kwargs):
        super().__init__(*args, **kwargs)
        current = {line.funder: line.amount for line in operation.funding_lines.all()}
        for funder in Funder:
            field = money_field(f"{funder.label} (€)", required=False)
            field.initial = current.get(funder)
            field.widget.attrs["class"] = "form-control"
            self.fields[funder.value] = field

    def amounts(self) -> dict[str, Decimal]:
        return {
            funder: amount for funder, amount in self.cleaned_data.items() if amount is not None
        }


class StateChangeForm(SiteFormMixin, forms.Form):
    """The operation's next state (the button says which) and its date."""

    target = forms.ChoiceField(choices=OperationState.choices, widget=forms.HiddenInput)
    on = forms.DateField(
        label="Date",
        widget=date_input(),
        error_messages={
            "required": "Saisissez la date du changement d'état.",
            "invalid": "Saisissez une date, par exemple 15/03/2027.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["on"].widget.attrs["class"] = "form-control"

    def clean_on(self):
        value = self.cleaned_data["on"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(
                f"Le {formatting.day(value)} n'est pas encore arrivé : un changement d'état se "
                "date au plus tard d'aujourd'hui."
            )
        return value


LINES = 8  # lines offered on a statement's page; an empty line is ignored


class StatementForm(SiteFormMixin, forms.Form):
    """A budget statement: its date and up to `LINES` lines of expenses or resources."""

    drawn_on = forms.DateField(
        label="Arrêtée au",
        widget=date_input(),
        error_messages={
            "required": "Saisissez la date à laquelle la situation est arrêtée.",
            "invalid": "Saisissez une date, par exemple 30/06/2027.",
        },
    )

    def __init__(self, *args, statement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drawn_on"].widget.attrs["class"] = "form-control"
        existing = list(statement.lines.all()) if statement is not None else []
        if statement is not None:
            self.fields["drawn_on"].initial = statement.drawn_on
        for index in range(max(LINES, len(existing) + 2)):
            line = existing[index] if index < len(existing) else None
            side = forms.ChoiceField(
                label=f"Ligne {index + 1} : nature",
                choices=[("", "—"), *StatementSide.choices],
                required=False,
                initial=line.side if line else "",
            )
            side.widget.attrs["class"] = "form-select"
            label = forms.CharField(
                label=f"Ligne {index + 1} : libellé",
                max_length=200,
                required=False,
                initial=line.label if line else "",
            )
            label.widget.attrs["class"] = "form-control"
            amount = money_field(f"Ligne {index + 1} : montant (€)", required=False)
            amount.initial = line.amount if line else None
            amount.widget.attrs["class"] = "form-control"
            self.fields[f"side_{index}"] = side
            self.fields[f"label_{index}"] = label
            self.fields[f"amount_{index}"] = amount

    def clean_drawn_on(self):
        drawn_on = self.cleaned_data["drawn_on"]
        if drawn_on > timezone.localdate():
            raise forms.ValidationError(
                "Une situation est arrêtée à un jour passé ou aujourd'hui : corrigez la date."
            )
        return drawn_on

    @property
    def line_count(self) -> int:
        return sum(1 for name in self.fields if name.startswith("side_"))

    def line_fields(self):
        return [
            (self[f"side_{i}"], self[f"label_{i}"], self[f"amount_{i}"])
            for i in range(self.line_count)
        ]

    def clean(self):
        data = super().clean()
        lines = []
        for index in range(self.line_count):
            side = data.get(f"side_{index}")
            label = data.get(f"label_{index}")
            amount = data.get(f"amount_{index}")
            if not (side or label or amount is not None):
                continue
            missing = [
                (name, message)
                for name, value, message in (
                    (f"side_{index}", side, "Choisissez dépense ou ressource."),
                    (f"label_{index}", label, "Donnez le libellé de la ligne."),
                    (f"amount_{index}", amount, "Saisissez le montant de la ligne."),
                )
                if not value and value != Decimal(0)
            ]
            for name, message in missing:
                self.add_error(name, message)
            if not missing:
                lines.append({"side": side, "label": label, "amount": amount})
        if not lines and not self.errors:
            raise forms.ValidationError(
                "Saisissez au moins une ligne : sa nature, son libellé et son montant."
            )
        data["lines"] = lines
        return data


class EvidenceForm(SiteFormMixin, forms.Form):
    """A supporting document of a budget statement."""

    title = forms.CharField(
        label="Justificatif",
        max_length=200,
        help_text="Par exemple « Bulletins de salaire du premier semestre ».",
    )
    document = DocumentField(label="Fichier")
