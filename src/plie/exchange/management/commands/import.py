"""`plie import PATH [--dry-run] [--user USERNAME]`: participants and their pathways from files.

PATH is a folder of CSV files or an .xlsx workbook, in the format of docs/import-format.md.
All or nothing: on any bad row, every problem is listed (file, line, reason) and nothing
is written; the command then fails.
"""

from django.core.management.base import BaseCommand

from plie.accounts.models import User
from plie.core.management import Erreur
from plie.exchange.importer import import_path


class Command(BaseCommand):
    help = (
        "Importe des dossiers (participants, orientations, parcours, sorties, étapes, "
        "contacts) depuis un dossier de fichiers CSV ou un classeur .xlsx."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="dossier de fichiers CSV, ou classeur .xlsx")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="tout vérifier et compter, sans rien enregistrer",
        )
        parser.add_argument(
            "--user",
            help="identifiant du compte à qui attribuer l'import (journal, « créé par »)",
        )

    def handle(self, *args, **options):
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise Erreur(f"Aucun compte « {options['user']} » : vérifiez l'identifiant.")
        report = import_path(options["path"], dry_run=options["dry_run"], by=by)
        lines = report.summary()
        if not report.ok:
            for line in lines[1:]:
                self.stderr.write(line)
            raise Erreur(lines[0])
        for line in lines:
            self.stdout.write(line)
