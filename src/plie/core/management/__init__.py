"""What the project's commands share."""

from django.core.management.base import CommandError


class Erreur(CommandError):
    """A command's refusal, in French. Django prints a CommandError as « ClassName: message »:
    named so, the user reads « Erreur: … » rather than « CommandError: … »."""
