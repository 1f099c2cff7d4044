"""`plie indicators --from DATE --to DATE [--json] [--budget EUROS] [--referent USERNAME]
[--by DIMENSION]`: the PLIE's key figures over a period, in French or as JSON.

The JSON keys are listed in docs/indicators.md. Only counts, shares and averages are
printed, never a participant's data; a breakdown names référents and organisations,
which are staff and partners, not people accompanied.
"""

import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plie.accounts.models import User
from plie.core import formatting
from plie.core.dates import parse_command_date
from plie.reporting.dimensions import BREAKDOWNS, DIMENSIONS
from plie.reporting.indicators import Figures, breakdown, figures
from plie.territory.models import Programme

# Key → how many decimals in the JSON (None: an integer).
FIGURE_KEYS = {
    "people_accompanied": None,
    "pathways_accompanied": None,
    "carried_over": None,
    "entries": None,
    "exits": None,
    "positive_exits": None,
    "neutral_exits": None,
    "positive_exit_rate": 4,
    "active_caseload": None,
    "without_step": None,
    "share_without_step": 4,
    "women": None,
    "share_women": 4,
    "rsa": None,
    "rsa_known": None,
    "share_rsa": 4,
    "qpv": None,
    "share_qpv": 4,
    "level_3_or_below": None,
    "education_level_known": None,
    "share_level_3_or_below": 4,
    "average_age": 1,
    "average_length_months": 1,
    "average_time_in_pathway_months": 1,
    "contacts": None,
    "months_in_caseload": 1,
    "contacts_per_person_month": 2,
    "communes_reached": None,
}


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


def figures_payload(computed: Figures) -> dict:
    payload = {}
    for key, decimals in FIGURE_KEYS.items():
        value = getattr(computed, key)
        payload[key] = value if decimals is None or value is None else round(value, decimals)
    return payload


def _number(value: float | int, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def _percent(value: float | None) -> str:
    return "non calculable" if value is None else f"{_number(value * 100, 1)} %"


class Command(BaseCommand):
    help = "Chiffres clés du PLIE sur une période : personnes accompagnées, file active, sorties…"

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
        computed = figures(date_from, date_to, pathways=pathways, programme=programme)
        communes = programme.communes.count() if programme else 0
        groups = (
            breakdown(date_from, date_to, options["by"], pathways=pathways, programme=programme)
            if options["by"]
            else None
        )
        if options["json"]:
            cost = computed.cost_per_person(budget)
            payload = {
                "date_from": date_from.isoformat(),
                "date_to": date_to.isoformat(),
                "referent": referent or None,
                "budget": None if budget is None else float(budget),
                "communes": communes,
                **figures_payload(computed),
                "cost_per_person": None if cost is None else float(cost),
            }
            if groups is not None:
                payload["breakdown"] = {
                    "by": options["by"],
                    "groups": [
                        {"key": g.key, "label": g.label, **figures_payload(g.figures)}
                        for g in groups
                    ],
                }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self._text(date_from, date_to, referent, communes, computed, budget)
        if groups is not None:
            self._table(options["by"], groups)

    def _text(self, date_from, date_to, referent, communes, f: Figures, budget) -> None:
        write = self.stdout.write
        write(f"Chiffres clés du {formatting.day(date_from)} au {formatting.day(date_to)}")
        if referent:
            write(f"Périmètre : parcours suivis par {referent}")
        lines = [
            ("Territoire", f"{communes} communes, {f.communes_reached} où résident des personnes"),
            (
                "Personnes accompagnées",
                f"{_number(f.people_accompanied)} ({_number(f.pathways_accompanied)} parcours : "
                f"{_number(f.carried_over)} en cours au {formatting.day(date_from)}, "
                f"{_number(f.entries)} entrées)",
            ),
            (
                f"File active au {formatting.day(date_to)}",
                f"{_number(f.active_caseload)} personnes, dont "
                f"{_percent(f.share_without_step)} sans étape en cours",
            ),
            (
                "Sorties",
                f"{_number(f.exits)}, dont {_number(f.positive_exits)} positives "
                f"et {_number(f.neutral_exits)} neutres (déménagement, retraite, décès)",
            ),
            ("Taux de sorties positives", _percent(f.positive_exit_rate)),
            ("Femmes", _percent(f.share_women)),
            (
                "Bénéficiaires du RSA à l'entrée",
                f"{_percent(f.share_rsa)} (sur {_number(f.rsa_known)} renseignés)",
            ),
            ("Résidant en QPV", _percent(f.share_qpv)),
            (
                "Niveau de formation 3 ou moins",
                f"{_percent(f.share_level_3_or_below)} "
                f"(sur {_number(f.education_level_known)} renseignés)",
            ),
            ("Âge moyen à l'entrée", _unit(f.average_age, "ans")),
            ("Durée moyenne des parcours sortis", _unit(f.average_length_months, "mois")),
            ("Ancienneté moyenne en parcours", _unit(f.average_time_in_pathway_months, "mois")),
            (
                "Contacts par personne et par mois",
                "non calculable"
                if f.contacts_per_person_month is None
                else _number(f.contacts_per_person_month, 2),
            ),
            (
                "Coût par personne accompagnée",
                "donnez le budget de la période avec --budget"
                if budget is None
                else (
                    "non calculable"
                    if f.cost_per_person(budget) is None
                    else f"{_number(f.cost_per_person(budget), 2)} €"
                ),
            ),
        ]
        width = max(len(label) for label, _ in lines)
        for label, value in lines:
            write(f"  {label.ljust(width)}  {value}")

    def _table(self, by: str, groups) -> None:
        title = DIMENSIONS[by].label if by in DIMENSIONS else "Mois"
        columns = ["Personnes", "File active", "Entrées", "Sorties", "Taux SP", "Femmes", "RSA"]
        width = max([len(title), *(len(g.label) for g in groups)])
        self.stdout.write("")
        self.stdout.write(f"{title.ljust(width)}  " + "  ".join(c.rjust(11) for c in columns))
        for g in groups:
            f = g.figures
            cells = [
                _number(f.people_accompanied),
                _number(f.active_caseload),
                _number(f.entries),
                _number(f.exits),
                _short_percent(f.positive_exit_rate),
                _short_percent(f.share_women),
                _short_percent(f.share_rsa),
            ]
            self.stdout.write(f"{g.label.ljust(width)}  " + "  ".join(c.rjust(11) for c in cells))


def _unit(value: float | None, unit: str) -> str:
    return "non calculable" if value is None else f"{_number(value, 1)} {unit}"


def _short_percent(value: float | None) -> str:
    return "—" if value is None else f"{_number(value * 100, 0)} %"
