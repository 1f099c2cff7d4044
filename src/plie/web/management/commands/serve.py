"""`plie serve`: the production server (gunicorn), static files served by the application,
and beside it the background worker that builds the extractions and computes ahead the
morning's pages (`plie db_worker`)."""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

# A connection left idle is closed by the server after this many seconds. Gunicorn's 2 s
# made the load run (bench/load.py) fail 32 of 1,397 requests: a user who clicks 2 s after
# the last page reuses the connection just as the server closes it, and the request is
# reset. Longer than a reverse proxy keeps an idle connection (nginx: 60 s), so that the
# proxy always closes first; an idle connection waits in gunicorn's poller, not in a thread.
KEEP_ALIVE_S = 65


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
        parser.add_argument(
            "--keep-alive",
            type=int,
            default=KEEP_ALIVE_S,
            help="secondes pendant lesquelles une connexion inactive reste ouverte",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="ne lance pas le travailleur des tâches de fond (s'il tourne à part)",
        )

    def handle(self, *args, **options):
        if settings.STATIC_MANIFEST:
            # The manifest storage serves only collected, fingerprinted files.
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Application servie sur http://{options['bind']}/ (Ctrl+C pour arrêter)")
        from plie.audit.tasks import schedule_journal_keeping
        from plie.reporting.tasks import schedule_the_day

        schedule_the_day(now=True)  # taken by this worker, or by one that runs elsewhere
        schedule_journal_keeping(now=True)  # the journal's retention, each night
        worker = None if options["no_worker"] else _start_worker()
        try:
            self._serve(options)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)

    def _serve(self, options):
        _Gunicorn(
            {
                "bind": options["bind"],
                "workers": options["workers"],
                "threads": options["threads"],
                "accesslog": None,  # request lines carry URLs with record ids: not logged
                "errorlog": "-",
                "timeout": 120,
                "keepalive": options["keep_alive"],
                # No control socket (gunicornc): it would be written outside data/, in
                # $XDG_RUNTIME_DIR or ~/.gunicorn/, and nothing here uses it.
                "control_socket_disable": True,
            }
        ).run()


def _start_worker() -> subprocess.Popen:
    """The worker of the background tasks, in its own process, stopped with the server."""
    return subprocess.Popen(
        [sys.executable, "-m", "plie.cli", "db_worker", "--no-startup-delay", "--verbosity", "0"]
    )
