from django import forms
from django.utils import timezone

from plie.accounts.models import User
from plie.pathways.enums import CommitteeDecision
from plie.pathways.models import CommitteeMeeting


class MeetingForm(forms.ModelForm):
    class Meta:
        model = CommitteeMeeting
        fields = ["held_on", "place"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(
                "Une nouvelle commission se programme à partir d'aujourd'hui."
            )
        return value


class ProposeEntryForm(forms.Form):
    meeting = forms.ModelChoiceField(label="Commission", queryset=CommitteeMeeting.objects.none())
    proposed_referent = forms.ModelChoiceField(
        label="Référent(e) proposé(e) pour le parcours", queryset=User.objects.none()
    )
    note = forms.CharField(
        label="Argumentaire pour la commission",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = CommitteeMeeting.objects.upcoming(timezone.localdate())
        self.fields["meeting"].empty_label = "— Choisir une commission à venir —"
        self.fields["proposed_referent"].queryset = User.objects.referents()


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
