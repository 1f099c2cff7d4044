"""Referral forms: the référent's referral from the participant's file, the provider's
answers (accept, decline, propose another cohort) and the outcome of the action."""

from django import forms
from django.utils import timezone

from plie.actions import referrals as services
from plie.actions import sharing
from plie.actions.enums import Diagnostic, DropOutReason, ReferralStatus
from plie.actions.models import Action, Cohort
from plie.core.forms import FocusFirstErrorMixin, SiteFormMixin, date_input
from plie.core.plurals import counted
from plie.core.submissions import SubmitsOnceMixin


class CohortChoiceField(forms.ModelChoiceField):
    """A cohort, named with its action and the places left (its queryset `with_places()`:
    counted in the query that lists them, not once per option)."""

    def label_from_instance(self, obj: Cohort) -> str:
        left = max(obj.capacity - obj.taken, 0)
        places = counted(left, "une place restante") if left else "complet, liste d'attente"
        return f"{obj.action} — {obj} — {places}"


class ReferralForm(SiteFormMixin, SubmitsOnceMixin, FocusFirstErrorMixin, forms.Form):
    action = forms.ModelChoiceField(
        label="Action",
        queryset=Action.objects.none(),
        required=False,
        empty_label="— Choisir —",
        help_text="Sans groupe choisi, le prestataire proposera le groupe.",
    )
    cohort = CohortChoiceField(
        label="Groupe",
        queryset=Cohort.objects.none(),
        required=False,
        empty_label="— Le prestataire choisit —",
    )
    expected_diagnostics = forms.MultipleChoiceField(
        label="Diagnostics attendus",
        choices=Diagnostic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Seulement ceux que l'action réalise.",
    )
    reason = forms.CharField(
        label="Motif de l'orientation",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Le prestataire le lit : n'y écrivez ni santé, ni justice, ni minima sociaux.",
    )
    shared_fields = forms.MultipleChoiceField(
        label="Informations transmises au prestataire",
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Le nom et le prénom sont toujours transmis. Aucune donnée sensible ne peut "
        "l'être.",
    )

    def __init__(self, *args, programme=None, chosen_pk=None, **kwargs):
        super().__init__(*args, **kwargs)
        actions = Action.objects.filter(is_open=True).select_related("agreement__provider")
        if programme is not None:
            actions = actions.filter(programme=programme)
        self.fields["action"].queryset = actions.order_by("title", "pk")
        # The action chosen first (an unknown number is ignored): its groups and diagnostics.
        self.chosen = actions.filter(pk=chosen_pk).first() if chosen_pk else None
        if self.chosen is not None:
            actions = actions.filter(pk=self.chosen.pk)
            self.fields["action"].initial = self.chosen.pk
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(
                action__in=actions, cancelled=False, starts_on__gt=timezone.localdate()
            )
            .select_related("action")
            .with_places()
            .order_by("action__title", "starts_on", "number")
        )
        offered = {value for action in actions for value in (action.diagnostics or [])}
        self.fields["expected_diagnostics"].choices = [
            (value, label) for value, label in Diagnostic.choices if value in offered
        ]
        self.fields["shared_fields"].choices = sharing.choices()

    def clean(self):
        data = super().clean()
        action, cohort = data.get("action"), data.get("cohort")
        if cohort is not None and action is None:
            data["action"] = cohort.action
        elif cohort is not None and cohort.action_id != action.pk:
            self.add_error("cohort", "Ce groupe n'est pas un groupe de l'action choisie.")
        elif action is None and not self.has_error("action"):
            self.add_error("action", "Choisissez l'action, ou l'un de ses groupes.")
        return data


class AcceptForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    prefix = "accept"
    cohort = CohortChoiceField(
        label="Groupe", queryset=Cohort.objects.none(), empty_label="— Choisir un groupe —"
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = services.open_cohorts(referral.action)
        self.fields["cohort"].initial = referral.cohort_id


class DeclineForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    prefix = "decline"
    reason = forms.CharField(
        label="Motif du refus", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposeForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    prefix = "propose"
    cohort = CohortChoiceField(
        label="Groupe proposé",
        queryset=Cohort.objects.none(),
        empty_label="— Choisir un groupe —",
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = services.open_cohorts(referral.action).exclude(
            pk=referral.cohort_id or 0
        )


class CloseForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    prefix = "close"
    outcome = forms.ChoiceField(
        label="Issue",
        choices=[
            (ReferralStatus.COMPLETED.value, ReferralStatus.COMPLETED.label),
            (ReferralStatus.DROPPED_OUT.value, ReferralStatus.DROPPED_OUT.label),
        ],
    )
    ended_on = forms.DateField(label="Fin de l'action pour la personne", widget=date_input())
    drop_out_reason = forms.ChoiceField(
        label="Motif de l'abandon",
        choices=[("", "— Sans objet —"), *DropOutReason.choices],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ReferralStatus.DROPPED_OUT and not data.get("drop_out_reason"):
            self.add_error("drop_out_reason", "Choisissez le motif de l'abandon.")
        return data
