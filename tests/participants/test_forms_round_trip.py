"""Saving a form as the browser shows it changes nothing: every saved answer is shown again.

The trial found that yes/no answers were not pre-selected, so re-saving the entry file to
fix one field quietly erased the others.
"""

import pytest
from django.urls import reverse

from plie.participants.enums import LabourMarketStatus
from plie.pathways.models import Pathway
from tests.factories import ParticipantFactory, PathwayFactory, ReferralFactory
from tests.forms import shown_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def pathway(referent):
    participant = ParticipantFactory(referent=referent, status="entry_in_progress")
    referral = ReferralFactory(participant=participant, status="met")
    return PathwayFactory(
        participant=participant,
        referral=referral,
        labour_market_status=LabourMarketStatus.UNEMPLOYED,
        registered_job_seeker=True,
        receives_rsa=True,
        single_parent=False,
        disability=True,
        wishes_to_commit=True,
        highest_diploma="CAP",
    )


FLAGS = ["registered_job_seeker", "receives_rsa", "single_parent", "disability", "wishes_to_commit"]


@pytest.mark.parametrize("role", ["referent", "project_officer"])
def test_resaving_the_entry_file_as_shown_keeps_every_answer(client, request, pathway, role):
    client.force_login(request.getfixturevalue(role))
    url = reverse("pathways:entry_file", args=[pathway.participant.pk, 1])
    values = shown_values(client.get(url).content.decode())
    assert values["receives_rsa"] == ["true"] and values["single_parent"] == ["false"]
    values["highest_diploma"] = ["CAP cuisine"]
    before = {flag: getattr(pathway, flag) for flag in FLAGS}
    assert client.post(url, values).status_code == 302
    saved = Pathway.objects.get(pk=pathway.pk)
    assert {flag: getattr(saved, flag) for flag in FLAGS} == before
    assert saved.highest_diploma == "CAP cuisine"


@pytest.mark.parametrize("role", ["referent", "assistant"])
def test_resaving_the_identity_as_shown_keeps_the_right_to_work(client, request, pathway, role):
    """The assistant, who is not shown it, keeps it too."""
    participant = pathway.participant
    client.force_login(request.getfixturevalue(role))
    url = reverse("participants:edit", args=[participant.pk])
    values = shown_values(client.get(url).content.decode())
    assert values.get("right_to_work") == (["true"] if role == "referent" else None)
    values["phone"] = ["06 12 34 56 78"]
    assert client.post(url, values).status_code == 302
    participant.refresh_from_db()
    assert participant.right_to_work is True
    assert participant.phone == "06 12 34 56 78"
