"""The one way views get a participant: permission checked, reading journaled (whatever the
method, page or htmx fragment, form valid or sent back), refusal journaled."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plie.audit.journal import record_refusal
from plie.audit.reads import shown
from plie.core.permissions import action
from plie.participants.models import Participant

OPEN = "participants.open_participant"


def refusal_reason(user, participant: Participant, perm: str) -> str:
    """Why the user may not do `perm` on the participant, in French: the file is not one of
    theirs, or they may open it but their role does not allow the action asked."""
    if perm != OPEN and user.has_perm(OPEN, participant):
        label = action(perm).label
        return (
            f"Votre rôle ne permet pas cette action : « {label} ». Vous pouvez consulter le "
            "dossier ; demandez au référent ou à la coordination de la faire."
        )
    return "Ce dossier ne fait pas partie de ceux que vous suivez."


def get_participant_for_user(request, pk: int, *, perm: str = OPEN):
    participant = get_object_or_404(
        Participant.objects.select_related("commune", "qpv", "referent", "programme"), pk=pk
    )
    if not request.user.has_perm(perm, participant):
        record_refusal(user=request.user, participant=participant)
        raise PermissionDenied(refusal_reason(request.user, participant, perm))
    shown(request, participant)  # journaled when the response leaves, unless a redirect
    return participant
