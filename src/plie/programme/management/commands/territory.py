from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from plie.core.management import Erreur
from plie.programme.loading import load_package, resolve_package


class Command(BaseCommand):
    help = "Charge le territoire d'un PLIE (communes, QPV, protocoles) depuis un fichier JSON."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument(
            "package", help="Chemin d'un fichier JSON ou nom fourni (dijon-metropole)"
        )

    def handle(self, *args, **options):
        try:
            programme = load_package(resolve_package(options["package"]))
        except ValidationError as error:
            raise Erreur(" ".join(error.messages)) from error
        self.stdout.write(
            f"Territoire chargé : {programme} — {programme.communes.count()} communes."
        )
