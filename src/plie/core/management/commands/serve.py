"""`plie serve`: the production server (gunicorn), static files served by the application."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Imported here: WhiteNoise indexes the static files when the application is built,
        # which must come after collectstatic.
        from plie.wsgi import application

        return application


class Command(BaseCommand):
    help = "Sert l'application avec gunicorn (fichiers statiques servis par l'application)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="adresse:port d'écoute")
        parser.add_argument("--workers", type=int, default=2, help="nombre de processus")
        parser.add_argument("--threads", type=int, default=4, help="fils par processus")

    def handle(self, *args, **options):
        if settings.STATIC_MANIFEST:
            # The manifest storage serves only collected, fingerprinted files.
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Application servie sur http://{options['bind']}/ (Ctrl+C pour arrêter)")
        _Gunicorn(
            {
                "bind": options["bind"],
                "workers": options["workers"],
                "threads": options["threads"],
                "accesslog": None,  # request lines carry URLs with record ids: not logged
                "errorlog": "-",
                "timeout": 120,
            }
        ).run()
