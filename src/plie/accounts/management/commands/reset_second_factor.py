"""`plie reset_second_factor ACCOUNT`: a person who lost both their telephone and their backup
codes adds a new application at their next login. A coordinator does the same on « Accès des
comptes » (accounts/access_help.py); the command is for the installation, and for the PLIE's
only coordinator. Never from the administration pages. Journaled."""

from django.core.management.base import BaseCommand, CommandError

from plie.accounts.access_help import remove_second_factor
from plie.accounts.models import User


class Command(BaseCommand):
    help = (
        "Retire l'application d'authentification et les codes de secours d'un compte : à sa "
        "prochaine connexion, la personne en ajoute une nouvelle."
    )

    def add_arguments(self, parser):
        parser.add_argument("account", help="identifiant du compte")

    def handle(self, *args, account, **options):
        user = User.objects.filter(username=account).first()
        if user is None:
            raise CommandError(f"Aucun compte « {account} » : vérifiez l'identifiant.")
        remove_second_factor(account=user, by=None)
        self.stdout.write(
            f"Second facteur de « {account} » retiré : à sa prochaine connexion, après son mot "
            "de passe, la personne ajoutera une application d'authentification."
        )
