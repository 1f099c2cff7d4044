from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plie.core"
    label = "core"
