"""The one way views get a pathway: through its participant (permission checked, reading
journaled, refusal journaled), then the pathway by its number."""

from django.shortcuts import get_object_or_404

from plie.participants.access import get_participant_for_user
from plie.pathways.models import Pathway


def get_pathway_for_user(request, pk: int, number: int, *, perm: str):
    participant = get_participant_for_user(request, pk, perm=perm)
    pathway = get_object_or_404(
        Pathway.objects.select_related("education_level", "referent"),
        participant=participant,
        number=number,
    )
    pathway.participant = participant
    return participant, pathway
