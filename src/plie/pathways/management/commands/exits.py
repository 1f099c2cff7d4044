"""`plie exits --at DATE [--json]`: the positive-exit conditions of the active caseload at a date.

For automation and checks: one line per pathway in the active caseload at that date, with
the condition met (the first in the protocol's order) or the closest one and what is
missing. Only file numbers are printed, never names; the journal keeps that the list left
the application, and whose files it held (`--user` names who asked).
"""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from plie.accounts.models import User
from plie.audit.journal import record_document
from plie.core import formatting
from plie.core.dates import parse_command_date
from plie.core.management import Erreur
from plie.pathways.selectors import active_on, exit_evaluations
from plie.territory.models import Programme


def _condition(result) -> dict | None:
    if result is None:
        return None
    return {
        "code": result.code,
        "label": result.label,
        "detail": result.detail,
        "missing": result.missing,
        "needs_committee_case": result.needs_committee_case,
    }


class Command(BaseCommand):
    help = "Conditions de sortie positive de la file active à une date."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="date d'examen (par défaut aujourd'hui)")
        parser.add_argument("--json", action="store_true", help="sortie JSON")
        parser.add_argument("--user", help="identifiant du compte qui demande la liste (journal)")

    def handle(self, *args, **options):
        on = parse_command_date(options["at"]) if options["at"] else timezone.localdate()
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise Erreur(f"Aucun compte « {options['user']} » : vérifiez l'identifiant.")
        candidates = exit_evaluations(active_on(on).order_by("participant__file_number"), on)
        rows = [
            {
                "file_number": c.pathway.participant.file_number,
                "pathway": c.pathway.number,
                "referent": c.pathway.referent.username,
                "entry_date": c.pathway.entry_date.isoformat(),
                "met": _condition(c.evaluation.met[0]) if c.evaluation.met else None,
                "all_met": [r.code for r in c.evaluation.met],
                "closest": None if c.evaluation.met else _condition(c.evaluation.closest),
            }
            for c in candidates
        ]
        record_document(
            user=by,
            about=Programme.current(),
            document="conditions de sortie de la file active (commande plie exits)",
            participant_ids=[c.pathway.participant_id for c in candidates],
            date=on.isoformat(),
        )
        if options["json"]:
            payload = {
                "date": on.isoformat(),
                "active_caseload": len(rows),
                "meeting_a_condition": sum(1 for row in rows if row["met"]),
                "pathways": rows,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        met = [row for row in rows if row["met"]]
        self.stdout.write(
            f"File active au {formatting.day(on)} : {len(rows)} parcours, "
            f"{len(met)} remplissent une condition de sortie positive."
        )
        for row in rows:
            if row["met"]:
                text = f"{row['met']['label']} — {row['met']['detail']}"
            elif row["closest"]:
                text = f"au plus près : {row['closest']['label']} ({row['closest']['missing']})"
            else:
                text = "aucune étape qui compte pour une sortie positive"
            self.stdout.write(f"  {row['file_number']} (parcours {row['pathway']}) : {text}")
