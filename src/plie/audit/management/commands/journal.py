"""`plie journal verify | seal | purge`: the journal's hash chain and its keeping time.

- `verify` reads the whole chain and names the first broken entry (changed, removed,
  missing from the start or the end); exit status 1 if it is broken or if entries are
  not sealed. It prints the last digest: noted elsewhere, it shows a chain rewritten whole.
- `seal` seals the entries the sealing missed (a process stopped at that moment).
- `purge` removes now the entries past `JOURNAL_RETENTION_DAYS` (the worker does it each
  night).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import capfirst

from plie.audit.chain import seal_unsealed, verify
from plie.audit.retention import purge
from plie.core.plurals import counted


class Command(BaseCommand):
    help = (
        "Journal : « verify » vérifie la chaîne d'empreintes et nomme la première entrée "
        "altérée ; « seal » scelle les entrées oubliées ; « purge » efface les entrées de "
        "plus de JOURNAL_RETENTION_DAYS jours."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "seal", "purge"])

    def handle(self, *args, **options):
        action = options["action"]
        if action == "seal":
            self.stdout.write(f"{capfirst(counted(seal_unsealed(), 'une entrée scellée'))}.")
            return
        if action == "purge":
            removed = purge()
            self.stdout.write(
                f"{capfirst(counted(removed, 'une entrée effacée'))} (plus de "
                f"{settings.JOURNAL_RETENTION_DAYS} jours)."
            )
            return
        verdict = verify()
        if not verdict.holds:
            raise CommandError(
                f"Journal altéré : {verdict.broken}. "
                f"{capfirst(counted(verdict.checked, 'une entrée vérifiée'))} avant celle-ci. "
                "Gardez la base en l'état et prévenez la personne déléguée à la protection des "
                "données."
            )
        self.stdout.write(f"Chaîne intacte : {counted(verdict.checked, 'une entrée vérifiée')}.")
        self.stdout.write(f"Dernière empreinte : {verdict.last_digest or '(journal vide)'}")
        if verdict.unsealed:
            raise CommandError(
                f"{capfirst(counted(verdict.unsealed, 'une entrée non scellée'))} (la première : "
                f"n° {verdict.first_unsealed}). Une entrée non scellée vient d'être écrite, a été "
                "oubliée par un processus arrêté ou a été ajoutée hors de l'application ; "
                "« plie journal seal » scelle les entrées oubliées."
            )
