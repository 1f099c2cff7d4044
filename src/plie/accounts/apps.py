from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "plie.accounts"
    label = "accounts"
