from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "plie.accounts"
    label = "accounts"
    verbose_name = "Comptes et structures"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.accounts import register
        from plie.accounts.models import Organisation, User

        register.declare()  # first: the roles the other apps' entries name

        # The journal follows accounts and their rights, never their passwords.
        auditlog.register(Organisation)
        auditlog.register(
            User,
            include_fields=[
                "username",
                "first_name",
                "last_name",
                "email",
                "role",
                "organisation",
                "is_active",
                "is_staff",
                "is_superuser",
            ],
        )
