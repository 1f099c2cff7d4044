"""What the journal keeps beside django-auditlog's entries: which participants a list showed
(one row per participant of a journaled list, to find the entry from a file number), and the
seals of the hash chain that make a changed, removed or reordered entry visible
(`plie journal verify`, audit/chain.py)."""

from django.db import models


class Shown(models.Model):
    """A participant shown by a journaled list (the same ids are in the entry's
    `additional_data`, which the chain seals; this table only finds them by participant)."""

    entry = models.ForeignKey(
        "auditlog.LogEntry", on_delete=models.CASCADE, related_name="+", verbose_name="entrée"
    )
    # A plain number, not a key: the journal outlives the record it names.
    participant_id = models.BigIntegerField("numéro de la personne", db_index=True)

    class Meta:
        verbose_name = "personne listée"
        verbose_name_plural = "personnes listées"
        constraints = [
            models.UniqueConstraint(fields=["entry", "participant_id"], name="shown_once_per_entry")
        ]

    def __str__(self) -> str:
        return f"Personne n° {self.participant_id}"


class Seal(models.Model):
    """One link of the chain: the digest of an entry's content and of the previous link.
    `entry_id` is a plain number, so that an entry deleted behind the application's back
    leaves its seal, and the gap, behind."""

    position = models.BigIntegerField("position", primary_key=True)
    entry_id = models.BigIntegerField("entrée", unique=True)
    digest = models.CharField("empreinte", max_length=64)

    class Meta:
        verbose_name = "sceau"
        ordering = ["position"]

    def __str__(self) -> str:
        return f"Sceau n° {self.position}"


class ChainHead(models.Model):
    """The end of the chain (one row): locked while a link is added, so that two processes
    never chain two entries to the same previous one; `plie journal verify` also checks
    that the last seal is still this one (nothing removed from the end)."""

    position = models.BigIntegerField("dernière position", default=0)
    digest = models.CharField("dernière empreinte", max_length=64, default="")

    class Meta:
        verbose_name = "journal"

    def __str__(self) -> str:
        return "Journal"
