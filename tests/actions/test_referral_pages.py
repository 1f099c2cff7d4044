"""The referral pages: the référent refers from the file, the provider reads only what was
passed — never the file, nor a sensitive field — and never another provider's referral; the
provider's lists and home; the reading is journaled as a read of the person."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import Role
from plie.actions import referrals as services
from plie.actions.enums import ReferralStatus
from plie.actions.models import ActionReferral
from plie.pathways.enums import ContactMode
from plie.pathways.models import Contact
from tests.factories import (
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
    refer,
)

pytestmark = pytest.mark.django_db
SECRET = "Suivi-psychiatrique-confidentiel"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def action(provider):
    return make_action(make_agreement(provider.organisation), title="Remobilisation Nord")


@pytest.fixture
def cohort(action, today):
    return make_cohort(action, starts_on=today + datetime.timedelta(days=10), sessions=False)


@pytest.fixture
def followed(referent, today):
    """A person with RSA, justice and health data, and a sensitive contact note."""
    pathway = active_pathway(
        referent,
        entry_date=today - datetime.timedelta(days=60),
        last_name="Durand",
        first_name="Inès",
        phone="06 12 34 56 78",
        nationality="non_eu",
    )
    pathway.receives_rsa = True
    pathway.justice_measure = True
    pathway.long_term_illness = True
    pathway.disability = True
    pathway.save()
    Contact.objects.create(
        pathway=pathway,
        contacted_on=today,
        mode=ContactMode.INDIVIDUAL,
        summary=SECRET,
        by=referent,
    )
    return pathway.participant


def test_the_referent_refers_from_the_file(client, referent, followed, action, cohort):
    client.force_login(referent)
    page = client.get(reverse("web:participant", args=[followed.pk])).content.decode()
    assert "Orienter vers une action" in page
    form = client.get(reverse("actions:referral_new", args=[followed.pk]))
    text = form.content.decode()
    assert "12 places restantes" in text and "nom et prénom" in text
    assert "bénéficiaire du RSA" not in text.lower()  # no sensitive field is offered
    token = form.context["form"]["submission"].value()
    response = client.post(
        reverse("actions:referral_new", args=[followed.pk]),
        {
            "submission": token,
            "cohort": cohort.pk,
            "expected_diagnostics": ["french", "clea"],
            "reason": "Reprendre un rythme",
            "shared_fields": ["participants.Participant.phone"],
        },
    )
    referral = ActionReferral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "actions:referral", args=[referral.pk]
    )
    assert referral.action == action and referral.expected_diagnostics == ["french", "clea"]
    section = client.get(reverse("web:participant", args=[followed.pk])).content.decode()
    assert "Remobilisation Nord" in section and "Envoyée au prestataire" in section


def test_the_provider_reads_only_what_was_passed(client, provider, followed, cohort):
    referral = refer(followed, cohort, shared_fields=["participants.Participant.phone"])
    client.force_login(provider)
    response = client.get(reverse("actions:referral", args=[referral.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Durand" in text and "06 12 34 56 78" in text
    for hidden in (SECRET, "RSA", "justice", "longue durée", "RQTH", "Nationalité", "Hors UE"):
        assert hidden not in text, hidden
    assert reverse("web:participant", args=[followed.pk]) not in text
    assert "Accepter" in text and "Refuser" in text
    # The file itself stays closed to the provider.
    assert client.get(reverse("web:participant", args=[followed.pk])).status_code == 403


def test_a_field_not_passed_is_not_shown(client, provider, followed, cohort):
    referral = refer(followed, cohort, shared_fields=[])
    client.force_login(provider)
    text = client.get(reverse("actions:referral", args=[referral.pk])).content.decode()
    assert "Durand" in text and "06 12 34 56 78" not in text


def test_the_provider_s_reading_is_journaled_as_a_read_of_the_person(
    client, provider, followed, cohort
):
    referral = refer(followed, cohort)
    client.force_login(provider)
    client.get(reverse("actions:referral", args=[referral.pk]))
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=provider).latest("pk")
    assert entry.additional_data["participant_id"] == followed.pk


def test_another_provider_reaches_neither_the_referral_nor_the_person(
    client, followed, cohort, territory
):
    other = UserFactory(role=Role.PROVIDER)
    referral = refer(followed, cohort)
    client.force_login(other)
    # « Page introuvable »: another provider does not even learn that the referral exists.
    for name in ("actions:referral",):
        assert client.get(reverse(name, args=[referral.pk])).status_code == 404
    for name in ("actions:referral_accept", "actions:referral_decline", "actions:referral_close"):
        assert client.post(reverse(name, args=[referral.pk]), {}).status_code == 404
    listing = client.get(reverse("actions:referrals_received")).content.decode()
    assert "Durand" not in listing
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_the_outsider_referent_cannot_open_the_referral(client, outsider, followed, cohort):
    referral = refer(followed, cohort)
    client.force_login(outsider)
    assert client.get(reverse("actions:referral", args=[referral.pk])).status_code == 403
    assert client.post(reverse("actions:referral_withdraw", args=[referral.pk])).status_code == 403


def test_the_provider_accepts_from_the_page(client, provider, referent, followed, cohort):
    referral = refer(followed, cohort)
    client.force_login(provider)
    response = client.post(
        reverse("actions:referral_accept", args=[referral.pk]), {"accept-cohort": cohort.pk}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.step is not None


def test_the_received_list_groups_by_cohort_and_hides_who_left(
    client, provider, referent, followed, cohort, action, today
):
    from plie.actions.enums import SheetKind
    from plie.actions.models import FollowUpSheet

    refer(followed, cohort)
    running = make_cohort(
        action, number=2, starts_on=today - datetime.timedelta(days=7), sessions=False
    )
    gone = active_pathway(
        referent, entry_date=today - datetime.timedelta(days=90), last_name="Partie"
    ).participant
    left = refer(gone, running, status=ReferralStatus.DROPPED_OUT, drop_out_reason="job")
    client.force_login(provider)
    text = client.get(reverse("actions:referrals_received")).content.decode()
    assert "Durand" in text and "Partie" in text and "Groupe 2" in text
    FollowUpSheet.objects.create(
        referral=left, kind=SheetKind.FINAL, observations="Fin", sent_at=timezone.now()
    )
    text = client.get(reverse("actions:referrals_received")).content.decode()
    assert "Durand" in text and "Partie" not in text
    assert "1 orientation en attente de réponse" in client.get(reverse("web:home")).content.decode()


def test_the_referent_withdraws_before_the_start(client, referent, provider, followed, cohort):
    referral = refer(followed, cohort)
    services.accept(referral=referral, by=provider)
    client.force_login(referent)
    assert (
        "Retirer l'orientation"
        in client.get(reverse("actions:referral", args=[referral.pk])).content.decode()
    )
    client.post(reverse("actions:referral_withdraw", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN


def test_choosing_the_action_first_offers_only_its_groups_and_diagnostics(
    client, referent, followed, cohort, today
):
    other = make_action(
        make_agreement(), title="Français à visée professionnelle", diagnostics=["french"]
    )
    other_cohort = make_cohort(other, starts_on=today + datetime.timedelta(days=12), sessions=False)
    client.force_login(referent)
    url = reverse("actions:referral_new", args=[followed.pk])
    both = client.get(url).content.decode()
    assert "Choisissez d'abord l'action" in both
    mine, theirs = f"Remobilisation Nord — {cohort}", f"{other} — {other_cohort}"
    assert mine in both and theirs in both
    only = client.get(url, {"action": other.pk}).content.decode()
    assert "Action choisie : <strong>Français à visée professionnelle</strong>" in only
    assert theirs in only and mine not in only
    assert 'value="clea"' not in only and 'value="french"' in only
    # An unknown or foreign number is ignored: every action is offered again.
    assert mine in client.get(url, {"action": 999999}).content.decode()


def test_the_referral_form_counts_the_places_of_every_group_in_one_query(
    client, referent, followed, cohort, action, today
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(referent)
    url = reverse("actions:referral_new", args=[followed.pk])
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for number in range(2, 7):
        make_cohort(
            action,
            number=number,
            starts_on=today + datetime.timedelta(weeks=3 * number),
            sessions=False,
        )
    assert queries() == before
