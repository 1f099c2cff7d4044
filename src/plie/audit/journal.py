"""Journal the reading of participant records, and the refused attempts."""

from auditlog.models import LogEntry
from auditlog.signals import accessed


def record_view(participant) -> None:
    accessed.send(sender=participant.__class__, instance=participant)


def record_refusal(*, user, participant) -> None:
    LogEntry.objects.log_create(
        participant,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=user,
        changes={},
        additional_data={"participant_id": participant.pk, "refused": True},
    )
