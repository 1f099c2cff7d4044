"""Forms of the participant record. The fields the personal-data register calls sensitive
are removed for users who may not see them."""

import datetime

from django import forms
from django.utils import timezone

from plie.accounts.models import Organisation, User
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
from plie.participants.enums import (
    AppointmentOutcome,
    OutreachMode,
    OutreachResult,
    ParticipantStatus,
    ReferralOutcome,
)
from plie.participants.models import Participant, Referral
from plie.participants.names import name_key
from plie.participants.validators import postcode_of_another_departement
from plie.territory.models import Commune, Qpv


class YesNoSelect(forms.NullBooleanSelect):
    """Oui / Non / Non renseigné; a saved answer is shown selected again (True → "true")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        # "unknown", not "": the select matches values by substring, and "" is in "true".
        self.choices = [("unknown", "Non renseigné"), ("true", "Oui"), ("false", "Non")]


class YesNoField(forms.NullBooleanField):
    widget = YesNoSelect


class ParticipantForm(SiteFormMixin, EditsRecordMixin, FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = [
            "last_name",
            "birth_name",
            "first_name",
            "sex",
            "birth_date",
            "phone",
            "email",
            "address",
            "postcode",
            "commune",
            "commune_outside_territory",
            "qpv",
            "nationality",
            "right_to_work",
            "foreign_background",
            "minority",
        ]
        widgets = {"birth_date": date_input()}
        field_classes = {
            "right_to_work": YesNoField,
            "foreign_background": YesNoField,
            "minority": YesNoField,
        }

    def __init__(self, *args, show_sensitive: bool, programme, **kwargs):
        super().__init__(*args, **kwargs)
        remove_sensitive_fields(self, "participants.Participant", show_sensitive)
        self.fields["commune"].queryset = Commune.objects.filter(programme=programme)
        self.fields["commune"].empty_label = "— Choisir la commune —"
        self.fields["qpv"].queryset = Qpv.objects.filter(
            commune__programme=programme
        ).select_related("commune")
        self.fields["qpv"].empty_label = "Hors QPV"
        order_choices_in_french(self.fields["commune"])
        order_choices_in_french(
            self.fields["qpv"], key=lambda qpv: f"{qpv.commune.name} {qpv.name}"
        )
        self.fields["sex"].choices = [("", "— Choisir —"), *self.fields["sex"].choices[1:]]
        if "nationality" in self.fields:
            self.fields["nationality"].choices = [
                ("", "Non renseignée"),
                *self.fields["nationality"].choices[1:],
            ]

    def clean(self):
        data = super().clean()
        commune, outside = data.get("commune"), data.get("commune_outside_territory", "").strip()
        if commune and outside:
            self.add_error(
                "commune_outside_territory",
                "Choisissez une commune du territoire ou indiquez une commune hors territoire, pas les deux.",
            )
        if not commune and not outside and "commune" not in self.errors:
            self.add_error(
                "commune",
                "Choisissez la commune de résidence, ou indiquez la commune hors territoire plus bas.",
            )
        qpv = data.get("qpv")
        if qpv and commune and qpv.commune_id != commune.pk:
            self.add_error(
                "qpv",
                f"Le quartier {qpv.name} n'est pas à {commune.name} : corrigez la commune ou le quartier.",
            )
        if qpv and not commune:
            self.add_error("qpv", "Un quartier prioritaire suppose une commune du territoire.")
        mismatch = commune and postcode_of_another_departement(
            data.get("postcode") or "", commune.postcode, commune.name
        )
        if mismatch:
            self.add_error("postcode", mismatch)
        if outside:
            inside = [
                c for c in self.fields["commune"].queryset if name_key(c.name) == name_key(outside)
            ]
            if inside:
                self.add_error(
                    "commune_outside_territory",
                    f"{inside[0].name} fait partie du territoire : choisissez-la dans la liste "
                    "« Commune de résidence » et laissez ce champ vide.",
                )
        return data


class ReferralForm(SiteFormMixin, SubmitsOnceMixin, FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["prescriber", "prescriber_contact", "referred_on", "reason"]
        widgets = {"referred_on": date_input(), "reason": forms.Textarea(attrs={"rows": 3})}

    referent = forms.ModelChoiceField(
        label="Référent(e) chargé(e) du premier rendez-vous", queryset=User.objects.none()
    )

    def __init__(self, *args, programme, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("referred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["prescriber"].queryset = Organisation.objects.prescribers().filter(
            programme=programme
        )
        self.fields["prescriber"].empty_label = "— Choisir le prescripteur —"
        order_choices_in_french(self.fields["prescriber"])
        if user.is_referent:
            self.fields.pop("referent")
        else:
            self.fields["referent"].queryset = User.objects.referents()
            self.fields["referent"].empty_label = "— Choisir le ou la référente —"
            order_choices_in_french(self.fields["referent"], key=by_last_name)


class DuplicateConfirmationForm(SiteFormMixin, forms.Form):
    confirm_new_person = forms.BooleanField(
        label="J'ai vérifié : il s'agit d'une autre personne",
        required=False,
    )


class AppointmentForm(SiteFormMixin, SubmitsOnceMixin, forms.Form):
    scheduled_for = forms.DateTimeField(
        label="Date et heure du rendez-vous",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    place = forms.CharField(label="Lieu", max_length=200, required=False)


class AppointmentOutcomeForm(SiteFormMixin, EditsRecordMixin, forms.Form):
    """The outcome of one appointment (`record=`), as its line on the page showed it."""

    watched_fields = ("scheduled_for", "outcome")
    outcome = forms.ChoiceField(
        label="Issue du rendez-vous",
        choices=[(c.value, c.label) for c in AppointmentOutcome if c != AppointmentOutcome.PLANNED],
        widget=forms.RadioSelect,
    )


class OutreachAttemptForm(SiteFormMixin, SubmitsOnceMixin, forms.Form):
    attempted_on = forms.DateField(label="Date de la tentative", widget=date_input())
    mode = forms.ChoiceField(label="Moyen", choices=OutreachMode.choices)
    result = forms.ChoiceField(label="Résultat", choices=OutreachResult.choices)
    note = forms.CharField(label="Commentaire", max_length=500, required=False)
    new_appointment = forms.DateTimeField(
        label="Nouveau rendez-vous (si fixé)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )

    def __init__(self, *args, show_sensitive: bool = True, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("attempted_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        remove_sensitive_fields(self, "participants.OutreachAttempt", show_sensitive)

    def clean_attempted_on(self):
        value = self.cleaned_data["attempted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Une tentative ne peut pas être datée dans le futur.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("result") == OutreachResult.NEW_APPOINTMENT and not data.get("new_appointment"):
            self.add_error("new_appointment", "Indiquez la date et l'heure du nouveau rendez-vous.")
        return data


class CloseReferralForm(SiteFormMixin, EditsRecordMixin, forms.Form):
    """The referral (`record=`) closed without entry, from the state its page showed."""

    watched_fields = ("status",)
    outcome = forms.ChoiceField(
        label="Issue",
        choices=[
            (c.value, c.label)
            for c in (
                ReferralOutcome.UNREACHABLE,
                ReferralOutcome.DECLINED,
                ReferralOutcome.NOT_ELIGIBLE,
                ReferralOutcome.REDIRECTED,
            )
        ],
    )
    closed_on = forms.DateField(label="Date de clôture", widget=date_input())
    note = forms.CharField(label="Précision", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("closed_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("La clôture ne peut pas être datée dans le futur.")
        return value


class ParticipantFilterForm(SiteFormMixin, forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Nom, prénom, numéro de dossier ou date de naissance (jj/mm/aaaa)",
    )
    status = forms.ChoiceField(
        label="Situation", required=False, choices=[("", "Toutes"), *ParticipantStatus.choices]
    )
    commune = forms.ModelChoiceField(
        label="Commune", required=False, queryset=Commune.objects.all(), empty_label="Toutes"
    )
    qpv = forms.ChoiceField(
        label="QPV",
        required=False,
        choices=[("", "Tous"), ("yes", "Habite un QPV"), ("no", "Hors QPV")],
    )
    rsa = forms.ChoiceField(
        label="RSA",
        required=False,
        choices=[("", "Tous"), ("yes", "Bénéficiaire du RSA"), ("no", "Non bénéficiaire")],
    )
    referent = forms.ModelChoiceField(
        label="Référent(e)", required=False, queryset=User.objects.none(), empty_label="Tous"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.has_perm("participants.read_sensitive_data"):
            self.fields.pop("rsa")
        order_choices_in_french(self.fields["commune"])
        if user.is_coordination_team:
            self.fields["referent"].queryset = User.objects.referents()
            order_choices_in_french(self.fields["referent"], key=by_last_name)
        else:
            self.fields.pop("referent")

    def birth_date(self) -> datetime.date | None:
        text = (self.cleaned_data.get("q") or "").strip()
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        return None
