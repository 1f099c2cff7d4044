"""Forms of a pathway: its entry file, then steps, contacts, change of référent, follow-up.

The fields the personal-data register calls sensitive are removed for users who may not see
them."""

from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone

from plie.accounts.models import User
from plie.core.collation import by_last_name
from plie.core.forms import (
    EditsRecordMixin,
    FocusFirstErrorMixin,
    SiteFormMixin,
    date_input,
    order_choices_in_french,
    remove_sensitive_fields,
)
from plie.core.submissions import SubmitsOnceMixin
from plie.participants.forms import YesNoField
from plie.pathways.enums import StepCategory
from plie.pathways.models import ENTRY_FILE_FIELDS, Contact, FollowUp, Pathway, Step, StepType
from plie.pathways.recording import WITHDRAWAL_REASON_MISSING, early_start
from plie.territory.models import BarrierType, EducationLevel


class EntryFileForm(SiteFormMixin, EditsRecordMixin, FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = Pathway
        fields = ENTRY_FILE_FIELDS
        widgets = {
            "out_of_work_since": date_input(),
            "barriers": forms.CheckboxSelectMultiple,
            "entry_notes": forms.Textarea(attrs={"rows": 4}),
        }
        # Oui / Non / Non renseigné for every yes-no question of the file.
        field_classes = {
            name: YesNoField
            for name in ENTRY_FILE_FIELDS
            if isinstance(Pathway._meta.get_field(name), models.BooleanField)
        }

    def __init__(self, *args, show_sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_sensitive = show_sensitive
        remove_sensitive_fields(self, "pathways.Pathway", show_sensitive)
        # A retired value stays offered where it is already chosen (it would be lost).
        barriers = BarrierType.objects.filter(is_active=True)
        level = EducationLevel.objects.filter(is_active=True)
        if self.instance.pk:
            barriers |= BarrierType.objects.filter(pk__in=self.instance.barriers.all())
            level |= EducationLevel.objects.filter(pk=self.instance.education_level_id)
        if not show_sensitive:  # the register: some barrier types are sensitive values
            barriers = barriers.filter(is_sensitive=False)
        self.fields["barriers"].queryset = barriers.distinct()
        self.fields["education_level"].queryset = level.distinct()
        self.fields["labour_market_status"].choices = [
            ("", "Non renseignée"),
            *self.fields["labour_market_status"].choices[1:],
        ]
        self.fields["education_level"].empty_label = "Non renseigné"
        order_choices_in_french(self.fields["barriers"])
        for name in ("project_maturity", "autonomy"):
            self.fields[name].choices = [("", "Non renseignée"), *self.fields[name].choices[1:]]

    def clean_dependent_children(self):
        value = self.cleaned_data.get("dependent_children")
        if value is not None and value > 20:
            raise forms.ValidationError("Vérifiez le nombre d'enfants à charge (20 au plus).")
        return value

    def entry_file_data(self) -> dict:
        """The file's fields this user filled in, as `entry.update_entry_file` takes them (the
        sensitive barriers hidden from this user are kept there)."""
        return {name: self.cleaned_data[name] for name in ENTRY_FILE_FIELDS if name in self.fields}


class AssessEligibilityForm(SiteFormMixin, SubmitsOnceMixin, forms.Form):
    """The « Examiner l'éligibilité » button: a double click examines once."""


class StepForm(
    SiteFormMixin, SubmitsOnceMixin, EditsRecordMixin, FocusFirstErrorMixin, forms.ModelForm
):
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

    confirm_early_start = forms.BooleanField(
        label="Je confirme : l'étape a bien commencé à cette date, avant l'entrée",
        required=False,
    )

    def __init__(self, *args, show_sensitive: bool = True, entry_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry_date = entry_date
        self.saved_start = self.instance.start_date if self.instance.pk else None
        self.needs_confirmation = False
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
        remove_sensitive_fields(self, "pathways.Step", show_sensitive)

    def clean(self):
        """A start long before the entry is saved once confirmed (a start already saved and
        unchanged is not asked again)."""
        data = super().clean()
        start = data.get("start_date")
        if start is None or start == self.saved_start:
            return data
        warning = early_start(start, self.entry_date)
        if warning and not data.get("confirm_early_start"):
            self.needs_confirmation = True
            self.add_error("start_date", warning)
        return data

    def step_data(self) -> dict:
        """The step's own fields, as the services take them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class ContactForm(
    SiteFormMixin, SubmitsOnceMixin, EditsRecordMixin, FocusFirstErrorMixin, forms.ModelForm
):
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
        remove_sensitive_fields(self, "pathways.Contact", show_sensitive)

    def contact_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class WithdrawalForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    reason = forms.CharField(
        label="Motif du retrait",
        max_length=500,
        help_text="Par exemple : saisie en double, erreur de personne, étape qui n'a pas eu lieu.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": WITHDRAWAL_REASON_MISSING},
    )


class TransferForm(SiteFormMixin, EditsRecordMixin, FocusFirstErrorMixin, forms.Form):
    """The pathway (`record=`) handed to another référent, from the one its page named."""

    watched_fields = ("referent",)

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
        order_choices_in_french(self.fields["new_referent"], key=by_last_name)


class FollowUpForm(SiteFormMixin, EditsRecordMixin, FocusFirstErrorMixin, forms.ModelForm):
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
