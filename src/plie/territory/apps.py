from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "plie.territory"
    label = "territory"
    verbose_name = "Territoire et nomenclatures"
