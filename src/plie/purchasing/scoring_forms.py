"""Forms of the judgement: the declaration of interests, an evaluator's scores, the hearing
and negotiated offers, the written consultation and a member's answer."""

from django import forms
from django.utils import timezone

from plie.core.forms import FocusFirstErrorMixin, SiteFormMixin, date_input
from plie.core.submissions import SubmitsOnceMixin
from plie.core.uploads import DocumentField
from plie.purchasing.enums import ConsultationAnswerChoice, InterestDeclaration, OfferKind
from plie.purchasing.models import Proposal

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DeclarationForm(SiteFormMixin, forms.Form):
    declaration = forms.ChoiceField(
        label="Déclaration d'intérêts",
        choices=InterestDeclaration.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez l'une des deux déclarations, puis envoyez."},
    )


class ScoresForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    """One mark from 0 to 10 (to the half point at most: to the tenth) and a comment for each
    criterion but the price, which its formula scores."""

    def __init__(self, *args, criteria, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if not c.is_price]
        given = {s.criterion_id: s for s in evaluation.scores.all()} if evaluation else {}
        for criterion in self.criteria:
            score = given.get(criterion.pk)
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.label} ({criterion.weight} %) : note sur 10",
                min_value=0,
                max_value=10,
                max_digits=3,
                decimal_places=1,
                initial=score.points if score else None,
                error_messages={"required": "Donnez une note de 0 à 10."},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.label} : commentaire",
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=score.comment if score else "",
                help_text=criterion.description or "Ce qui justifie la note.",
                error_messages={"required": "Justifiez la note en quelques mots."},
            )

    def rows(self):
        """Each criterion with its two fields, for the template."""
        return [(c, self[f"points_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {
            c: (self.cleaned_data[f"points_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class OfferForm(SiteFormMixin, SubmitsOnceMixin, FocusFirstErrorMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Nature",
        choices=[(k.value, k.label) for k in (OfferKind.HEARING, OfferKind.NEGOTIATED)],
        widget=forms.RadioSelect,
    )
    made_at = forms.DateTimeField(label="Date et heure", widget=DATETIME_INPUT)
    price = forms.DecimalField(
        label="Prix ferme (€)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="Obligatoire pour une offre révisée ; après une audition, seulement si le "
        "prix change.",
    )
    note = forms.CharField(
        label="Ce qui a été dit ou changé",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    document = DocumentField(label="Document (offre révisée, compte rendu)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "made_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class ConsultationForm(SiteFormMixin, SubmitsOnceMixin, FocusFirstErrorMixin, forms.Form):
    proposed = forms.ModelChoiceField(
        label="Proposition soumise au comité", queryset=Proposal.objects.none(), empty_label=None
    )
    message = forms.CharField(
        label="Message au comité", max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    answer_by = forms.DateField(label="Réponse attendue au plus tard le", widget=date_input())

    def __init__(self, *args, ranking, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        ranked = [p.candidate.key for p in ranking.placed]
        self.fields["proposed"].queryset = Proposal.objects.filter(pk__in=ranked).select_related(
            "provider"
        )
        names = {p.pk: p for p in proposals}
        self.fields["proposed"].label_from_instance = lambda proposal: (
            f"{ranking.of(proposal.pk).rank} — {names.get(proposal.pk, proposal).provider} "
            f"({ranking.of(proposal.pk).shown_total} sur 100)"
        )
        if ranking.first is not None:
            self.initial.setdefault("proposed", ranking.first.candidate.key)


class AnswerForm(SiteFormMixin, forms.Form):
    answer = forms.ChoiceField(
        label="Votre avis",
        choices=ConsultationAnswerChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez votre avis, puis envoyez."},
    )
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AwardForm(SiteFormMixin, forms.Form):
    """The award's confirmation and the start of the agreement it makes."""

    confirm = forms.BooleanField(
        label="Je confirme l'attribution",
        error_messages={
            "required": "Cochez « Je confirme l'attribution » : les candidats en sont avisés "
            "aussitôt."
        },
    )
    starts_on = forms.DateField(
        label="Début de la convention",
        widget=date_input(),
        help_text="La convention court un an à partir de ce jour ; elle est créée en "
        "préparation, à signer.",
    )
