"""The one way views get a participant: permission checked, reading journaled (whatever the
method, page or htmx fragment, form valid or sent back), refusal journaled."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plie.audit.journal import record_refusal
from plie.audit.reads import shown
from plie.participants.models import Participant


def get_participant_for_user(request, pk: int, *, perm: str = "participants.open_participant"):
    participant = get_object_or_404(
        Participant.objects.select_related("commune", "qpv", "referent", "programme"), pk=pk
    )
    if not request.user.has_perm(perm, participant):
        record_refusal(user=request.user, participant=participant)
        raise PermissionDenied("Ce dossier ne fait pas partie de ceux que vous suivez.")
    shown(request, participant)  # journaled when the response leaves, unless a redirect
    return participant
