from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "plie.territory"
    label = "territory"
    verbose_name = "Territoire et nomenclatures"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.territory import models

        # The administrator's changes to the PLIE's settings and nomenclatures are journaled.
        for model in (
            models.Programme,
            models.Commune,
            models.Qpv,
            models.EducationLevel,
            models.PrescriberType,
            models.BarrierType,
        ):
            auditlog.register(model)
