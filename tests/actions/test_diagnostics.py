"""A referral's diagnostics, follow-up sheets and thread (issue 12, §4 and §5): each form's
rules, the CléA 75 % shown, the progress, notices, drafts hidden from the référent, the
participant's file, a provider or référent outside the referral kept out (404), and every
read journaled as a read of the person."""

import datetime
import html

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import Role
from plie.actions import diagnostics, follow_up
from plie.actions.enums import CleaLevel, Diagnostic, Fundamental, Moment, ReferralStatus
from plie.actions.models import (
    CleaPositioning,
    CleaSubdomain,
    FollowUpSheet,
    FrenchAssessment,
    MobilityAssessment,
    ReferralMessage,
    SelfAssessment,
)
from plie.audit.events import Event
from plie.core.models import Notice
from tests.factories import (
    ProviderFactory,
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
    refer,
)

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def organisation(territory):
    return ProviderFactory(name="Association Élan")


@pytest.fixture
def provider_user(organisation):
    return UserFactory(username="elan", role=Role.PROVIDER, organisation=organisation)


@pytest.fixture
def other_provider(territory):
    return UserFactory(username="autre.prestataire", role=Role.PROVIDER)


@pytest.fixture
def referral(referent, organisation):
    person = active_pathway(
        referent, entry_date=timezone.localdate() - datetime.timedelta(days=60), last_name="Durand"
    ).participant
    action = make_action(make_agreement(organisation))
    return refer(person, make_cohort(action, sessions=False), status=ReferralStatus.ACCEPTED)


def text(response) -> str:
    return html.unescape(response.content.decode())


def today():
    return timezone.localdate().isoformat()


def url(name, referral, *more):
    return reverse(name, args=[referral.pk, *more])


# Forms -------------------------------------------------------------------------------------


def test_the_provider_records_french_with_not_assessed_skills(client, provider_user, referral):
    client.force_login(provider_user)
    response = client.post(
        url("actions:assessment_french", referral, "debut"),
        {"assessed_on": today(), "oral_comprehension": "B1", "written_expression": ""},
    )
    assert response.status_code == 302
    record = FrenchAssessment.objects.get(referral=referral, moment=Moment.START)
    assert record.oral_comprehension == "B1" and record.written_expression == ""
    assert record.recorded_by == provider_user
    page = text(client.get(url("actions:referral_assessments", referral)))
    assert "Non évalué" in page and "B1" in page


def test_french_needs_at_least_one_skill_and_a_past_date(client, provider_user, referral):
    client.force_login(provider_user)
    address = url("actions:assessment_french", referral, "fin")
    nothing = client.post(address, {"assessed_on": today()})
    assert "Aucune compétence n'est évaluée" in text(nothing)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = client.post(address, {"assessed_on": tomorrow, "oral_expression": "A1"})
    assert "dans le futur" in text(future)
    assert not FrenchAssessment.objects.exists()


def test_a_diagnostic_is_not_dated_before_the_referral(client, provider_user, referral):
    client.force_login(provider_user)
    address = url("actions:assessment_french", referral, "debut")
    sent_on = timezone.localdate(referral.created_at)
    before = (sent_on - datetime.timedelta(days=1)).isoformat()
    refused = client.post(address, {"assessed_on": before, "oral_expression": "A1"})
    assert "Un diagnostic ne précède pas l'orientation" in text(refused)
    assert not FrenchAssessment.objects.exists()
    client.post(address, {"assessed_on": sent_on.isoformat(), "oral_expression": "A1"})
    assert FrenchAssessment.objects.get().assessed_on == sent_on


def test_an_unknown_moment_is_a_404(client, provider_user, referral):
    client.force_login(provider_user)
    assert client.get(url("actions:assessment_french", referral, "milieu")).status_code == 404


def test_mobility_rules(client, provider_user, referral):
    client.force_login(provider_user)
    values = {
        "assessed_on": today(),
        "driving_licence": "none",
        "vehicle": "bicycle",
        "public_transport": "with_help",
        "travel_radius_km": "501",
        "oriented_to_platform": "on",
    }
    address = url("actions:assessment_mobility", referral)
    assert client.post(address, values).status_code == 200
    assert client.post(address, values | {"travel_radius_km": "20"}).status_code == 302
    record = MobilityAssessment.objects.get(referral=referral)
    assert record.oriented_to_platform and record.travel_radius_km == 20
    # Corrected in place, never twice.
    client.post(address, values | {"travel_radius_km": "30", "oriented_to_platform": ""})
    assert MobilityAssessment.objects.get(referral=referral).travel_radius_km == 30


def test_clea_form_shows_the_28_subdomains_and_the_share(client, provider_user, referral):
    client.force_login(provider_user)
    address = url("actions:assessment_clea", referral, "debut")
    page = client.get(address)
    form = page.context["form"]
    assert len(form.subdomains) == 28
    assert len(form.domains()) == 7
    values = {"assessed_on": today(), "oriented_to_daq": "on"}
    for index, subdomain in enumerate(form.subdomains):
        values[f"sd_{subdomain.pk}"] = CleaLevel.ACQUIRED if index < 19 else CleaLevel.TO_WORK_ON
    assert client.post(address, values).status_code == 302
    positioning = CleaPositioning.objects.get(referral=referral)
    assert positioning.oriented_to_daq and positioning.results.count() == 28
    summary = text(client.get(url("actions:referral_assessments", referral)))
    assert (
        f"19 points sur 28, soit 68{NBSP}% : il manque 2 points pour atteindre 75{NBSP}%" in summary
    )


def test_clea_21_of_28_reaches_the_threshold_not_assessed_counting_as_not_acquired(
    referral, referent
):
    subdomains = list(CleaSubdomain.objects.all())
    levels = {s.pk: CleaLevel.ACQUIRED for s in subdomains[:21]}  # the 7 others: not assessed
    positioning = diagnostics.record_clea(
        referral=referral,
        moment=Moment.END,
        assessed_on=timezone.localdate(),
        levels=levels,
        oriented_to_daq=False,
        by=referent,
    )
    overall = diagnostics.clea_reading(positioning).overall
    assert overall.reached and overall.not_assessed == 7
    levels[subdomains[20].pk] = CleaLevel.NOT_ASSESSED
    positioning = diagnostics.record_clea(
        referral=referral,
        moment=Moment.END,
        assessed_on=timezone.localdate(),
        levels=levels,
        oriented_to_daq=False,
        by=referent,
    )
    overall = diagnostics.clea_reading(positioning).overall
    assert not overall.reached and overall.missing == 1


def test_self_assessment_progress_once_both_exist(client, provider_user, referral):
    client.force_login(provider_user)
    start = {"assessed_on": today()} | dict.fromkeys(Fundamental.values, "1")
    assert client.post(url("actions:assessment_self", referral, "debut"), start).status_code == 302
    page = text(client.get(url("actions:referral_assessments", referral)))
    assert "La progression s'affiche une fois" in page
    incomplete = {"assessed_on": today(), "confidence": "4"}
    sent = client.post(url("actions:assessment_self", referral, "fin"), incomplete)
    assert sent.status_code == 200 and SelfAssessment.objects.count() == 1
    end = start | dict.fromkeys(Fundamental.values, "3") | {"motivation": "5"}
    assert client.post(url("actions:assessment_self", referral, "fin"), end).status_code == 200
    end["motivation"] = "4"
    assert client.post(url("actions:assessment_self", referral, "fin"), end).status_code == 302
    summary = client.get(url("actions:referral_assessments", referral)).context["summary"]
    assert [row["change"] for row in summary.progress] == [2, 2, 2, 2, 2, 3]


def test_cohort_progress_counts_people_with_both(referral, referent):
    today_ = timezone.localdate()
    for moment, score in ((Moment.START, 1), (Moment.END, 3)):
        diagnostics.record_self_assessment(
            referral=referral,
            moment=moment,
            assessed_on=today_,
            scores=dict.fromkeys(Fundamental.values, score),
            by=referent,
        )
    other = active_pathway(referent, entry_date=today_, last_name="Petit").participant
    left = refer(other, referral.cohort, status=ReferralStatus.ACCEPTED)
    diagnostics.record_self_assessment(
        referral=left,
        moment=Moment.START,
        assessed_on=today_,
        scores=dict.fromkeys(Fundamental.values, 4),
        by=referent,
    )
    averages = diagnostics.cohort_progress(referral.cohort)
    assert {(a.people, a.start, a.end) for a in averages} == {(1, 1, 3)}


def test_a_diagnostic_the_action_does_not_deliver_is_refused(client, provider_user, referral):
    action = referral.action
    action.diagnostics = [Diagnostic.FRENCH]
    action.save()
    client.force_login(provider_user)
    assert client.get(url("actions:assessment_mobility", referral)).status_code == 404
    page = text(client.get(url("actions:referral_assessments", referral)))
    assert "Mobilité" not in page
    with pytest.raises(ValidationError):
        diagnostics.record_mobility(
            referral=referral,
            assessed_on=timezone.localdate(),
            values={},
            by=provider_user,
        )


def test_a_referral_not_yet_accepted_takes_no_diagnostic(client, provider_user, referral):
    referral.status = ReferralStatus.SENT
    referral.save()
    client.force_login(provider_user)
    response = client.post(
        url("actions:assessment_french", referral, "debut"),
        {"assessed_on": today(), "oral_comprehension": "A1"},
    )
    assert response.status_code == 200
    assert "acceptez d'abord" in text(response)


def test_the_referent_reads_but_does_not_record(client, referent, referral):
    client.force_login(referent)
    assert client.get(url("actions:referral_assessments", referral)).status_code == 200
    assert client.get(url("actions:assessment_french", referral, "debut")).status_code == 403


# Follow-up sheets and thread ---------------------------------------------------------------


def sheet_values(**more):
    return {
        "kind": "interim",
        "observations": "Présente à toutes les séances.",
        "axis_0": "training",
        "text_0": "Positionnement CléA complet.",
        "axis_1": "mobility",
        "text_1": "Plateforme Mobilité pour le permis.",
    } | more


def test_a_draft_is_hidden_from_the_referent_until_sent(
    client, provider_user, referent, referral, mailoutbox, django_capture_on_commit_callbacks
):
    referent.email = "referente@plie.example"
    referent.save()
    client.force_login(provider_user)
    assert client.post(url("actions:sheet_create", referral), sheet_values()).status_code == 302
    sheet = FollowUpSheet.objects.get(referral=referral)
    assert sheet.sent_at is None and sheet.recommendations.count() == 2
    client.force_login(referent)
    page = text(client.get(url("actions:referral_follow_up", referral)))
    assert "Présente à toutes les séances" not in page
    participant_page = client.get(reverse("web:participant", args=[referral.participant_id]))
    assert "Présente à toutes les séances" not in text(participant_page)
    client.force_login(provider_user)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url("actions:sheet_send", referral, sheet.pk))
    assert sent.status_code == 302
    sheet.refresh_from_db()
    assert sheet.sent_at is not None
    notice = Notice.objects.get(recipient=referent)
    assert notice.url == url("actions:referral_follow_up", referral)
    assert "Durand" not in notice.subject + notice.body  # a notice never names the person
    assert [mail.to for mail in mailoutbox] == [["referente@plie.example"]]
    client.force_login(referent)
    page = text(client.get(url("actions:referral_follow_up", referral)))
    assert "Présente à toutes les séances" in page and "Plateforme Mobilité pour le permis" in page
    participant_page = client.get(reverse("web:participant", args=[referral.participant_id]))
    shown = text(participant_page)
    assert "Diagnostics et fiches de suivi" in shown
    assert "Plateforme Mobilité pour le permis" in shown


def test_a_sent_sheet_never_changes(client, provider_user, referral):
    sheet = follow_up.save_sheet(
        referral=referral,
        kind="interim",
        observations="Bien.",
        recommendations=[],
        by=provider_user,
    )
    follow_up.send_sheet(sheet=sheet, by=provider_user)
    client.force_login(provider_user)
    assert client.get(url("actions:sheet_edit", referral, sheet.pk)).status_code == 403
    client.post(url("actions:sheet_send", referral, sheet.pk))
    with pytest.raises(ValidationError):
        follow_up.save_sheet(
            referral=referral,
            sheet=sheet,
            kind="final",
            observations="Changé",
            recommendations=[],
            by=provider_user,
        )
    sheet.refresh_from_db()
    assert sheet.observations == "Bien." and sheet.version == 2


def test_a_recommendation_needs_its_axis_and_its_text(client, provider_user, referral):
    client.force_login(provider_user)
    response = client.post(url("actions:sheet_create", referral), sheet_values(text_1=""))
    assert response.status_code == 200
    assert "Écrivez la préconisation" in text(response)
    response = client.post(url("actions:sheet_create", referral), sheet_values(axis_0=""))
    assert "Choisissez l'axe" in text(response)
    assert not FollowUpSheet.objects.exists()


def test_each_message_notifies_the_other_side(client, provider_user, referent, referral):
    client.force_login(provider_user)
    address = url("actions:message_post", referral)
    assert client.post(address, {"body": "Absente lundi."}).status_code == 302
    assert Notice.objects.filter(recipient=referent).count() == 1
    assert not Notice.objects.filter(recipient=provider_user).exists()
    client.force_login(referent)
    assert client.post(address, {"body": "Merci, je l'appelle."}).status_code == 302
    assert Notice.objects.filter(recipient=provider_user).count() == 1
    assert ReferralMessage.objects.filter(referral=referral).count() == 2
    assert client.post(address, {"body": "  "}).status_code == 200


def test_the_coordination_sees_all_and_writes_to_both(client, coordinator, referral, referent):
    follow_up.save_sheet(
        referral=referral, kind="interim", observations="Brouillon", recommendations=[], by=None
    )
    provider_user = UserFactory(role=Role.PROVIDER, organisation=referral.action.agreement.provider)
    client.force_login(coordinator)
    assert "Brouillon" in text(client.get(url("actions:referral_follow_up", referral)))
    client.post(url("actions:message_post", referral), {"body": "Point d'étape jeudi."})
    assert {n.recipient for n in Notice.objects.all()} == {referent, provider_user}


# Who reaches what --------------------------------------------------------------------------

ADDRESSES = (
    ("actions:referral_assessments",),
    ("actions:assessment_french", "debut"),
    ("actions:assessment_mobility",),
    ("actions:referral_follow_up",),
    ("actions:sheet_create",),
)


@pytest.mark.parametrize("who", ["other_provider", "outsider"])
def test_another_provider_or_a_referent_who_does_not_follow_gets_404(
    client, request, referral, who
):
    user = request.getfixturevalue(who)
    sheet = follow_up.save_sheet(
        referral=referral, kind="interim", observations="x", recommendations=[], by=None
    )
    client.force_login(user)
    for name, *more in ADDRESSES:
        assert client.get(url(name, referral, *more)).status_code == 404, name
    assert client.post(url("actions:message_post", referral), {"body": "x"}).status_code == 404
    assert client.post(url("actions:sheet_send", referral, sheet.pk)).status_code == 404
    assert client.get(url("actions:sheet_edit", referral, sheet.pk)).status_code == 404
    assert not ReferralMessage.objects.exists()
    sheet.refresh_from_db()
    assert sheet.sent_at is None


def test_the_provider_loses_the_referral_once_the_final_sheet_is_sent(
    client, provider_user, referral
):
    referral.status = ReferralStatus.COMPLETED
    referral.save()
    sheet = follow_up.save_sheet(
        referral=referral, kind="final", observations="Fin.", recommendations=[], by=provider_user
    )
    follow_up.send_sheet(sheet=sheet, by=provider_user)
    client.force_login(provider_user)
    assert client.get(url("actions:referral_follow_up", referral)).status_code == 404


def test_a_providers_read_is_journaled_as_a_read_of_the_person(client, provider_user, referral):
    client.force_login(provider_user)
    for name in ("actions:referral_assessments", "actions:referral_follow_up"):
        client.get(url(name, referral))
    reads = LogEntry.objects.filter(
        actor=provider_user, additional_data__event=Event.READ, object_id=referral.participant_id
    )
    assert reads.count() == 2
