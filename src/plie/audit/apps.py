from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "plie.audit"
    label = "audit"
    verbose_name = "Journal"

    def ready(self):
        from plie.audit.registry import register_journaled_models

        register_journaled_models()
