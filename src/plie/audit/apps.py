from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "plie.audit"
    label = "audit"
    verbose_name = "Journal"

    def ready(self):
        from plie.audit import logins, register

        register.declare()
        logins.connect()  # failed logins, lockouts, passwords changed
