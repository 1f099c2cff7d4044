from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "plie.pathways"
    label = "pathways"
    verbose_name = "Parcours et commissions"
