"""Forms of the pathway in progress: steps, contacts, change of référent, follow-up."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from plie.accounts.models import User
from plie.core.forms import FocusFirstErrorMixin, date_input
from plie.pathways.enums import StepCategory
from plie.pathways.models import Contact, FollowUp, Step, StepType


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
