"""Agreement forms: a new agreement, its signature, an amendment and its decision, a
deliverable handed in and its check, a payment."""

from django import forms
from django.utils import timezone

from plie.accounts.models import Organisation
from plie.agreements import amendments
from plie.agreements.enums import AmendmentKind, CheckOutcome
from plie.agreements.models import DEFAULT_COMMITMENTS, PaymentScheduleTemplate
from plie.core import formatting
from plie.core.forms import FocusFirstErrorMixin, SiteFormMixin, date_input
from plie.core.submissions import SubmitsOnceMixin
from plie.core.uploads import DocumentField
from plie.programme.models import Operation

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class AgreementForm(SiteFormMixin, SubmitsOnceMixin, FocusFirstErrorMixin, forms.Form):
    """A new agreement, after an award or without a call (a référent-hosting agreement)."""

    provider = forms.ModelChoiceField(
        label="Prestataire", queryset=Organisation.objects.none(), empty_label="— Choisir —"
    )
    title = forms.CharField(label="Intitulé", max_length=200)
    purpose = forms.CharField(
        label="Objet", max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    objectives = forms.CharField(
        label="Objectifs",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    commitments = forms.CharField(
        label="Engagements du prestataire",
        max_length=5000,
        required=False,
        initial="\n".join(DEFAULT_COMMITMENTS),
        help_text="Un engagement par ligne ; ceux du cahier des charges sont proposés.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    amount = forms.DecimalField(label="Montant (€, prix ferme)", **MONEY)
    starts_on = forms.DateField(label="Début", widget=date_input())
    ends_on = forms.DateField(
        label="Fin",
        required=False,
        widget=date_input(),
        help_text="Vide : un an, jusqu'à la veille du même jour de l'année suivante.",
    )
    schedule_template = forms.ModelChoiceField(
        label="Échéancier de paiement",
        queryset=PaymentScheduleTemplate.objects.none(),
        empty_label="— Choisir —",
    )
    operation = forms.ModelChoiceField(
        label="Opération de la programmation",
        queryset=Operation.objects.none(),
        required=False,
        empty_label="— Aucune —",
        help_text="L'opération qui finance la convention.",
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        providers = Organisation.objects.filter(is_provider=True, is_active=True)
        if programme is not None:
            providers = providers.filter(programme=programme)
        self.fields["provider"].queryset = providers
        self.fields["schedule_template"].queryset = PaymentScheduleTemplate.objects.filter(
            is_active=True
        )
        operations = Operation.objects.select_related("year").order_by("-year__year", "title")
        if programme is not None:
            operations = operations.filter(year__programme=programme)
        self.fields["operation"].queryset = operations

    def clean_commitments(self):
        lines = [line.strip() for line in self.cleaned_data["commitments"].splitlines()]
        lines = [line for line in lines if line]
        if any(len(line) > 300 for line in lines):
            raise forms.ValidationError(
                "Un engagement tient en 300 caractères : coupez la ligne trop longue en deux."
            )
        return lines

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error(
                "ends_on",
                f"La fin suit le début ({formatting.day(starts_on)}) : corrigez la date, ou "
                f"laissez-la vide pour un an (jusqu'au "
                f"{formatting.day(amendments.one_year_end(starts_on))}).",
            )
        return data


class SignForm(SiteFormMixin, forms.Form):
    signed_on = forms.DateField(label="Signée le", widget=date_input())

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                "Une signature s'enregistre une fois faite : saisissez une date passée ou "
                "celle du jour."
            )
        return value


class AmendmentForm(SiteFormMixin, SubmitsOnceMixin, forms.Form):
    kind = forms.ChoiceField(label="Nature", choices=AmendmentKind.choices)
    new_ends_on = forms.DateField(
        label="Nouvelle date de fin",
        required=False,
        widget=date_input(),
        help_text="Pour une prolongation.",
    )
    amount_change = forms.DecimalField(
        label="Variation du montant (€)",
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text="Négative pour une baisse ; vide si le montant ne change pas.",
    )
    reason = forms.CharField(
        label="Motif", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    asked_on = forms.DateField(label="Demandé le", widget=date_input())

    def clean(self):
        data = super().clean()
        if data.get("kind") == AmendmentKind.EXTENSION and not data.get("new_ends_on"):
            self.add_error(
                "new_ends_on", "Une prolongation a une nouvelle date de fin : saisissez-la."
            )
        return data


class AmendmentDecisionForm(SiteFormMixin, forms.Form):
    decision = forms.TypedChoiceField(
        label="Décision des instances du PLIE",
        choices=[("validated", "Validé"), ("refused", "Refusé")],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label="Décidé le", widget=date_input())
    body = forms.CharField(
        label="Instance qui a décidé",
        max_length=200,
        help_text="Par exemple « comité de pilotage du 12 mars 2027 ».",
    )
    note = forms.CharField(
        label="Commentaire",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeliverableUploadForm(SiteFormMixin, forms.Form):
    document = DocumentField(label="Document")


class DeliverableCheckForm(SiteFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Vérification", choices=CheckOutcome.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="Commentaire",
        max_length=4000,
        required=False,
        help_text="Obligatoire pour un livrable à refaire : dites ce qui manque.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == CheckOutcome.TO_REDO and not data.get("comment", "").strip():
            self.add_error(
                "comment", "Dites au prestataire ce qu'il faut refaire : saisissez un commentaire."
            )
        return data


class PaymentForm(SiteFormMixin, forms.Form):
    paid_on = forms.DateField(label="Payée le", widget=date_input())
    reference = forms.CharField(
        label="Référence du paiement",
        max_length=60,
        required=False,
        help_text="Le numéro du mandat ou du virement, s'il est connu.",
    )

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                "Un paiement s'enregistre une fois fait : saisissez une date passée ou celle "
                "du jour."
            )
        return value
