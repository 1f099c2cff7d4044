from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "plie.reporting"
    label = "reporting"
    verbose_name = "Indicateurs et pilotage"

    def ready(self):
        from plie.reporting.declarations import declare

        declare()
