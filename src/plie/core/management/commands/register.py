"""`plie register --markdown`: the personal-data register as the French document for the
data protection officer; docs/personal-data.md is its output
(`plie register --markdown > docs/personal-data.md`). It prints no one's data: only what
each field is, why it is kept, who reads it and for how long."""

from django.core.management.base import BaseCommand

from plie.core.register_document import markdown


class Command(BaseCommand):
    help = "Registre des données personnelles (Markdown, docs/personal-data.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="Écrire le registre en Markdown (le seul format, et celui par défaut).",
        )

    def handle(self, *args, **options):
        self.stdout.write(markdown(), ending="")
