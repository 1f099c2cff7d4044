from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "plie.audit"
    label = "audit"
    verbose_name = "Journal"

    def ready(self):
        from plie.audit import account_events, register

        register.declare()
        account_events.connect()  # logins refused, lockouts, passwords and roles
