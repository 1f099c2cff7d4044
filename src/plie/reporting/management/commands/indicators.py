"""`plie indicators --from DATE --to DATE [--json] [--budget EUROS] [--referent USERNAME]
[--by DIMENSION]`: the PLIE's figures over a period, beside those of the same period a year
earlier, in French or as JSON.

Every figure, its label, its format and its JSON key come from the indicator catalogue
(`reporting.catalogue`), listed in docs/indicators.md. Only counts, shares and averages are
printed, never a participant's data; a breakdown names référents and organisations, which
are staff and partners, not people accompanied.
"""

import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plie.accounts.models import User
from plie.core import formatting
from plie.core.dates import parse_command_date
from plie.reporting.catalogue import CATALOGUE, FIGURES, OF_THE_PLIE_ONLY, previous_year, reading
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
NO_BUDGET = "donnez le budget de la période avec --budget"


def _parse_budget(value: str) -> Decimal:
    text = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        budget = Decimal(text.removesuffix("€"))
    except InvalidOperation:
        budget = None
    if budget is None or not budget.is_finite() or budget < 0:
        raise CommandError(
            f"Budget illisible : « {value} ». Donnez un montant en euros, "
            "par exemple 1200000 ou 1200000,50."
        )
    return budget


def figures_payload(computed, keys=None) -> dict:
    """The figures as JSON values, in the catalogue's order (`keys`: every figure a
    breakdown group has by default)."""
    keys = keys or [figure.key for figure in FIGURES if figure.key not in OF_THE_PLIE_ONLY]
    return {key: CATALOGUE[key].machine(computed) for key in keys}


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
            "--budget", help="budget de la période en euros (coût par personne accompagnée)"
        )
        parser.add_argument(
            "--referent", help="identifiant d'un(e) référent(e) : ses parcours seulement"
        )
        parser.add_argument("--by", choices=BREAKDOWNS, help="ventilation des chiffres")

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
            raise CommandError(
                f"La période se termine le {formatting.day(date_to)}, avant son début le "
                f"{formatting.day(date_from)} : inversez --from et --to."
            )
        budget = _parse_budget(options["budget"]) if options["budget"] else None
        pathways = None
        referent = options["referent"]
        if referent:
            user = User.objects.filter(username=referent).first()
            if user is None:
                raise CommandError(
                    f"Aucun compte « {referent} » : donnez l'identifiant de connexion "
                    "d'un(e) référent(e)."
                )
            pathways = user.pathways.all()
        programme = Programme.current()
        communes = programme.communes.count() if programme else 0
        earlier_from, earlier_to = previous_year(date_from, date_to)
        computed = figures(date_from, date_to, pathways=pathways, programme=programme)
        earlier = figures(earlier_from, earlier_to, pathways=pathways, programme=programme)
        now = reading(computed, communes=communes, cost_per_person=computed.cost_per_person(budget))
        # The budget given is this period's: a year earlier, the cost is not known.
        before = reading(earlier, communes=communes, cost_per_person=None)
        groups = (
            breakdown(date_from, date_to, options["by"], pathways=pathways, programme=programme)
            if options["by"]
            else None
        )
        if options["json"]:
            self._json(date_from, date_to, referent, budget, now, before, options["by"], groups)
            return
        self._text(date_from, date_to, referent, now, before, budget)
        if groups is not None:
            self._table(options["by"], groups)

    def _json(self, date_from, date_to, referent, budget, now, before, by, groups) -> None:
        keys = [figure.key for figure in FIGURES]
        earlier_from, earlier_to = previous_year(date_from, date_to)
        payload = {
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "referent": referent or None,
            "budget": None if budget is None else float(budget),
            **figures_payload(now, keys),
            "previous_year": {
                "date_from": earlier_from.isoformat(),
                "date_to": earlier_to.isoformat(),
                **figures_payload(before, keys),
            },
        }
        if groups is not None:
            payload["breakdown"] = {
                "by": by,
                "groups": [
                    {"key": g.key, "label": g.label, **figures_payload(g.figures)} for g in groups
                ],
            }
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def _text(self, date_from, date_to, referent, now, before, budget) -> None:
        """One line per figure of the catalogue: its label, this period, a year earlier."""
        write = self.stdout.write
        earlier_from, earlier_to = previous_year(date_from, date_to)
        write(f"Chiffres clés du {formatting.day(date_from)} au {formatting.day(date_to)}")
        if referent:
            write(f"Périmètre : parcours suivis par {referent}")
        lines = [
            (figure.label_on(None), figure.text(now), figure.text(before)) for figure in FIGURES
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

    def _table(self, by: str, groups) -> None:
        title = DIMENSIONS[by].label if by in DIMENSIONS else "Mois"
        headers = [CATALOGUE[key].header for key in TABLE]
        width = max([len(title), *(len(g.label) for g in groups)])
        self.stdout.write("")
        self.stdout.write(f"{title.ljust(width)}  " + "  ".join(h.rjust(11) for h in headers))
        for g in groups:
            cells = [CATALOGUE[key].text(g.figures) for key in TABLE]
            self.stdout.write(f"{g.label.ljust(width)}  " + "  ".join(c.rjust(11) for c in cells))
