"""`plie permissions --markdown`: the table of roles × actions and the action each address
needs, as the French document docs/permissions.md
(`plie permissions --markdown > docs/permissions.md`), read from the access rules."""

from django.core.management.base import BaseCommand

from plie.web.permissions_document import markdown


class Command(BaseCommand):
    help = "Rôles et permissions (Markdown, docs/permissions.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="Écrire le tableau en Markdown (le seul format, et celui par défaut).",
        )

    def handle(self, *args, **options):
        self.stdout.write(markdown(), ending="")
