"""`plie export PATH [--overwrite]`: every record in the format `plie import` reads.

PATH ending in .xlsx gives one workbook; any other PATH is a folder that receives one
CSV file per kind of row (UTF-8 with BOM, `;`). See docs/import-format.md.
"""

from django.core.management.base import BaseCommand

from plie.accounts.models import User
from plie.core.management import Erreur
from plie.exchange.exporter import ExportError, export_path


class Command(BaseCommand):
    help = (
        "Exporte les dossiers (participants, orientations, parcours, sorties, étapes, "
        "contacts) en fichiers CSV (dossier) ou en classeur .xlsx, au format de l'import."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="dossier de destination, ou classeur .xlsx")
        parser.add_argument(
            "--overwrite", action="store_true", help="remplacer les fichiers existants"
        )
        parser.add_argument("--user", help="identifiant du compte qui exporte (journal)")

    def handle(self, *args, **options):
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise Erreur(f"Aucun compte « {options['user']} » : vérifiez l'identifiant.")
        try:
            report = export_path(options["path"], overwrite=options["overwrite"], by=by)
        except ExportError as error:
            raise Erreur(str(error)) from error
        for line in report.summary():
            self.stdout.write(line)
