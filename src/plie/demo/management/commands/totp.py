"""`plie totp ACCOUNT`: the second factor's code of the moment for a demo account, to log in
to the demonstration without installing an authentication application."""

from django.core.management.base import BaseCommand, CommandError

from plie.demo.second_factor import current_code


class Command(BaseCommand):
    help = "Affiche le code du second facteur d'un compte de démonstration (plie demo)."

    def add_arguments(self, parser):
        parser.add_argument("account", help="identifiant du compte, par exemple coordinatrice")

    def handle(self, *args, account, **options):
        code = current_code(account)
        if code is None:
            raise CommandError(
                f"« {account} » n'est pas un compte de démonstration dont le second facteur est "
                "connu : cette commande ne sert que pour les comptes créés par plie demo."
            )
        token, seconds = code
        self.stdout.write(f"{token[:3]} {token[3:]}")
        self.stdout.write(f"(valable encore {seconds} s ; ensuite, relancez la commande)")
