from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "plie.demo"
    label = "demo"
    verbose_name = "Démonstration"
