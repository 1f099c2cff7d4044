"""Committee forms: meetings, proposals of entry and exit, decisions."""

from django import forms
from django.utils import timezone

from plie.accounts.models import User
from plie.committee.enums import DECISIONS
from plie.committee.models import CommitteeMeeting
from plie.core import formatting
from plie.core.collation import by_last_name
from plie.core.forms import (
    EditsRecordMixin,
    FocusFirstErrorMixin,
    SiteFormMixin,
    date_input,
    order_choices_in_french,
)
from plie.core.submissions import SubmitsOnceMixin
from plie.participants.enums import ExitReason


class MeetingForm(SiteFormMixin, SubmitsOnceMixin, forms.ModelForm):
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


class CommitteeProposalForm(SiteFormMixin, SubmitsOnceMixin, FocusFirstErrorMixin, forms.Form):
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
        order_choices_in_french(self.fields["proposed_referent"], key=by_last_name)


class DecisionForm(SiteFormMixin, EditsRecordMixin, forms.Form):
    """The decision on one item (`record=`), from the agenda as its page showed it."""

    watched_fields = ("decision", "meeting")
    decision = forms.ChoiceField(
        label="Décision",
        choices=[(decision.value, decision.label) for decision in DECISIONS],
        widget=forms.RadioSelect,
        error_messages={"required": "choisissez-en une."},
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
        order_choices_in_french(self.fields["referent"], key=by_last_name)


class MoveItemForm(SiteFormMixin, EditsRecordMixin, forms.Form):
    """Another upcoming meeting of the programme for a proposal not yet decided (`record=`)."""

    watched_fields = ("decision", "meeting")

    meeting = forms.ModelChoiceField(
        label="Reporter à la commission", queryset=CommitteeMeeting.objects.none()
    )

    def __init__(self, *args, current: CommitteeMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            CommitteeMeeting.objects.upcoming(timezone.localdate())
            .filter(programme=current.programme_id)
            .exclude(pk=current.pk)
        )
        self.fields["meeting"].empty_label = "— Choisir une commission à venir —"


class ProposeExitForm(CommitteeProposalForm):
    reason = forms.ChoiceField(
        label="Motif de sortie", choices=[("", "— Choisir —"), *ExitReason.choices]
    )
    exit_date = forms.DateField(label="Date de sortie", widget=date_input())
    detail = _note_field("Précisions pour la commission")
