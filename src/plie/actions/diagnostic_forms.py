"""The forms of a referral's diagnostics (French, mobility, CléA, self-assessment), of its
follow-up sheets and of its thread (issue 12, §4 and §5)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from plie.actions.enums import (
    CefrLevel,
    CleaLevel,
    DrivingLicence,
    Fundamental,
    RecommendationAxis,
    SelfAssessmentScore,
    SheetKind,
    TransportAutonomy,
    Vehicle,
)
from plie.actions.models import CleaSubdomain
from plie.core.forms import FocusFirstErrorMixin, SiteFormMixin, date_input

COMMENT = {
    "label": "Commentaire",
    "max_length": 2000,
    "required": False,
    "widget": forms.Textarea(attrs={"rows": 3}),
}


class AssessmentForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    """What every diagnostic asks: its date (not in the future) and a comment."""

    assessed_on = forms.DateField(label="Date du diagnostic", widget=date_input())

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError(
                "La date du diagnostic est dans le futur : saisissez le jour où il a eu lieu."
            )
        return assessed_on


class FrenchForm(AssessmentForm):
    oral_comprehension = forms.ChoiceField(
        label="Compréhension orale", choices=CefrLevel.choices, required=False
    )
    written_comprehension = forms.ChoiceField(
        label="Compréhension écrite", choices=CefrLevel.choices, required=False
    )
    oral_expression = forms.ChoiceField(
        label="Expression orale", choices=CefrLevel.choices, required=False
    )
    written_expression = forms.ChoiceField(
        label="Expression écrite", choices=CefrLevel.choices, required=False
    )
    comment = forms.CharField(**COMMENT)

    def clean(self):
        data = super().clean()
        skills = ("oral_comprehension", "written_comprehension", "oral_expression")
        if not any(data.get(name) for name in (*skills, "written_expression")) and not self.errors:
            raise forms.ValidationError(
                "Aucune compétence n'est évaluée : choisissez le niveau d'au moins une "
                "compétence (les autres peuvent rester « non évalué »)."
            )
        return data


class MobilityForm(AssessmentForm):
    driving_licence = forms.ChoiceField(label="Permis de conduire", choices=DrivingLicence.choices)
    vehicle = forms.ChoiceField(label="Véhicule", choices=Vehicle.choices)
    public_transport = forms.ChoiceField(
        label="Autonomie dans les transports en commun", choices=TransportAutonomy.choices
    )
    travel_radius_km = forms.IntegerField(
        label="Rayon de déplacement (km)",
        min_value=0,
        max_value=500,
        help_text="La distance que la personne peut parcourir pour un emploi ou une formation.",
    )
    oriented_to_platform = forms.BooleanField(
        label="Orientée vers la Plateforme Mobilité de la Mission locale", required=False
    )
    comment = forms.CharField(**COMMENT)


class CleaForm(AssessmentForm):
    """The 28 sub-domains (read from the reference data), each acquired, to work on or not
    assessed, grouped by domain; and the orientation towards the DAQ."""

    oriented_to_daq = forms.BooleanField(
        label="Orientée vers le Dispositif d'Accès à la Qualification (DAQ)", required=False
    )
    comment = forms.CharField(**COMMENT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.subdomains = list(CleaSubdomain.objects.select_related("domain"))
        for subdomain in self.subdomains:
            self.fields[f"sd_{subdomain.pk}"] = forms.ChoiceField(
                label=f"{subdomain.domain.number}.{subdomain.number} {subdomain.name}",
                choices=CleaLevel.choices,
                initial=CleaLevel.NOT_ASSESSED,
                widget=forms.RadioSelect,
            )

    def domains(self) -> list[tuple[object, list]]:
        grouped: dict[int, tuple[object, list]] = {}
        for subdomain in self.subdomains:
            entry = grouped.setdefault(subdomain.domain_id, (subdomain.domain, []))
            entry[1].append(self[f"sd_{subdomain.pk}"])
        return list(grouped.values())

    def levels(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data[f"sd_{s.pk}"] for s in self.subdomains}


class SelfAssessmentForm(AssessmentForm):
    comment = forms.CharField(**COMMENT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        for fundamental in Fundamental:
            self.fields[fundamental.value] = forms.TypedChoiceField(
                label=fundamental.label,
                choices=SelfAssessmentScore.choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields["comment"] = comment

    def scores(self) -> dict[str, int]:
        return {f: self.cleaned_data[f] for f in Fundamental.values}


RECOMMENDATION_SLOTS = 5


class SheetForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    """A follow-up sheet: its nature, what happened, and up to five recommendations (an axis
    and a text each; an empty line is ignored)."""

    kind = forms.ChoiceField(label="Nature de la fiche", choices=SheetKind.choices)
    observations = forms.CharField(
        label="Déroulement et observations",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(RECOMMENDATION_SLOTS):
            self.fields[f"axis_{index}"] = forms.ChoiceField(
                label=f"Préconisation {index + 1} : axe de travail",
                choices=[("", "— Aucune —"), *RecommendationAxis.choices],
                required=False,
            )
            self.fields[f"text_{index}"] = forms.CharField(
                label=f"Préconisation {index + 1} : texte",
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @classmethod
    def initial_of(cls, sheet) -> dict:
        initial = {"kind": sheet.kind, "observations": sheet.observations}
        for index, recommendation in enumerate(sheet.recommendations.all()):
            initial[f"axis_{index}"] = recommendation.axis
            initial[f"text_{index}"] = recommendation.text
        return initial

    def rows(self) -> list[tuple]:
        return [
            (index + 1, self[f"axis_{index}"], self[f"text_{index}"])
            for index in range(RECOMMENDATION_SLOTS)
        ]

    def clean(self):
        data = super().clean()
        for index in range(RECOMMENDATION_SLOTS):
            axis, text = data.get(f"axis_{index}"), (data.get(f"text_{index}") or "").strip()
            if axis and not text:
                self.add_error(f"text_{index}", "Écrivez la préconisation, ou videz son axe.")
            elif text and not axis:
                self.add_error(f"axis_{index}", "Choisissez l'axe de cette préconisation.")
        return data

    def recommendations(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[f"axis_{i}"], self.cleaned_data[f"text_{i}"].strip())
            for i in range(RECOMMENDATION_SLOTS)
            if self.cleaned_data.get(f"axis_{i}")
        ]


class MessageForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    body = forms.CharField(
        label="Votre message", max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
