"""`plie demo`: prepare the database, generate the demonstration PLIE once, then serve it."""

import os

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand

from plie.core.management import Erreur
from plie.demo.generator import DEMO_PASSWORD, generate
from plie.demo.second_factor import demo_secret
from plie.programme.loading import load_package, resolve_package
from plie.territory.models import Programme


class Command(BaseCommand):
    help = (
        "Crée la base, charge le territoire de Dijon Métropole, génère un PLIE de "
        "démonstration (une seule fois) et sert l'application."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="graine du générateur")
        parser.add_argument(
            "--participants",
            type=int,
            default=1200,
            help="personnes accompagnées dans l'année (environ)",
        )
        parser.add_argument("--territory", default="dijon-metropole", help="fichier de territoire")
        parser.add_argument("--no-serve", action="store_true", help="prépare sans servir")
        parser.add_argument("--bind", default="127.0.0.1:8000", help="adresse:port d'écoute")

    def handle(self, *args, **options):
        if options["participants"] < 1:
            raise Erreur("Indiquez un nombre de personnes supérieur ou égal à 1.")
        self.stdout.write("Préparation de la base de données…")
        call_command("migrate", interactive=False, verbosity=0)
        if Programme.current() is None:
            load_package(resolve_package(options["territory"]))
        summary = generate(
            seed=options["seed"],
            participants=options["participants"],
            progress=lambda message: self.stdout.write(f"  {message}"),
        )
        if summary.created:
            cache.clear()  # charts kept from an earlier base would show its figures
            self.stdout.write(self.style.SUCCESS("PLIE de démonstration créé."))
            for label, count in sorted(summary.counts.items()):
                self.stdout.write(f"  {label} : {count}")
        else:
            self.stdout.write("La base de démonstration existe déjà : elle est conservée.")
        self.stdout.write(f"\nComptes (mot de passe commun : {DEMO_PASSWORD}) :")
        for role, username, organisation in summary.accounts:
            suffix = f" — {organisation}" if organisation else ""
            self.stdout.write(f"  {role:<42} {username}{suffix}")
        self.stdout.write("  (référents : referent1 à referent13)")
        self._second_factor(summary.accounts)
        if not options["no_serve"]:
            # The e-mails' links name the address the demo is served on, unless the
            # environment says another (the background worker reads it from there).
            if "PLIE_SITE_URL" not in os.environ:
                os.environ["PLIE_SITE_URL"] = settings.PLIE_SITE_URL = f"http://{options['bind']}"
            call_command("serve", bind=options["bind"], workers=1)

    def _second_factor(self, accounts):
        if not settings.PLIE_SECOND_FACTOR:
            self.stdout.write("\nSecond facteur : non demandé sur cette installation (DEBUG).")
            return
        self.stdout.write(
            "\nSecond facteur : après le mot de passe, un code à 6 chiffres est demandé."
            "\n  Le code du moment, dans un autre terminal : uv run plie totp IDENTIFIANT"
            "\n  ou, dans une application d'authentification, la clé du compte :"
        )
        for _, username, _ in accounts:
            self.stdout.write(f"  {username:<14} {demo_secret(username)}")
        self.stdout.write("  (referent2 à referent13 : uv run plie totp referent2…)")
