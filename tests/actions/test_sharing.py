"""What the provider reads of a referred person: the name, then only the fields the référent
chose among those the register lets pass — a forged key is never read."""

import datetime

import pytest

from plie.actions import sharing
from tests.factories import ParticipantFactory, make_cohort, refer

pytestmark = pytest.mark.django_db


def test_the_name_always_goes_and_the_chosen_fields_follow_in_the_register_s_order(referent):
    participant = ParticipantFactory(
        referent=referent, last_name="Durand", first_name="Inès", phone="06 12 34 56 78"
    )
    referral = refer(
        participant,
        make_cohort(sessions=False),
        shared_fields=[
            "participants.Participant.phone",
            "participants.Participant.birth_date",
        ],
    )
    values = [(value.label, value.value) for value in sharing.shared_values(referral)]
    assert values == [
        ("Nom", "Durand"),
        ("Prénom", "Inès"),
        ("Date de naissance", "12/04/1985"),
        ("Téléphone", "06 12 34 56 78"),
    ]


@pytest.mark.parametrize(
    "forged",
    [
        "pathways.Pathway.receives_rsa",
        "pathways.Pathway.justice_measure",
        "participants.Participant.nationality",
        "participants.Participant.name_key",
        "participants.Participant.pk",
    ],
)
def test_a_field_the_register_does_not_let_pass_is_never_read(referent, forged):
    participant = ParticipantFactory(referent=referent)
    referral = refer(participant, make_cohort(sessions=False), shared_fields=[forged])
    assert len(sharing.shared_values(referral)) == 2
    assert forged not in dict(sharing.choices())


def test_the_choices_offer_no_sensitive_field_nor_the_name():
    keys = dict(sharing.choices())
    assert "participants.Participant.phone" in keys
    assert "pathways.Pathway.education_level" in keys
    assert not set(sharing.ALWAYS_SHARED) & set(keys)


def test_the_factories_build_a_cohort_of_three_weeks_of_workshops(territory):
    cohort = make_cohort(starts_on=datetime.date(2027, 1, 4))
    assert cohort.ends_on == datetime.date(2027, 1, 24)
    assert [session.date.weekday() for session in cohort.sessions.all()] == [0, 1, 3] * 3
