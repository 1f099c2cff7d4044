"""Forms of calls and proposals: a draft call with its required contents and weighted
criteria, a call's document, a proposal keyed in by the team, a proposal deposited in the
portal."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone

from plie.accounts.models import Organisation
from plie.agreements.models import PaymentScheduleTemplate
from plie.core.forms import SiteFormMixin, order_choices_in_french
from plie.core.submissions import SubmitsOnceMixin
from plie.core.uploads import DocumentField
from plie.programme.models import Operation
from plie.purchasing.enums import Channel
from plie.purchasing.models import CallForProposals, Criterion, RequiredContent


def moment_input() -> forms.DateTimeInput:
    """The browser's date and hour picker, in Europe/Paris time."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


class CallForm(SiteFormMixin, SubmitsOnceMixin, forms.ModelForm):
    """A call in preparation: its procedure, texts, deadline (date and hour, Paris time),
    budget cap, late policy, price formula and tie rule."""

    class Meta:
        model = CallForProposals
        fields = [
            "procedure",
            "reference",
            "title",
            "purpose",
            "deadline",
            "late_proposals_refused",
            "budget_cap",
            "price_formula",
            "tie_rule",
            "hearing_planned",
            "payment_schedule",
            "operation",
        ]
        widgets = {
            "deadline": moment_input(),
            "purpose": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "reference": "Par exemple AAP-2027-01 : elle commence chaque numéro d'accusé de dépôt.",
            "deadline": "Heure de Paris ; une proposition reçue dans la minute de l'heure "
            "limite est à temps.",
        }

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["deadline"].input_formats = MOMENT_FORMATS
        self.fields["payment_schedule"].queryset = PaymentScheduleTemplate.objects.filter(
            is_active=True
        )
        operations = Operation.objects.select_related("year").order_by("-year__year", "title")
        if programme is not None:
            operations = operations.filter(year__programme=programme)
        self.fields["operation"].queryset = operations

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        taken = CallForProposals.objects.filter(programme=self.programme, reference=reference)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                f"La référence {reference} est déjà celle d'un autre appel : choisissez-en une "
                "autre (par exemple en changeant le numéro d'ordre)."
            )
        return reference


class RequiredContentForm(SiteFormMixin, forms.ModelForm):
    class Meta:
        model = RequiredContent
        fields = ["label"]


class CriterionForm(SiteFormMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["label", "weight", "is_price", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CriteriaFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk is not None
            if not self._should_delete_form(form) and form.is_valid()
        ]
        if sum(1 for form in kept if form.cleaned_data.get("is_price")) > 1:
            raise forms.ValidationError(
                "Un seul critère est celui du prix : décochez « critère du prix » sur les autres."
            )


RequiredContentFormSet = inlineformset_factory(
    CallForProposals,
    RequiredContent,
    form=RequiredContentForm,
    extra=3,
    can_delete=True,
    max_num=30,
    absolute_max=40,
    validate_max=True,
)
CriterionFormSet = inlineformset_factory(
    CallForProposals,
    Criterion,
    form=CriterionForm,
    formset=CriteriaFormSet,
    extra=3,
    can_delete=True,
    max_num=12,
    absolute_max=20,
    validate_max=True,
)


class CallDocumentForm(SiteFormMixin, forms.Form):
    title = forms.CharField(
        label="Titre du document",
        max_length=200,
        help_text="Par exemple « Cahier des charges » ou « Dossier de réponse ».",
    )
    file = DocumentField(label="Fichier")


def _price_field() -> forms.DecimalField:
    return forms.DecimalField(
        label="Prix proposé (€, ferme et non révisable)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Le coût total de l'action, toutes taxes comprises.",
    )


class ProposalDocumentsMixin:
    """One document field per required content of the call: `content_<pk>`."""

    def add_content_fields(self, call: CallForProposals) -> None:
        self.contents = list(call.required_contents.all())
        for content in self.contents:
            self.fields[f"content_{content.pk}"] = DocumentField(  # type: ignore[attr-defined]
                label=content.label, required=False
            )

    def documents(self) -> list[tuple[RequiredContent, object]]:
        return [
            (content, self.cleaned_data[f"content_{content.pk}"])  # type: ignore[attr-defined]
            for content in self.contents
            if self.cleaned_data.get(f"content_{content.pk}")  # type: ignore[attr-defined]
        ]


class DepositForm(SiteFormMixin, SubmitsOnceMixin, ProposalDocumentsMixin, forms.Form):
    """A provider's proposal, in its portal: a price, one document per required content, a
    summary if it wishes."""

    price = _price_field()
    summary = forms.CharField(
        label="Résumé de votre proposition (facultatif)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, call: CallForProposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_content_fields(call)


class RecordProposalForm(SiteFormMixin, SubmitsOnceMixin, ProposalDocumentsMixin, forms.Form):
    """A proposal received by e-mail or post, keyed in by the team: who sent it (a provider
    already known, or a new one by its name), when it arrived, its price and documents."""

    provider = forms.ModelChoiceField(
        label="Candidat",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="— Choisir un prestataire connu —",
    )
    new_provider_name = forms.CharField(
        label="Ou nom d'un nouveau candidat",
        max_length=200,
        required=False,
        help_text="Seulement s'il n'est pas dans la liste : il y sera ajouté.",
    )
    received_at = forms.DateTimeField(
        label="Reçue le (date et heure du courriel ou de l'arrivée du pli)",
        widget=moment_input(),
        input_formats=MOMENT_FORMATS,
    )
    channel = forms.ChoiceField(
        label="Reçue par",
        choices=[(c.value, c.label) for c in Channel if c != Channel.PORTAL],
    )
    price = _price_field()
    summary = forms.CharField(
        label="Résumé de l'offre (facultatif)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, call: CallForProposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["provider"].queryset = Organisation.objects.filter(
            programme=call.programme, is_provider=True, is_active=True
        ).exclude(proposals__call=call)
        order_choices_in_french(self.fields["provider"])
        self.add_content_fields(call)

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now():
            raise forms.ValidationError(
                "Cette date est à venir : indiquez la date et l'heure auxquelles la "
                "proposition est arrivée."
            )
        return received_at

    def clean(self):
        data = super().clean()
        chosen, name = data.get("provider"), (data.get("new_provider_name") or "").strip()
        if chosen and name:
            self.add_error(
                "new_provider_name",
                "Choisissez un candidat dans la liste ou saisissez un nouveau nom, pas les deux.",
            )
        elif not chosen and not name and "provider" not in self.errors:
            self.add_error(
                "provider",
                "Choisissez le candidat dans la liste, ou saisissez son nom s'il est nouveau.",
            )
        elif name:
            known = Organisation.objects.filter(
                programme=self.call.programme, name__iexact=name
            ).first()
            if known is not None:
                self.add_error(
                    "new_provider_name",
                    f"« {known.name} » est déjà connu : choisissez-le dans la liste des "
                    "candidats (s'il n'y est pas, il a déjà une proposition pour cet appel, "
                    "ou n'est pas enregistré comme prestataire : l'administration le corrige).",
                )
        return data

    def provider_to_use(self) -> Organisation:
        """The provider chosen, or a new one made from the name given (not yet saved)."""
        chosen = self.cleaned_data.get("provider")
        if chosen is not None:
            return chosen
        return Organisation(
            programme=self.call.programme,
            name=self.cleaned_data["new_provider_name"].strip(),
            is_provider=True,
        )
