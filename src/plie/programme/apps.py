from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "plie.programme"
    label = "programme"
    verbose_name = "Programme : protocoles"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.programme.models import Protocol

        auditlog.register(Protocol)
