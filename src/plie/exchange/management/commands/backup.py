"""`plie backup [FICHIER]`: the whole database in one archive readable by its owner only.

Without FICHIER, the archive goes to data/sauvegardes/plie-AAAAMMJJ-HHMMSS.zip. Safe while
the server runs. See exchange/backup.py and the README (« Sauvegarde et restauration »).
"""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from plie.accounts.models import User
from plie.exchange.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sauvegarde toute la base (SQLite ou PostgreSQL) dans une archive lisible par son "
        "seul propriétaire ; sans fichier : data/sauvegardes/plie-AAAAMMJJ-HHMMSS.zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="fichier .zip à écrire, ou dossier où l'écrire")
        parser.add_argument(
            "--overwrite", action="store_true", help="remplacer le fichier s'il existe"
        )
        parser.add_argument("--user", help="identifiant du compte qui sauvegarde (journal)")

    def handle(self, *args, **options):
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"Aucun compte « {options['user']} » : vérifiez l'identifiant.")
        try:
            report = backup(options["path"], overwrite=options["overwrite"], by=by)
        except BackupError as error:
            raise CommandError(str(error)) from error
        with translation.override("fr"):
            size = filesizeformat(report.size)
        self.stdout.write(
            f"Sauvegarde écrite dans {report.path} ({size}, "
            f"{report.manifest.engine_label}, lisible par son seul propriétaire)."
        )
        self.stdout.write(
            "Elle contient toutes les données personnelles : gardez-la en lieu sûr, chiffrée "
            "si elle quitte ce serveur."
        )
