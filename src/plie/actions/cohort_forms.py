"""Action forms: a new action on an agreement (its calendar and content), and a session of a
cohort moved, cancelled or added by hand."""

from decimal import Decimal

from django import forms

from plie.actions.calendar import WEEKDAY_NAMES
from plie.actions.enums import Diagnostic, HalfDay, SessionKind
from plie.agreements.models import Agreement
from plie.core import formatting
from plie.core.forms import FocusFirstErrorMixin, SiteFormMixin, date_input
from plie.core.submissions import SubmitsOnceMixin

WEEKDAYS = [(str(number), name.capitalize()) for number, name in enumerate(WEEKDAY_NAMES)]
# « 3,5 » as French people write it.
HOURS = {
    "max_digits": 3,
    "decimal_places": 1,
    "min_value": Decimal("0.5"),
    "max_value": 6,
    "localize": True,
}


class ActionForm(SiteFormMixin, SubmitsOnceMixin, FocusFirstErrorMixin, forms.Form):
    """A new action on an agreement: what it is, its places, its calendar, its diagnostics."""

    agreement = forms.ModelChoiceField(
        label="Convention", queryset=Agreement.objects.none(), empty_label="— Choisir —"
    )
    title = forms.CharField(label="Intitulé", max_length=200)
    content = forms.CharField(
        label="Contenu",
        max_length=5000,
        required=False,
        help_text="Ateliers collectifs, entretiens individuels, thèmes abordés.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    places = forms.IntegerField(
        label="Places sur la période",
        min_value=1,
        max_value=10000,
        help_text="Par exemple 120 personnes sur l'année.",
    )
    minimum_per_cohort = forms.IntegerField(
        label="Minimum par groupe", min_value=1, max_value=100, initial=8
    )
    maximum_per_cohort = forms.IntegerField(
        label="Maximum par groupe", min_value=1, max_value=100, initial=12
    )
    starts_on = forms.DateField(label="Début de la période", widget=date_input())
    ends_on = forms.DateField(label="Fin de la période", widget=date_input())
    cohort_every_weeks = forms.IntegerField(
        label="Une entrée toutes les (semaines)", min_value=1, max_value=52, initial=3
    )
    cohort_weeks = forms.IntegerField(
        label="Durée d'un groupe (semaines)", min_value=1, max_value=52, initial=3
    )
    weekdays = forms.MultipleChoiceField(
        label="Jours des ateliers",
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Les jours fériés n'ont pas de séance.",
    )
    half_day = forms.ChoiceField(label="Demi-journée", choices=HalfDay.choices)
    hours_per_session = forms.DecimalField(
        label="Heures par demi-journée", initial=Decimal("3.5"), **HOURS
    )
    individual_interviews = forms.IntegerField(
        label="Entretiens individuels par personne", min_value=0, max_value=20, initial=0
    )
    diagnostics = forms.MultipleChoiceField(
        label="Diagnostics réalisés",
        choices=Diagnostic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    for_new_entrants = forms.BooleanField(
        label="Destinée aux personnes qui viennent d'entrer", required=False
    )
    is_open = forms.BooleanField(label="Ouverte aux orientations", required=False, initial=True)

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        agreements = Agreement.objects.select_related("provider").order_by("-starts_on")
        if programme is not None:
            agreements = agreements.filter(programme=programme)
        self.fields["agreement"].queryset = agreements
        self.fields["agreement"].label_from_instance = lambda agreement: (
            f"{agreement.reference} — {agreement.provider} ({formatting.day(agreement.starts_on)}"
            f" – {formatting.day(agreement.ends_on)})"
        )

    def clean_weekdays(self):
        days = [int(day) for day in self.cleaned_data["weekdays"]]
        if not days:
            raise forms.ValidationError(
                "Cochez au moins un jour d'atelier : sans jour, aucune séance ne peut être prévue."
            )
        return days

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La fin de la période suit son début : corrigez la date.")
        low, high = data.get("minimum_per_cohort"), data.get("maximum_per_cohort")
        if low and high and high < low:
            self.add_error(
                "maximum_per_cohort",
                "Le maximum par groupe est au moins le minimum : corrigez l'un des deux.",
            )
        return data


class SessionMoveForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    date = forms.DateField(label="Nouvelle date", widget=date_input())
    half_day = forms.ChoiceField(label="Demi-journée", choices=HalfDay.choices)


class SessionCancelForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    reason = forms.CharField(
        label="Motif de l'annulation",
        max_length=300,
        help_text="Par exemple : intervenante malade, salle indisponible.",
    )


class SessionAddForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    date = forms.DateField(label="Date", widget=date_input())
    half_day = forms.ChoiceField(label="Demi-journée", choices=HalfDay.choices)
    kind = forms.ChoiceField(label="Nature", choices=SessionKind.choices)
    hours = forms.DecimalField(label="Durée (heures)", initial=Decimal("3.5"), **HOURS)
    topic = forms.CharField(label="Thème", max_length=200, required=False)
