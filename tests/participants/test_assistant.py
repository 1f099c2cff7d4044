"""The assistant's part, at each of its boundaries: she corrects a person's administrative data
(identity, contact details, address: her data-quality work) and reads every record without
its sensitive data; she does not act on the pathway (referral, first appointment, outreach,
entry file, eligibility, steps, contacts, proposals, decisions), and of an eligibility
assessment whose criteria are partly hidden from her she reads the verdict alone."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plie.participants import services
from plie.participants.eligibility import EligibilityFacts, assess
from plie.participants.enums import (
    AppointmentOutcome,
    LabourMarketStatus,
    ParticipantStatus,
    ReferralStatus,
)
from plie.participants.models import Appointment, OutreachAttempt, Participant, Referral
from plie.pathways import entry
from plie.pathways.entry_summary import UNDECIDED_HIDDEN, visible_explanation
from plie.pathways.models import Contact, EligibilityAssessment, Step
from tests.factories import (
    ParticipantFactory,
    PrescriberFactory,
    ReferralFactory,
    UserFactory,
    active_pathway,
)
from tests.forms import posted
from tests.participants.test_eligibility import KNOWN_VALUES, both_rules

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
IN_TWO_DAYS = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def awaiting(referent):
    """A person referred to the référent, waiting for a first appointment."""
    participant = ParticipantFactory(
        referent=referent, status=ParticipantStatus.REFERRED, last_name="Mercier"
    )
    ReferralFactory(participant=participant, status=ReferralStatus.AWAITING_APPOINTMENT)
    return participant


@pytest.fixture
def planned(awaiting, referent):
    referral = awaiting.referrals.get()
    services.plan_appointment(
        referral=referral,
        scheduled_for=timezone.now() + datetime.timedelta(days=2),
        with_user=referent,
    )
    return awaiting


@pytest.fixture
def candidate(referent):
    """Met at the first appointment: a draft entry file, assessed under the 2021-2026
    protocol. A man of 41, out of work for a month (criteria she sees: « non »), on RSA
    (hidden from her): the group « Public cible » says « oui » — were it shown beside the
    visible « non », it would point at the hidden criteria."""
    participant = ParticipantFactory(
        referent=referent, status=ParticipantStatus.REFERRED, last_name="Garnier", sex="M"
    )
    referral = ReferralFactory(participant=participant, status=ReferralStatus.MET)
    pathway = entry.open_entry_file(referral=referral)
    pathway.wishes_to_commit = True
    pathway.labour_market_status = LabourMarketStatus.UNEMPLOYED
    pathway.out_of_work_since = TODAY - datetime.timedelta(days=40)
    pathway.receives_rsa = True
    pathway.save()
    entry.assess_eligibility(pathway=pathway, by=referent)
    return participant


def test_the_assistant_corrects_identity_contact_details_and_address(client, assistant, awaiting):
    client.force_login(assistant)
    response = posted(
        client,
        reverse("participants:edit", args=[awaiting.pk]),
        {
            "last_name": "Mercier",
            "first_name": awaiting.first_name,
            "sex": awaiting.sex,
            "birth_date": awaiting.birth_date.isoformat(),
            "phone": "03 80 00 00 00",
            "email": "nouvelle.adresse@example.org",
            "address": "12 rue des Forges",
            "postcode": "21000",
            "commune": awaiting.commune_id,
        },
    )
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert (awaiting.phone, awaiting.address) == ("03 80 00 00 00", "12 rue des Forges")
    assert awaiting.right_to_work is True  # a sensitive field she was not shown is kept


def test_the_assistant_does_not_plan_a_first_appointment(client, assistant, awaiting):
    client.force_login(assistant)
    response = client.post(
        reverse("participants:appointment_plan", args=[awaiting.pk]),
        {"scheduled_for": IN_TWO_DAYS, "place": "Maison de l'emploi"},
    )
    assert response.status_code == 403
    assert not Appointment.objects.exists()


def test_the_assistant_does_not_record_the_outcome_of_an_appointment(client, assistant, planned):
    appointment = Appointment.objects.get()
    client.force_login(assistant)
    response = client.post(
        reverse("pathways:appointment_outcome", args=[planned.pk, appointment.pk]),
        {"outcome": AppointmentOutcome.CANCELLED},
    )
    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.outcome == AppointmentOutcome.PLANNED


def test_the_assistant_does_not_close_a_referral(client, assistant, awaiting):
    client.force_login(assistant)
    response = client.post(
        reverse("pathways:referral_close", args=[awaiting.pk]),
        {"close-outcome": "declined", "close-closed_on": TODAY.isoformat()},
    )
    assert response.status_code == 403
    assert Referral.objects.get().status == ReferralStatus.AWAITING_APPOINTMENT


def test_the_assistant_does_not_record_an_outreach_attempt(client, assistant, awaiting):
    Referral.objects.update(status=ReferralStatus.OUTREACH)
    client.force_login(assistant)
    response = client.post(
        reverse("participants:outreach_attempt", args=[awaiting.pk]),
        {"attempted_on": TODAY.isoformat(), "mode": "call", "result": "no_answer"},
    )
    assert response.status_code == 403
    assert not OutreachAttempt.objects.exists()


def test_the_assistant_does_not_record_a_referral(client, assistant):
    client.force_login(assistant)
    assert client.get(reverse("participants:referral_create")).status_code == 403
    response = client.post(
        reverse("participants:referral_create"),
        {
            "person-last_name": "Nouvelle",
            "person-first_name": "Personne",
            "person-sex": "F",
            "person-birth_date": "1990-01-01",
            "person-commune": 1,
            "referral-prescriber": PrescriberFactory().pk,
            "referral-referred_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 403
    assert not Participant.objects.filter(last_name="Nouvelle").exists()


def test_the_assistant_does_not_open_the_entry_file_form(client, assistant, candidate):
    client.force_login(assistant)
    url = reverse("pathways:entry_file", args=[candidate.pk, 1])
    assert client.get(url).status_code == 403
    response = client.post(url, {"wishes_to_commit": "false"})
    assert response.status_code == 403
    assert candidate.pathways.get().wishes_to_commit is True


def test_the_assistant_does_not_assess_eligibility(client, assistant, candidate):
    client.force_login(assistant)
    response = client.post(reverse("pathways:eligibility_assess", args=[candidate.pk, 1]))
    assert response.status_code == 403
    assert EligibilityAssessment.objects.count() == 1


def test_the_assistant_records_no_step_no_contact_no_proposal(client, assistant, referent):
    pathway = active_pathway(referent, entry_date=TODAY - datetime.timedelta(days=90))
    participant = pathway.participant
    client.force_login(assistant)
    for name in ("pathways:step_add", "pathways:contact_add", "committee:propose_exit"):
        url = reverse(name, args=[participant.pk, 1])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {}).status_code == 403, name
    assert not Step.objects.exists() and not Contact.objects.exists()


def test_a_refused_pathway_page_says_her_role_not_the_file_is_the_reason(
    client, assistant, referent
):
    pathway = active_pathway(referent, entry_date=TODAY - datetime.timedelta(days=90))
    client.force_login(assistant)
    for name, label in (
        ("pathways:step_add", "Enregistrer, corriger ou retirer une étape"),
        ("pathways:contact_add", "Enregistrer, corriger ou retirer un contact"),
    ):
        response = client.get(reverse(name, args=[pathway.participant.pk, 1]))
        content = response.content.decode()
        assert response.status_code == 403, name
        assert f"Votre rôle ne permet pas cette action : « {label} »" in content, name
        assert "ne fait pas partie de ceux que vous suivez" not in content, name


def test_a_file_she_may_not_open_is_still_refused_as_not_hers(client, referent, outsider):
    pathway = active_pathway(referent, entry_date=TODAY - datetime.timedelta(days=90))
    client.force_login(outsider)
    response = client.get(reverse("pathways:step_add", args=[pathway.participant.pk, 1]))
    assert response.status_code == 403
    assert "Ce dossier ne fait pas partie de ceux que vous suivez." in response.content.decode()


def test_her_page_offers_the_identity_form_and_none_of_the_pathway_forms(
    client, assistant, referent, planned, candidate
):
    client.force_login(assistant)
    content = client.get(reverse("web:participant", args=[planned.pk])).content.decode()
    assert reverse("participants:edit", args=[planned.pk]) in content
    assert "Enregistrer l'issue" not in content
    assert reverse("pathways:referral_close", args=[planned.pk]) not in content
    Appointment.objects.all().delete()
    content = client.get(reverse("web:participant", args=[planned.pk])).content.decode()
    assert reverse("participants:appointment_plan", args=[planned.pk]) not in content
    content = client.get(reverse("web:participant", args=[candidate.pk])).content.decode()
    assert reverse("pathways:entry_file", args=[candidate.pk, 1]) not in content
    assert reverse("pathways:eligibility_assess", args=[candidate.pk, 1]) not in content
    # The référent has them all.
    client.force_login(referent)
    content = client.get(reverse("web:participant", args=[candidate.pk])).content.decode()
    assert reverse("pathways:entry_file", args=[candidate.pk, 1]) in content
    assert reverse("pathways:eligibility_assess", args=[candidate.pk, 1]) in content


def eligibility_section(content: str) -> str:
    start = content.index('id="eligibilite"')
    return content[start : content.index("</section>", start)]


def test_with_hidden_criteria_the_assistant_reads_the_verdict_alone(
    client, assistant, referent, candidate
):
    client.force_login(referent)
    seen = eligibility_section(
        client.get(reverse("web:participant", args=[candidate.pk])).content.decode()
    )
    assert "Éligible" in seen
    assert "Public cible" in seen
    assert "Bénéficiaire du RSA ou de minima sociaux : <strong>oui" in seen
    client.force_login(assistant)
    seen = eligibility_section(
        client.get(reverse("web:participant", args=[candidate.pk])).content.decode()
    )
    assert "Éligible" in seen
    # Neither the groups (« Public cible : oui ») nor the criteria she could read: beside the
    # groups or the verdict, a visible « non » points at a hidden « oui ».
    assert "Public cible" not in seen
    assert "minima sociaux" not in seen
    assert "Demandeur d&#x27;emploi de longue durée" not in seen
    assert "eligibility-findings" not in seen
    assert "réservé aux référents et à la coordination" in seen


@settings(
    max_examples=150,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rule=both_rules,
    values=st.fixed_dictionaries(
        {}, optional={name: st.none() | strategy for name, strategy in KNOWN_VALUES.items()}
    ),
)
def test_whatever_the_person_the_assistant_reads_the_verdict_and_nothing_else(
    territory, rule, values
):
    """Both protocols read sensitive criteria: for any facts, what she reads depends on the
    verdict alone, so that no hidden criterion can be told from it but by the verdict."""
    assessment = assess(rule, EligibilityFacts(**values))
    explanation = assessment.explanation(TODAY)
    summary, findings = visible_explanation(explanation, show_sensitive=False)
    assert findings == []
    assert summary == (assessment.summary if not assessment.missing else UNDECIDED_HIDDEN)
    assert "RSA" not in summary and "handicap" not in summary
    # Who reads sensitive data reads the whole explanation.
    assert visible_explanation(explanation, show_sensitive=True) == (
        explanation["summary"],
        explanation["findings"],
    )


def test_an_administrator_given_every_django_permission_records_no_referral(client, territory):
    """Permissions given one by one in the administration are not roles: the application's
    own permissions share no name with Django's model permissions."""
    administrator = UserFactory(username="admin", role="administrator", is_staff=True)
    administrator.user_permissions.set(Permission.objects.all())
    client.force_login(administrator)
    assert client.get(reverse("participants:referral_create")).status_code == 403
    assert client.get(reverse("web:participant_list")).status_code == 403
