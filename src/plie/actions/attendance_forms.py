"""The forms of attendance: a session's presences (one radio group per person), its signed
sheet, and the period and cohort of a statement of days delivered."""

from __future__ import annotations

from django import forms

from plie.actions.enums import Presence
from plie.core.forms import SiteFormMixin, date_input
from plie.core.uploads import DocumentField


class AttendanceForm(SiteFormMixin, forms.Form):
    """One field per expected person (`p<referral id>`), present / absent / excused; a person
    left blank keeps what was recorded."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[self.key(row.referral.pk)] = forms.ChoiceField(
                label=row.name,
                choices=Presence.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=row.presence or None,
            )

    @staticmethod
    def key(referral_id: int) -> str:
        return f"p{referral_id}"

    def presences(self) -> dict[int, str]:
        return {
            row.referral.pk: self.cleaned_data[self.key(row.referral.pk)]
            for row in self.rows
            if self.cleaned_data.get(self.key(row.referral.pk))
        }

    def people(self):
        """(row, bound field) for the template: each person's radio group."""
        return [(row, self[self.key(row.referral.pk)]) for row in self.rows]


class SignedSheetForm(SiteFormMixin, forms.Form):
    document = DocumentField(
        label="Feuille d'émargement signée",
        help_text="Le scan en PDF, ou une photo en JPEG ou en PNG.",
    )


class StatementForm(SiteFormMixin, forms.Form):
    """The period (by default the action's) and, optionally, one cohort; read from the query
    string (du, au, groupe)."""

    du = forms.DateField(label="Du", widget=date_input())
    au = forms.DateField(label="Au", widget=date_input())
    groupe = forms.TypedChoiceField(
        label="Groupe", coerce=int, required=False, empty_value=None, choices=()
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["groupe"].choices = [("", "Tous les groupes")] + [
            (cohort.pk, str(cohort)) for cohort in action.cohorts.all()
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and end < start:
            raise forms.ValidationError(
                "La date de fin précède la date de début : inversez les deux dates."
            )
        return cleaned
