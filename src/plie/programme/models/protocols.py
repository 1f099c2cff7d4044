"""The PLIE's programme: its protocols d'accord today; the annual programme, calls for
proposals and agreements come here next.

A protocol's rules are data read by the engines of the apps above (eligibility in
participants, positive exit in pathways), which declare how to check them (checks.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.programme.checks import check_rules


class Protocol(models.Model):
    """A protocole d'accord and its entry rule, kept as versioned data (see eligibility.py)."""

    programme = models.ForeignKey(
        "territory.Programme", on_delete=models.PROTECT, related_name="protocols"
    )
    name = models.CharField(_("nom"), max_length=150)
    version = models.CharField(_("version"), max_length=20)
    valid_from = models.DateField(_("en vigueur du"))
    valid_until = models.DateField(_("au"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    entry_rule = models.JSONField(_("règle d'entrée"))
    exit_rules = models.JSONField(_("règles de sortie positive"), default=list, blank=True)

    class Meta:
        # The table keeps the name it had when protocols lived with the participants.
        db_table = "participants_protocol"
        ordering = ["-valid_from"]
        verbose_name = _("protocole")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name", "version"], name="protocol_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def clean(self):
        check_rules(self)
