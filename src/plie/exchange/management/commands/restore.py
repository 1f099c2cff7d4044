"""`plie restore FICHIER [--oui]`: replace all the current data by a backup's.

Asks for confirmation (or `--oui`), and first backs up the current data to
data/sauvegardes/avant-restauration-AAAAMMJJ-HHMMSS.zip (unless `--sans-copie-prealable`),
so that a wrong file can be undone. See exchange/backup.py.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plie.accounts.models import User
from plie.exchange.backup import (
    BackupError,
    backup,
    check_restorable,
    database_is_empty,
    default_path,
    read_manifest,
    restore,
)

CONFIRMATION = "oui"


class Command(BaseCommand):
    help = (
        "Remplace toutes les données actuelles par celles d'une sauvegarde faite par "
        "« plie backup » (même moteur de base, version de l'application égale ou plus récente)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="sauvegarde (.zip) faite par plie backup")
        parser.add_argument("--oui", action="store_true", help="confirmer sans question (scripts)")
        parser.add_argument(
            "--sans-copie-prealable",
            action="store_true",
            dest="no_safety_copy",
            help="ne pas sauvegarder d'abord les données actuelles",
        )
        parser.add_argument("--user", help="identifiant du compte qui restaure (journal)")

    def handle(self, *args, **options):
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"Aucun compte « {options['user']} » : vérifiez l'identifiant.")
        try:
            manifest = read_manifest(options["path"])
            check_restorable(manifest, Path(options["path"]).name)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"À restaurer : {manifest.describe()}.")
        self.stdout.write(
            "Toutes les données actuelles (dossiers, comptes, journal) seront remplacées "
            "par celles de la sauvegarde."
        )
        if not options["oui"]:
            self._confirm()
        try:
            if database_is_empty():
                self.stdout.write("La base actuelle est vide : rien à sauvegarder d'abord.")
            elif not options["no_safety_copy"]:
                safety = backup(default_path("avant-restauration"), by=by)
                self.stdout.write(f"Données actuelles sauvegardées d'abord dans {safety.path}.")
            report = restore(options["path"], by=by)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Restauration terminée : {report.manifest.describe()}.")
        )
        if report.migrated:
            self.stdout.write(
                "La sauvegarde venait d'une version plus ancienne : la base a été mise à jour "
                "(migrations appliquées)."
            )
        self.stdout.write(
            "Les sessions ouvertes sont celles de la sauvegarde : chacun se reconnecte si besoin."
        )

    def _confirm(self) -> None:
        try:
            answer = input(f"Tapez « {CONFIRMATION} » pour remplacer les données actuelles : ")
        except EOFError:  # no one to answer (a script without --oui)
            self.stdout.write("")
            answer = ""
        if answer.strip().lower() != CONFIRMATION:
            raise CommandError(
                "Restauration annulée : rien n'a été modifié. Pour confirmer sans question "
                "(dans un script), ajoutez --oui."
            )
