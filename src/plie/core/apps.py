from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plie.core"
    label = "core"
    verbose_name = "Socle de l'application"

    def ready(self):
        from django.db.backends.signals import connection_created

        from plie.core.files import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="plie-private-sqlite")
