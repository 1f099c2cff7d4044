from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "plie.web"
    label = "web"
    verbose_name = "Pages de l'application"

    def ready(self):
        from django.contrib import admin

        from plie.core.administration import refuse_signed_in_outsiders, show_library_rows_only
        from plie.web.declarations import declare

        declare()
        show_library_rows_only(admin.site)  # once every application registered its pages
        refuse_signed_in_outsiders(admin.site)
