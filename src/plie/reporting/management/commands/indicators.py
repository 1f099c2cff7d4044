"""`plie indicators --from DATE --to DATE [--json] [--budget EUROS] [--referent USERNAME]
[--by DIMENSION] [--hide-small]`: the PLIE's figures over a period, beside those of the same
period a year earlier, in French or as JSON; with `--hide-small`, small counts hidden by the
same rule as the steering committee's pages (core.suppression). The cost per person divides
the annual programme's budget of the period (reporting.budget); `--budget` overrides it.

Every figure, its label, its format and its JSON key come from the indicator catalogue
(`reporting.catalogue`), listed in docs/indicators.md. Only counts, shares and averages are
printed, never a participant's data; a breakdown names référents and organisations, which
are staff and partners, not people accompanied.
"""

import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand
from django.utils import timezone

from plie.accounts.models import User
from plie.core import formatting
from plie.core.dates import parse_command_date
from plie.core.management import Erreur
from plie.core.suppression import HIDE_SMALL, SHOW_ALL, SmallCounts, legend
from plie.reporting.budget import period_budget
from plie.reporting.catalogue import (
    CATALOGUE,
    FIGURES,
    OF_THE_PLIE_ONLY,
    AsCount,
    previous_year,
    reading,
)
from plie.reporting.dimensions import BREAKDOWNS, DIMENSIONS
from plie.reporting.indicators import breakdown, figures
from plie.territory.models import Programme

# The breakdown's table: one column per figure, by its short header.
TABLE = (
    "people_accompanied",
    "active_caseload",
    "entries",
    "exits",
    "positive_exit_rate",
    "share_women",
    "share_rsa",
)
NO_BUDGET = (
    "enregistrez la programmation annuelle de la période (menu « Programmation ») ou "
    "donnez son budget avec --budget"
)


def _parse_budget(value: str) -> Decimal:
    text = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        budget = Decimal(text.removesuffix("€"))
    except InvalidOperation:
        budget = None
    if budget is None or not budget.is_finite() or budget < 0:
        raise Erreur(
            f"Budget illisible : « {value} ». Donnez un montant en euros, "
            "par exemple 1200000 ou 1200000,50."
        )
    return budget


GROUP_KEYS = [figure.key for figure in FIGURES if figure.key not in OF_THE_PLIE_ONLY]


def figures_payload(computed, keys=None, small: SmallCounts = SHOW_ALL) -> dict:
    """The figures as JSON values, in the catalogue's order (`keys`: every figure a
    breakdown group has by default); a hidden count reads its mark (« < 5 »)."""
    return {key: CATALOGUE[key].machine(computed, small) for key in keys or GROUP_KEYS}


def shown_groups(groups, keys, small: SmallCounts) -> list[dict]:
    """Each group's figures as shown. A breakdown's counts add up to the total (one person,
    one group), so each count column is protected as one group of counts (`parts`)."""
    shown = [{key: CATALOGUE[key].shown(group.figures, small) for key in keys} for group in groups]
    if not small.hides:
        return shown
    for key in keys:
        values = [CATALOGUE[key].value(group.figures) for group in groups]
        if isinstance(CATALOGUE[key].small, AsCount) and all(isinstance(v, int) for v in values):
            for row, mark in zip(shown, small.parts(values), strict=True):
                row[key] = mark
    return shown


class Command(BaseCommand):
    help = (
        "Chiffres clés du PLIE sur une période, à côté de ceux de la même période un an plus "
        "tôt : personnes accompagnées, file active, sorties…"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="date_from", help="premier jour (par défaut le 1er janvier)"
        )
        parser.add_argument(
            "--to", dest="date_to", help="dernier jour, inclus (par défaut aujourd'hui)"
        )
        parser.add_argument("--json", action="store_true", help="sortie JSON")
        parser.add_argument(
            "--budget",
            help="budget de la période en euros (coût par personne accompagnée) ; par défaut "
            "celui de la programmation annuelle",
        )
        parser.add_argument(
            "--referent", help="identifiant d'un(e) référent(e) : ses parcours seulement"
        )
        parser.add_argument("--by", choices=BREAKDOWNS, help="ventilation des chiffres")
        parser.add_argument(
            "--hide-small",
            action="store_true",
            help="masque les petits effectifs comme pour le comité de pilotage",
        )

    def handle(self, *args, **options):
        date_to = (
            parse_command_date(options["date_to"]) if options["date_to"] else timezone.localdate()
        )
        date_from = (
            parse_command_date(options["date_from"])
            if options["date_from"]
            else date_to.replace(month=1, day=1)
        )
        if date_to < date_from:
            raise Erreur(
                f"La période se termine le {formatting.day(date_to)}, avant son début le "
                f"{formatting.day(date_from)} : inversez --from et --to."
            )
        given = _parse_budget(options["budget"]) if options["budget"] else None
        pathways = None
        referent = options["referent"]
        if referent:
            user = User.objects.filter(username=referent).first()
            if user is None:
                raise Erreur(
                    f"Aucun compte « {referent} » : donnez l'identifiant de connexion "
                    "d'un(e) référent(e)."
                )
            pathways = user.pathways.all()
        programme = Programme.current()
        communes = programme.communes.count() if programme else 0
        earlier_from, earlier_to = previous_year(date_from, date_to)
        computed = figures(date_from, date_to, pathways=pathways, programme=programme)
        earlier = figures(earlier_from, earlier_to, pathways=pathways, programme=programme)
        # The programme's budget of each period (reporting.budget), unless --budget overrides
        # it for this period: a year earlier, the budget given is then not known. A
        # référent's pathways are not the budget's whole: no cost for them.
        if given is not None:
            budget, earlier_budget = given, None
        elif pathways is None:
            budget = period_budget(programme, date_from, date_to)
            earlier_budget = period_budget(programme, earlier_from, earlier_to)
        else:
            budget = earlier_budget = None
        now = reading(computed, communes=communes, cost_per_person=computed.cost_per_person(budget))
        before = reading(
            earlier, communes=communes, cost_per_person=earlier.cost_per_person(earlier_budget)
        )
        groups = (
            breakdown(date_from, date_to, options["by"], pathways=pathways, programme=programme)
            if options["by"]
            else None
        )
        small = HIDE_SMALL if options["hide_small"] else SHOW_ALL
        periods = (date_from, date_to, now, before)
        if options["json"]:
            self._json(periods, referent, budget, options["by"], groups, small)
            return
        self._text(periods, referent, budget, small)
        if groups is not None:
            self._table(options["by"], groups, small)

    def _json(self, periods, referent, budget, by, groups, small: SmallCounts) -> None:
        date_from, date_to, now, before = periods
        keys = [figure.key for figure in FIGURES]
        earlier_from, earlier_to = previous_year(date_from, date_to)
        payload = {
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "referent": referent or None,
            "budget": None if budget is None else float(budget),
            **figures_payload(now, keys, small),
            "previous_year": {
                "date_from": earlier_from.isoformat(),
                "date_to": earlier_to.isoformat(),
                **figures_payload(before, keys, small),
            },
        }
        if groups is not None:
            rows = shown_groups(groups, GROUP_KEYS, small)
            payload["breakdown"] = {
                "by": by,
                "groups": [
                    {
                        "key": group.key,
                        "label": group.label,
                        **{key: CATALOGUE[key].machine_of(row[key]) for key in GROUP_KEYS},
                    }
                    for group, row in zip(groups, rows, strict=True)
                ],
            }
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def _text(self, periods, referent, budget, small: SmallCounts) -> None:
        """One line per figure of the catalogue: its label, this period, a year earlier."""
        date_from, date_to, now, before = periods
        write = self.stdout.write
        earlier_from, earlier_to = previous_year(date_from, date_to)
        write(f"Chiffres clés du {formatting.day(date_from)} au {formatting.day(date_to)}")
        if referent:
            write(f"Périmètre : parcours suivis par {referent}")
        if small.hides:
            write(f"Petits effectifs masqués. {legend()}")
        lines = [
            (figure.label_on(None), figure.text(now, small), figure.text(before, small))
            for figure in FIGURES
        ]
        width = max(len(label) for label, _, _ in lines)
        columns = (
            f"{formatting.day(date_from)} – {formatting.day(date_to)}",
            f"{formatting.day(earlier_from)} – {formatting.day(earlier_to)}",
        )
        cell = max(len(column) for column in columns)
        write(f"  {''.ljust(width)}  {columns[0].rjust(cell)}  {columns[1].rjust(cell)}")
        for label, value, earlier in lines:
            write(f"  {label.ljust(width)}  {value.rjust(cell)}  {earlier.rjust(cell)}")
        if budget is None:
            write(f"  {CATALOGUE['cost_per_person'].label} : {NO_BUDGET}.")

    def _table(self, by: str, groups, small: SmallCounts) -> None:
        title = DIMENSIONS[by].label if by in DIMENSIONS else "Mois"
        headers = [CATALOGUE[key].header for key in TABLE]
        width = max([len(title), *(len(g.label) for g in groups)])
        self.stdout.write("")
        self.stdout.write(f"{title.ljust(width)}  " + "  ".join(h.rjust(11) for h in headers))
        for group, row in zip(groups, shown_groups(groups, TABLE, small), strict=True):
            cells = [CATALOGUE[key].write(row[key]) for key in TABLE]
            line = f"{group.label.ljust(width)}  " + "  ".join(c.rjust(11) for c in cells)
            self.stdout.write(line)
