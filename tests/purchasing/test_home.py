"""The home page's purchasing blocks: a provider sees the open calls, its own proposals and
agreements and the deliverables awaited, nothing of another provider's; a steering member
sees the consultations waiting for their answer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import Role
from plie.purchasing.models import ConsultationAnswer, WrittenConsultation
from tests.factories import (
    CallForProposalsFactory,
    ProposalFactory,
    ProviderFactory,
    UserFactory,
    make_agreement,
)

pytestmark = pytest.mark.django_db


def test_a_provider_s_home_shows_its_calls_proposals_and_awaited_deliverables(client, territory):
    mine, theirs = ProviderFactory(name="Élan"), ProviderFactory(name="Rival")
    user = UserFactory(role=Role.PROVIDER, organisation=mine)
    call = CallForProposalsFactory(title="Atelier mobilité")
    ProposalFactory(call=call, provider=mine, summary="Notre offre")
    ProposalFactory(provider=theirs, call=CallForProposalsFactory(title="Appel du rival"))
    coordinator = UserFactory(role=Role.COORDINATOR)
    agreement = make_agreement(mine, title="Convention Élan", by=coordinator)
    make_agreement(theirs, title="Convention Rival", by=coordinator)
    client.force_login(user)
    page = client.get(reverse("web:home")).content.decode()
    assert "Atelier mobilité" in page and "Convention Élan" in page
    assert "Convention Rival" not in page
    first = agreement.instalments.get(order=1).deliverables.get()
    assert "Livrables attendus" in page and first.label in page
    assert page.count("Appel du rival") == 1  # an open call, not its proposal


def test_a_steering_member_s_home_lists_the_consultation_to_answer(client, territory):
    member = UserFactory(role=Role.STEERING_VIEWER)
    proposal = ProposalFactory(provider=ProviderFactory(name="Élan"))
    consultation = WrittenConsultation.objects.create(
        call=proposal.call,
        proposed=proposal,
        message="Votre avis",
        answer_by=timezone.localdate() + datetime.timedelta(days=5),
        opened_by=UserFactory(role=Role.COORDINATOR),
    )
    ConsultationAnswer.objects.create(consultation=consultation, member=member)
    client.force_login(member)
    page = client.get(reverse("web:home")).content.decode()
    assert "1 consultation attend votre avis" in page
    assert reverse("scoring:consultation_answer", args=[proposal.call_id]) in page
