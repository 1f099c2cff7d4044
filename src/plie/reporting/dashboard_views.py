"""The dashboard: five charts of a period, each with its data table, for the coordination
team (the whole PLIE, a structure or a référent), a référent (their own caseload only) and
the steering committee (aggregates only, counts under 5 hidden).

Every number comes from `reporting.indicators` (definitions: docs/indicators.md) or from
one grouped query; a month is at most one query, never a loop over participants.
"""

import dataclasses
import datetime
from collections.abc import Iterable

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.shortcuts import render
from django.utils import timezone

from plie.accounts.models import Organisation, User
from plie.core.forms import clean_period, date_input
from plie.core.suppression import SMALL_COUNT, with_others
from plie.participants.enums import ExitReason
from plie.participants.models import Pathway
from plie.reporting.charts import MASKED, Chart, Series
from plie.reporting.indicators import caseloads_on, exited_in, months, people_by, scope
from plie.territory.models import Programme

SHORT_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
TOP_COMMUNES = 10
TOP_REFERENTS = 30  # a chart of hundreds of bars says nothing (and takes seconds to draw)


def month_label(day: datetime.date) -> str:
    """2026-01-31 → "janv. 2026"."""
    return f"{SHORT_MONTHS[day.month - 1]} {day.year}"


class DashboardForm(forms.Form):
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
            self.fields["structure"].queryset = Organisation.objects.referent_employers().order_by(
                "name"
            )
            self.fields["referent"].queryset = User.objects.referents()
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
        return data


def _scope(user, data) -> tuple[object, str]:
    """The pathways counted (None: the whole PLIE), and the words that say so."""
    if user.is_referent:
        return Pathway.objects.filter(referent=user), "votre file active"
    if not user.is_coordination_team:
        return None, "tout le PLIE"
    structure, referent = data.get("structure"), data.get("referent")
    if not structure and not referent:
        return None, "tout le PLIE"
    pathways, words = Pathway.objects.all(), []
    if structure:
        pathways = pathways.filter(referent__organisation=structure)
        words.append(f"structure {structure}")
    if referent:
        pathways = pathways.filter(referent=referent)
        words.append(f"référent(e) {referent}")
    return pathways, ", ".join(words)


@dataclasses.dataclass(frozen=True)
class Dashboard:
    date_from: datetime.date
    date_to: datetime.date
    pathways: object  # a Pathway queryset, or None for the whole PLIE
    programme: object
    suppress: bool  # hide counts from 1 to 4 (steering committee)

    def hide(self, count: int):
        """A count as shown: None ("< 5") when it could point at a person."""
        return None if self.suppress and 0 < count < SMALL_COUNT else count

    def _series(self, label: str, values: list[int], *, adds_up: bool = False) -> Series:
        """The counts as shown. When the series `adds_up` to a published total (entries of
        the year...), one hidden count alone could be found back by subtraction: the
        smallest shown count is then masked too (« masqué », not « < 5 »)."""
        shown = [self.hide(value) for value in values]
        if adds_up and self.suppress and shown.count(None) == 1:
            visible = [(value, index) for index, value in enumerate(shown) if value]
            if visible:
                shown[min(visible)[1]] = MASKED
        return Series(label, shown)

    def caseload_chart(self) -> Chart:
        loads = caseloads_on(
            [end for _, end in months(self.date_from, self.date_to)],
            pathways=self.pathways,
            programme=self.programme,
        )
        return Chart(
            "file-active",
            "File active en fin de mois, avec et sans étape en cours",
            [month_label(load.day) for load in loads],
            [
                self._series(
                    "Avec une étape en cours", [load.people - load.without_step for load in loads]
                ),
                self._series("Sans étape en cours", [load.without_step for load in loads]),
            ],
            kind="stacked",
            category_header="Fin du mois",
        )

    def _per_month(self, rows, field: str) -> dict[str, int]:
        grouped = (
            rows.order_by()
            .annotate(month=TruncMonth(field))
            .values("month")
            .annotate(count=Count("pk"))
        )
        return {f"{row['month']:%Y-%m}": row["count"] for row in grouped}

    def flows_chart(self) -> Chart:
        base = scope(self.pathways, self.programme)
        entries = self._per_month(
            base.filter(entry_date__range=(self.date_from, self.date_to)), "entry_date"
        )
        exits = self._per_month(base.filter(exited_in(self.date_from, self.date_to)), "exit_date")
        keys = [f"{start:%Y-%m}" for start, _ in months(self.date_from, self.date_to)]
        return Chart(
            "entrees-sorties",
            "Entrées et sorties par mois",
            [month_label(start) for start, _ in months(self.date_from, self.date_to)],
            [
                self._series("Entrées", [entries.get(key, 0) for key in keys], adds_up=True),
                self._series("Sorties", [exits.get(key, 0) for key in keys], adds_up=True),
            ],
            category_header="Mois",
        )

    def _with_others(self, counts: Iterable[tuple[str, int]], others: str, keep: int | None = None):
        return with_others(counts, others, suppress=self.suppress, keep=keep)

    def positive_exits_chart(self) -> Chart:
        rows = (
            scope(self.pathways, self.programme)
            .filter(exited_in(self.date_from, self.date_to), exit_reason=ExitReason.POSITIVE)
            .order_by()
            .values("exit_condition_label")
            .annotate(count=Count("pk"))
        )
        counts: dict[str, int] = {}
        for row in rows:
            label = row["exit_condition_label"] or "Condition non précisée"
            counts[label] = counts.get(label, 0) + row["count"]
        ordered = self._with_others(counts.items(), "Autres conditions")
        return Chart(
            "sorties-positives",
            "Sorties positives par condition remplie",
            [label for label, _ in ordered],
            [self._series("Sorties positives", [count for _, count in ordered])],
            kind="hbars",
            category_header="Condition",
        )

    def _people_by(self, by: str, *, at_end: bool = False) -> list[tuple[str, int]]:
        rows = people_by(
            self.date_from,
            self.date_to,
            by,
            at_end=at_end,
            pathways=self.pathways,
            programme=self.programme,
        )
        return [(label, count) for _, label, count in rows]

    def communes_chart(self) -> Chart:
        people = self._with_others(self._people_by("commune"), "Autres communes", TOP_COMMUNES)
        return Chart(
            "communes",
            "Personnes accompagnées par commune de résidence",
            [label for label, _ in people],
            [self._series("Personnes accompagnées", [count for _, count in people])],
            kind="hbars",
            category_header="Commune",
        )

    def qpv_chart(self) -> Chart:
        people = self._with_others(self._people_by("qpv"), "Regroupés")
        return Chart(
            "qpv",
            "Personnes accompagnées par quartier prioritaire (QPV)",
            [label for label, _ in people],
            [self._series("Personnes accompagnées", [count for _, count in people])],
            kind="hbars",
            category_header="Quartier",
        )

    def referents_chart(self) -> Chart:
        rows = people_by(
            self.date_from,
            self.date_to,
            "referent",
            at_end=True,
            pathways=self.pathways,
            programme=self.programme,
        )
        loads = self._with_others(
            [(label, count) for _, label, count in rows], "Autres référent(e)s", TOP_REFERENTS
        )
        return Chart(
            "referents",
            f"File active par référent(e) au {self.date_to:%d/%m/%Y}",
            [label for label, _ in loads],
            [self._series("File active", [count for _, count in loads])],
            kind="hbars",
            category_header="Référent(e)",
        )

    def charts(self, *, per_referent: bool) -> list[Chart]:
        charts = [
            self.caseload_chart(),
            self.flows_chart(),
            self.positive_exits_chart(),
            self.communes_chart(),
            self.qpv_chart(),
        ]
        if per_referent:
            charts.append(self.referents_chart())
        return charts


@login_required
@permission_required("reporting.view_dashboard", raise_exception=True)
def dashboard_page(request):
    user = request.user
    today = timezone.localdate()
    initial = {"du": datetime.date(today.year, 1, 1), "au": today}
    form = DashboardForm({**initial, **request.GET.dict()}, user=user)
    charts, words = [], ""
    if form.is_valid():
        pathways, words = _scope(user, form.cleaned_data)
        dashboard = Dashboard(
            date_from=form.cleaned_data["du"],
            date_to=form.cleaned_data["au"],
            pathways=pathways,
            programme=Programme.current(),
            suppress=not (user.is_coordination_team or user.is_referent),
        )
        charts = dashboard.charts(per_referent=user.is_coordination_team)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "charts": charts,
            "scope": words,
            "suppress": not (user.is_coordination_team or user.is_referent),
            "small": SMALL_COUNT,
        },
    )
