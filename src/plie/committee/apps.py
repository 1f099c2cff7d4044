from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "plie.committee"
    label = "committee"
    verbose_name = "Commission d'entrées-sorties"
