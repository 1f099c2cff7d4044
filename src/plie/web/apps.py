from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "plie.web"
    label = "web"
    verbose_name = "Pages de l'application"

    def ready(self):
        from plie.web.declarations import declare

        declare()
