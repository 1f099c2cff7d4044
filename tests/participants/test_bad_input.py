"""Bad input on the referral form gets a clear French message and nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plie.participants.models import Participant, Referral
from plie.territory.models import Commune
from tests.factories import ParticipantFactory, PrescriberFactory
from tests.forms import hidden_fields, posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def valid_post(territory):
    prescriber = PrescriberFactory()
    return {
        "person-last_name": "Durand",
        "person-first_name": "Léa",
        "person-sex": "F",
        "person-birth_date": "1990-03-04",
        "person-commune": str(Commune.objects.get(insee_code="21231").pk),
        "referral-prescriber": str(prescriber.pk),
        "referral-referred_on": timezone.localdate().isoformat(),
        "referral-reason": "Souhaite retrouver un emploi",
    }


def post(client, user, data):
    client.force_login(user)
    return posted(client, reverse("participants:referral_create"), data)


def test_valid_referral_is_saved(client, referent, valid_post):
    response = post(client, referent, valid_post)
    assert response.status_code == 302
    participant = Participant.objects.get(last_name="Durand")
    assert participant.referent == referent
    assert participant.file_number.startswith(f"{timezone.localdate().year}-")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "person-birth_date",
            (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "dans le futur",
        ),
        ("person-birth_date", "1910-01-01", "plus de 110 ans"),
        ("person-birth_date", "1890-01-01", "antérieure à 1900"),
        ("person-birth_date", "31/02/1990", "Saisissez une date valide"),
        (
            "referral-referred_on",
            (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "dans le futur",
        ),
        ("person-commune", "999999", "Sélectionnez un choix valide"),
        ("person-last_name", "X" * 101, "au plus 100 caractères"),
        ("referral-reason", "x" * 2001, "au plus 2000 caractères"),
        ("person-last_name", "", "Ce champ est obligatoire"),
        ("person-email", "pas-une-adresse", "adresse de courriel valide"),
        ("person-postcode", "ABCDE", "5 chiffres"),
        ("person-phone", "appeler mardi", "numéro de téléphone"),
        ("referral-referred_on", "2019-01-01", "plus d&#x27;un an"),
        ("person-commune_outside_territory", "Dijon", "Dijon fait partie du territoire"),
        ("person-commune_outside_territory", "CHENOVE", "Chenôve fait partie du territoire"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_saved(
    client, referent, valid_post, field, value, message
):
    data = {**valid_post, field: value}
    if field == "person-commune_outside_territory":
        data["person-commune"] = ""
    response = post(client, referent, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Participant.objects.exists()
    assert not Referral.objects.exists()


def test_a_refused_form_marks_the_field_in_error_and_no_other_as_valid(
    client, referent, valid_post
):
    response = post(client, referent, {**valid_post, "person-postcode": "ABCDE"})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("is-invalid") == 1  # the postcode, its message below
    assert 'id="id_person-postcode"' in content.split("is-invalid")[1].split(">")[0]
    assert "is-valid" not in content.replace("is-invalid", "")


def test_commune_outside_the_territory_is_recorded_as_such(client, referent, valid_post):
    data = {**valid_post, "person-commune": "", "person-commune_outside_territory": "Beaune"}
    assert post(client, referent, data).status_code == 302
    participant = Participant.objects.get()
    assert participant.commune is None
    assert participant.residence_label == "Beaune"


def test_no_commune_at_all_is_refused(client, referent, valid_post):
    response = post(client, referent, {**valid_post, "person-commune": ""})
    assert "Choisissez la commune de résidence" in response.content.decode()
    assert not Participant.objects.exists()


def test_qpv_of_another_commune_is_refused(client, referent, valid_post):
    from plie.territory.models import Qpv

    le_mail = Qpv.objects.get(name="Le Mail")  # in Chenôve, not Dijon
    response = post(client, referent, {**valid_post, "person-qpv": str(le_mail.pk)})
    assert "est pas à Dijon" in response.content.decode()
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("postcode", "refused"), [("75001", True), ("20000", True), ("21000", False), ("21800", False)]
)
def test_a_postcode_of_another_departement_than_the_commune_is_refused(
    client, referent, valid_post, postcode, refused
):
    """The trial saved « 75001 » with Fénay; a commune may have several postcodes of its
    département, so only another département is refused."""
    response = post(client, referent, {**valid_post, "person-postcode": postcode})
    if refused:
        assert f"Le code postal {postcode} n&#x27;est pas celui de Dijon (21000)" in (
            response.content.decode()
        )
        assert not Participant.objects.exists()
    else:
        assert response.status_code == 302


def test_duplicate_is_flagged_before_creation(client, referent, valid_post):
    existing = ParticipantFactory(
        last_name="Durand",
        first_name="Léa",
        birth_date=datetime.date(1990, 3, 4),
        referent=referent,
    )
    response = post(client, referent, {**valid_post, "person-last_name": "DURAND"})
    content = response.content.decode()
    assert "Cette personne existe peut-être déjà" in content
    assert existing.file_number in content
    assert Participant.objects.count() == 1
    response = post(client, referent, {**valid_post, "check-confirm_new_person": "on"})
    assert response.status_code == 302
    assert Participant.objects.count() == 2


def test_entry_before_referral_is_refused_at_committee(client, referent, project_officer):
    from plie.committee import services as committee
    from plie.committee.models import CommitteeItem
    from plie.pathways import entry
    from tests.factories import MeetingFactory, PathwayFactory, ReferralFactory

    participant = ParticipantFactory(referent=referent)
    referral = ReferralFactory(
        participant=participant, referred_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    pathway = PathwayFactory(
        participant=participant,
        referral=referral,
        wishes_to_commit=True,
        labour_market_status="unemployed",
    )
    entry.assess_eligibility(pathway=pathway, by=referent)
    meeting = MeetingFactory(held_on=timezone.localdate() + datetime.timedelta(days=1))
    item = committee.propose_entry(
        pathway=pathway, meeting=meeting, proposed_referent=referent, by=referent
    )
    # The meeting is moved before the referral afterwards: validation must still refuse.
    meeting.held_on = referral.referred_on - datetime.timedelta(days=1)
    meeting.save()
    client.force_login(project_officer)
    page = reverse("committee:meeting_detail", args=[meeting.pk])
    action = reverse("committee:decide", args=[meeting.pk, item.pk])
    response = client.post(
        action,
        {
            **hidden_fields(client, page, action),
            f"item{item.pk}-decision": "validated",
            f"item{item.pk}-referent": referent.pk,
        },
        follow=True,
    )
    assert "ne peut pas précéder l&#x27;orientation" in response.content.decode()
    item.refresh_from_db()
    pathway.refresh_from_db()
    assert item.decision == CommitteeItem._meta.get_field("decision").default
    assert pathway.entry_date is None


@pytest.mark.parametrize(
    ("last_name", "first_name"),
    [("LEFEVRE", "amandine"), ("Lefèvre", "Amandine"), ("lefevre", "AMANDINE")],
    ids=["capitals-no-accent", "same", "lower-no-accent"],
)
def test_duplicates_are_found_whatever_the_accents_and_capitals(territory, last_name, first_name):
    from plie.participants.selectors import possible_duplicates

    existing = ParticipantFactory(
        last_name="Lefèvre", first_name="Amandine", birth_date=datetime.date(1988, 4, 12)
    )
    found = possible_duplicates(
        last_name=last_name, first_name=first_name, birth_date=datetime.date(1988, 4, 12)
    )
    assert list(found) == [existing]
    assert not possible_duplicates(
        last_name=last_name, first_name=first_name, birth_date=datetime.date(1988, 4, 13)
    ).exists()


def test_a_married_name_matches_the_birth_name(territory):
    from plie.participants.selectors import possible_duplicates

    existing = ParticipantFactory(
        last_name="Martin",
        birth_name="Benali",
        first_name="Samira",
        birth_date=datetime.date(1990, 1, 2),
    )
    found = possible_duplicates(
        last_name="BENALI", first_name="Samira", birth_date=datetime.date(1990, 1, 2)
    )
    assert list(found) == [existing]


def test_renaming_a_file_into_a_duplicate_asks_for_confirmation(client, referent):
    from django.urls import reverse

    ParticipantFactory(
        last_name="Lefèvre", first_name="Amandine", birth_date=datetime.date(1988, 4, 12)
    )
    other = ParticipantFactory(
        referent=referent,
        last_name="Lefebvre",
        first_name="Amandine",
        birth_date=datetime.date(1988, 4, 12),
        right_to_work=True,
    )
    client.force_login(referent)
    data = {
        "last_name": "LEFEVRE",
        "first_name": "Amandine",
        "sex": "F",
        "birth_date": "1988-04-12",
        "commune": other.commune_id,
        "right_to_work": "true",
    }
    url = reverse("participants:edit", args=[other.pk])
    data.update(hidden_fields(client, url))
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Un autre dossier porte déjà ce nom" in response.content.decode()
    other.refresh_from_db()
    assert other.last_name == "Lefebvre"
    response = client.post(url, {**data, "check-confirm_new_person": "on"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.last_name == "LEFEVRE"


def test_an_appointment_years_ahead_is_refused(referent):
    from django.core.exceptions import ValidationError

    from plie.participants import services
    from tests.factories import ReferralFactory

    referral = ReferralFactory(participant=ParticipantFactory(referent=referent))
    moment = timezone.now() + datetime.timedelta(days=366)
    with pytest.raises(ValidationError, match="plus d'un an"):
        services.plan_appointment(referral=referral, scheduled_for=moment, with_user=referent)
    assert not referral.appointments.exists()


def test_out_of_work_before_the_age_of_14_is_refused(client, referent):
    from tests.factories import PathwayFactory, ReferralFactory

    participant = ParticipantFactory(referent=referent, birth_date=datetime.date(1988, 5, 1))
    PathwayFactory(participant=participant, referral=ReferralFactory(participant=participant))
    client.force_login(referent)
    response = posted(
        client,
        reverse("pathways:entry_file", args=[participant.pk, 1]),
        {"labour_market_status": "unemployed", "out_of_work_since": "1970-03-01"},
    )
    assert response.status_code == 200
    assert "moins de 14 ans" in response.content.decode()
    assert participant.pathways.get().out_of_work_since is None


def test_a_refused_outreach_attempt_is_shown_again_as_typed(client, referent):
    from plie.participants.enums import ReferralStatus
    from tests.factories import ReferralFactory

    participant = ParticipantFactory(referent=referent, status="outreach")
    ReferralFactory(participant=participant, status=ReferralStatus.OUTREACH)
    client.force_login(referent)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = posted(
        client,
        reverse("web:participant", args=[participant.pk]),
        {"attempted_on": future, "mode": "call", "result": "no_answer", "note": "Messagerie"},
        action=reverse("participants:outreach_attempt", args=[participant.pk]),
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "dans le futur" in content
    assert 'value="Messagerie"' in content  # what was typed is still there
    assert not participant.referrals.get().outreach_attempts.exists()
