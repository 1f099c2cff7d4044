from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "plie.pathways"
    label = "pathways"
