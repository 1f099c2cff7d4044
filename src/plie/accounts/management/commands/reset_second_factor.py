"""`plie reset_second_factor ACCOUNT`: a person who lost both their telephone and their backup
codes adds a new application at their next login. From the command line only — whoever runs
it already holds the server — never from the administration pages."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

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
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
        self.stdout.write(
            f"Second facteur de « {account} » retiré : à sa prochaine connexion, après son mot "
            "de passe, la personne ajoutera une application d'authentification."
        )
