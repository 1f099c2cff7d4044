from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "plie.exchange"
    verbose_name = "Import et export des dossiers"
