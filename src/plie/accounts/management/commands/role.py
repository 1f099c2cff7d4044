"""`plie role IDENTIFIANT RÔLE`: gives a role at once, from the command line (journaled).

The application's way is a request in the administration that a coordinator approves
(accounts/roles.py); the command line is for the installation (the first coordinator and
administrator) and for changing the PLIE's only coordinator, who may not approve her own.
"""

from django.core.management.base import BaseCommand, CommandError

from plie.accounts.enums import Role
from plie.accounts.models import User
from plie.accounts.roles import set_role_by_command


class Command(BaseCommand):
    help = "Donne un rôle à un compte, tout de suite (journalisé). Rôles : " + ", ".join(
        f"{value} ({label})" for value, label in Role.choices
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="identifiant du compte")
        parser.add_argument("role", help="rôle à donner", choices=Role.values)

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Aucun compte « {options['username']} » : vérifiez l'identifiant.")
        previous = user.get_role_display()
        set_role_by_command(user=user, role=options["role"])
        self.stdout.write(f"{user} : {previous} → {user.get_role_display()}.")
