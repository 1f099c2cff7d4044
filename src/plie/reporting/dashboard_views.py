"""The dashboard page: the period and the scope chosen in a form, the charts of
`reporting.dashboard` with their data tables."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from plie.accounts.models import Organisation, User
from plie.core import queries
from plie.core.collation import by_last_name
from plie.core.forms import SiteFormMixin, clean_period, date_input, order_choices_in_french
from plie.core.kept import FRESH_FOR, Kept
from plie.reporting.catalogue import small_counts_for
from plie.reporting.dashboard import DashboardParameters, Scope, charts_of, default_period
from plie.reporting.targets import achievement_on
from plie.territory.models import Programme


class DashboardForm(SiteFormMixin, forms.Form):
    du = forms.DateField(label="Du", widget=date_input())
    au = forms.DateField(label="Au", widget=date_input())
    structure = forms.ModelChoiceField(
        Organisation.objects.none(), label="Structure", required=False, empty_label="Toutes"
    )
    referent = forms.ModelChoiceField(
        User.objects.none(), label="Référent(e)", required=False, empty_label="Tous"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field, forms.ModelChoiceField) else "form-control"
            )
        if user.is_coordination_team:
            self.fields["structure"].queryset = Organisation.objects.referent_employers()
            self.fields["referent"].queryset = User.objects.referents()
            order_choices_in_french(self.fields["structure"])
            order_choices_in_french(self.fields["referent"], key=by_last_name)
        else:
            # A référent sees their own caseload, the steering committee the whole PLIE.
            del self.fields["structure"], self.fields["referent"]

    def clean(self):
        data = super().clean()
        clean_period(
            self,
            "du",
            "au",
            today=timezone.localdate(),
            too_long="Choisissez une période de cinq ans au plus, pour que les graphiques "
            "restent lisibles.",
        )
        structure, referent = data.get("structure"), data.get("referent")
        if structure and referent and referent.organisation_id != structure.pk:
            self.add_error(
                "referent",
                f"{referent} ne travaille pas dans la structure {structure} : choisissez "
                "l'une ou l'autre, ou un(e) référent(e) de cette structure.",
            )
        return data


def _scope(user, data) -> tuple[Scope, str]:
    """Whose pathways are counted, and the words that say so."""
    if user.is_referent:
        return Scope(referent_id=user.pk), "votre file active"
    if not user.is_coordination_team:
        return Scope(), "tout le PLIE"
    structure, referent = data.get("structure"), data.get("referent")
    words = []
    if structure:
        words.append(f"structure {structure}")
    if referent:
        words.append(f"référent(e) {referent}")
    scope = Scope(
        organisation_id=structure.pk if structure else None,
        referent_id=referent.pk if referent else None,
    )
    return scope, ", ".join(words) or "tout le PLIE"


@login_required
@permission_required("reporting.view_dashboard", raise_exception=True)
def dashboard_page(request):
    user = request.user
    today = timezone.localdate()
    date_from, date_to = default_period(today)
    initial = {"du": date_from, "au": date_to}
    form = DashboardForm(
        {**initial, **queries.form_data(request, DashboardForm.base_fields)}, user=user
    )
    computed, words = Kept.now([]), ""
    small = small_counts_for(user)
    suppress = small.hides
    targets = None
    if form.is_valid():
        scope, words = _scope(user, form.cleaned_data)
        parameters = DashboardParameters(
            form.cleaned_data["du"],
            form.cleaned_data["au"],
            scope,
            suppress=suppress,
            per_referent=user.is_coordination_team,
        )
        if user.is_referent:  # a caseload of a hundred people: always up to date
            computed = Kept.now(parameters.compute(Programme.current()))
        else:
            computed = charts_of(parameters, Programme.current())
        # The programme's targets are the whole PLIE's and its operations': not a référent's.
        if not user.is_referent and words == "tout le PLIE":
            targets = achievement_on(Programme.current(), form.cleaned_data["au"], small=small)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "charts": computed.value,
            "computed_at": computed.computed_at,
            "refreshing": computed.refreshing,
            "fresh_minutes": int(FRESH_FOR.total_seconds() // 60),
            "scope": words,
            "suppress": suppress,
            "targets": targets,
        },
    )
