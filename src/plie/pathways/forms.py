"""Forms of the committee and of the pathway in progress (steps, contacts, exits)."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from plie.accounts.models import User
from plie.core import formatting
from plie.core.forms import FocusFirstErrorMixin, date_input
from plie.participants.enums import ExitReason
from plie.pathways.enums import CommitteeDecision, StepCategory
from plie.pathways.models import CommitteeMeeting, Contact, FollowUp, Step, StepType


class MeetingForm(forms.ModelForm):
    """A new meeting: from today, within two years (a mistyped year is caught), one per day."""

    MAX_YEARS_AHEAD = 2

    class Meta:
        model = CommitteeMeeting
        fields = ["held_on", "place"]
        widgets = {"held_on": date_input()}

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(
                "Une nouvelle commission se programme à partir d'aujourd'hui."
            )
        try:
            limit = today.replace(year=today.year + self.MAX_YEARS_AHEAD)
        except ValueError:  # 29 February
            limit = today.replace(year=today.year + self.MAX_YEARS_AHEAD, day=28)
        if value > limit:
            raise forms.ValidationError(
                f"Le {formatting.day(value)} est à plus de deux ans : vérifiez l'année."
            )
        same_day = CommitteeMeeting.objects.filter(held_on=value)
        if self.programme is not None:
            same_day = same_day.filter(programme=self.programme)
        if same_day.exists():
            raise forms.ValidationError(
                f"Une commission est déjà programmée le {formatting.day(value)} : "
                "ouvrez-la plutôt que d'en créer une seconde."
            )
        return value


class CommitteeProposalForm(FocusFirstErrorMixin, forms.Form):
    """A proposal goes on the agenda of an upcoming meeting, with a note for the committee."""

    meeting = forms.ModelChoiceField(label="Commission", queryset=CommitteeMeeting.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = CommitteeMeeting.objects.upcoming(timezone.localdate())
        self.fields["meeting"].empty_label = "— Choisir une commission à venir —"


def _note_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposeEntryForm(CommitteeProposalForm):
    proposed_referent = forms.ModelChoiceField(
        label="Référent(e) proposé(e) pour le parcours", queryset=User.objects.none()
    )
    note = _note_field("Argumentaire pour la commission")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_referent"].queryset = User.objects.referents()
        self.fields["proposed_referent"].empty_label = "— Choisir —"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[(c.value, c.label) for c in CommitteeDecision if c != CommitteeDecision.PENDING],
        widget=forms.RadioSelect,
    )
    referent = forms.ModelChoiceField(
        label="Référent(e) du parcours", queryset=User.objects.none(), required=False
    )
    reason = forms.CharField(
        label="Motif (obligatoire si refus ou ajournement)", max_length=1000, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = User.objects.referents()
        self.fields["referent"].empty_label = "Le ou la référente proposée"


class StepForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = Step
        fields = [
            "step_type",
            "organisation_name",
            "start_date",
            "planned_end_date",
            "end_date",
            "weekly_hours",
            "part_time_agreed",
            "outcome",
            "notes",
        ]
        widgets = {
            "start_date": date_input(),
            "planned_end_date": date_input(),
            "end_date": date_input(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        localized_fields = ["weekly_hours"]  # "24,5" as French people write it
        help_texts = {
            "weekly_hours": "Obligatoire pour un emploi ou un contrat d'insertion (ex. 24,5).",
            "end_date": "À remplir quand l'étape est terminée.",
        }

    def __init__(self, *args, show_sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        types = StepType.objects.filter(is_active=True)
        if self.instance.pk:
            types = StepType.objects.filter(Q(is_active=True) | Q(pk=self.instance.step_type_id))
        self.fields["step_type"].queryset = types
        # Grouped by family, in the catalogue's order: 26 types are easier to find so.
        groups: dict[str, list] = {}
        for step_type in types.order_by("order", "label"):
            family = StepCategory(step_type.category).label
            groups.setdefault(family, []).append((step_type.pk, step_type.label))
        self.fields["step_type"].choices = [
            ("", "— Choisir le type d'étape —"),
            *groups.items(),
        ]
        if not show_sensitive:
            del self.fields["notes"]


class ContactForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["contacted_on", "mode", "duration_minutes", "summary", "next_appointment"]
        widgets = {
            "contacted_on": date_input(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "next_appointment": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, show_sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()
        self.fields["mode"].choices = [("", "— Choisir —"), *self.fields["mode"].choices[1:]]
        if not show_sensitive:
            del self.fields["summary"]


class TransferForm(FocusFirstErrorMixin, forms.Form):
    new_referent = forms.ModelChoiceField(
        label="Référent(e) qui reprend le parcours", queryset=User.objects.none()
    )
    reason = forms.CharField(label="Motif du changement", max_length=500)

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        referents = User.objects.referents()
        if current is not None:
            referents = referents.exclude(pk=current.pk)
        self.fields["new_referent"].queryset = referents
        self.fields["new_referent"].empty_label = "— Choisir —"


class ProposeExitForm(CommitteeProposalForm):
    reason = forms.ChoiceField(
        label="Motif de sortie", choices=[("", "— Choisir —"), *ExitReason.choices]
    )
    exit_date = forms.DateField(label="Date de sortie", widget=date_input())
    detail = _note_field("Précisions pour la commission")


class FollowUpForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["done_on", "situation", "note"]
        widgets = {"done_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].required = True
        self.fields["situation"].required = True
        self.fields["situation"].choices = [
            ("", "— Choisir —"),
            *self.fields["situation"].choices[1:],
        ]
