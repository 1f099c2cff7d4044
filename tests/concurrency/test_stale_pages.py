"""Two people open the same record; the first saves; the second saves from the page they
opened before that. The second save is refused: it names each field changed meanwhile, its
value on their page and now; nothing of theirs is written, nothing of the first is undone;
the form comes back with their input, and the first person's changes in the fields they had
left alone, ready to be saved once read again.

One test per kind of record edited through a form; the same pages raced by two threads on
PostgreSQL are in test_postgresql.py.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from plie.committee.enums import CommitteeDecision
from plie.participants.enums import (
    AppointmentOutcome,
    ParticipantStatus,
    PathwayStatus,
    ReferralStatus,
)
from plie.pathways import entry
from plie.pathways.forms import EntryFileForm
from plie.pathways.models import Contact, FollowUp, Pathway, ReferentChange, Step
from plie.pathways.recording import update_step, withdraw_step
from plie.territory.models import BarrierType
from tests.concurrency import scenarios
from tests.concurrency.scenarios import days, participant_page, url
from tests.factories import ParticipantFactory, UserFactory
from tests.forms import form_values, hidden_fields, posted

pytestmark = pytest.mark.django_db


def refused(response) -> str:
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert "Quelqu&#x27;un a enregistré cette fiche pendant que vous la modifiiez" in html
    return html


def identity(participant, **changes) -> dict:
    return {
        "last_name": participant.last_name,
        "first_name": participant.first_name,
        "sex": participant.sex,
        "birth_date": participant.birth_date.isoformat(),
        "commune": participant.commune_id,
        "right_to_work": "true",
        **changes,
    }


# Participant identity ----------------------------------------------------------------------


def test_identity_saved_from_a_stale_page_is_refused_and_says_what_changed(
    client, referent, coordinator
):
    participant = ParticipantFactory(referent=referent, phone="", email="")
    page = reverse("participants:edit", args=[participant.pk])
    client.force_login(referent)
    kept_open = hidden_fields(client, page)

    client.force_login(coordinator)
    assert posted(client, page, identity(participant, phone="0611223344")).status_code == 302

    client.force_login(referent)
    response = client.post(page, {**kept_open, **identity(participant, email="lea@exemple.fr")})
    html = refused(response)
    assert (
        "Téléphone : « (vide) » sur votre page, « 0611223344 » maintenant. "
        "Valeur reprise dans le formulaire."
    ) in html
    participant.refresh_from_db()
    assert (participant.phone, participant.email) == ("0611223344", "")
    # The form kept what she typed and took what she had left alone; saved again, both stay.
    again = form_values(html)
    assert again["email"] == ["lea@exemple.fr"] and again["phone"] == ["0611223344"]
    assert client.post(page, again).status_code == 302
    participant.refresh_from_db()
    assert (participant.phone, participant.email) == ("0611223344", "lea@exemple.fr")


def test_a_field_both_changed_keeps_the_second_input_until_it_is_saved_again(
    client, referent, coordinator
):
    participant = ParticipantFactory(referent=referent, phone="0380000000")
    page = reverse("participants:edit", args=[participant.pk])
    client.force_login(referent)
    kept_open = hidden_fields(client, page)
    client.force_login(coordinator)
    posted(client, page, identity(participant, phone="0611111111"))

    client.force_login(referent)
    html = refused(client.post(page, {**kept_open, **identity(participant, phone="0622222222")}))
    assert (
        "Téléphone : « 0380000000 » sur votre page, « 0611111111 » maintenant. "
        "Votre saisie, « 0622222222 », est gardée : vérifiez-la."
    ) in html
    participant.refresh_from_db()
    assert participant.phone == "0611111111"


def test_a_change_outside_the_page_does_not_refuse_the_save(client, referent):
    # The person's state moves on (received at her first appointment) while her identity
    # page is open: nothing on that page changed, the save goes through, the state stays.
    appointment = scenarios.appointment_held(referent)
    participant = appointment.referral.participant
    page = reverse("participants:edit", args=[participant.pk])
    client.force_login(referent)
    kept_open = hidden_fields(client, page)
    version = participant.version
    scenarios.entry.record_appointment_outcome(
        appointment=appointment, outcome=AppointmentOutcome.ATTENDED
    )
    participant.refresh_from_db()
    assert participant.version > version
    response = client.post(page, {**kept_open, **identity(participant, phone="0611223344")})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.phone == "0611223344"
    assert participant.status == ParticipantStatus.ENTRY_IN_PROGRESS


def test_a_page_without_its_version_or_with_a_forged_one_saves_nothing(client, referent):
    participant = ParticipantFactory(referent=referent, phone="")
    page = reverse("participants:edit", args=[participant.pk])
    client.force_login(referent)
    for hidden in ({}, {"record_version": "1"}, {"record_version": "eyJ2IjoxfQ:forged:sig"}):
        response = client.post(page, {**hidden, **identity(participant, phone="0611223344")})
        assert response.status_code == 200
        assert "Cette page ne dit pas sur quelle version de la fiche elle repose" in (
            response.content.decode()
        )
    participant.refresh_from_db()
    assert participant.phone == ""


# Entry file (the pathway) -----------------------------------------------------------------


def test_entry_file_saved_from_a_stale_page_is_refused(client, referent, coordinator):
    pathway = scenarios.entry_file(referent)
    page = url("pathways:entry_file", pathway)
    client.force_login(referent)
    kept_open = hidden_fields(client, page)
    client.force_login(coordinator)
    base = {"wishes_to_commit": "true", "labour_market_status": "unemployed"}
    assert posted(client, page, {**base, "highest_diploma": "CAP cuisine"}).status_code == 302

    client.force_login(referent)
    html = refused(client.post(page, {**kept_open, **base, "entry_notes": "Permis en cours"}))
    assert "Diplôme le plus élevé : « (vide) » sur votre page, « CAP cuisine » maintenant." in html
    pathway.refresh_from_db()
    assert (pathway.highest_diploma, pathway.entry_notes) == ("CAP cuisine", "")


# Who may edit the entry file reads its sensitive answers (docs/permissions.md); the form still
# holds for a user who may not (remove_sensitive_fields): tried at the form's level.


def opened_without_sensitive_answers(pathway) -> str:
    """The version stamp of an entry-file page drawn for someone who does not read them."""
    form = EntryFileForm(instance=Pathway.objects.get(pk=pathway.pk), show_sensitive=False)
    assert "receives_rsa" not in form.fields
    return form.fields["record_version"].initial()


def save_entry_file(pathway, data, *, show_sensitive: bool, stamp: str | None = None):
    """What the entry-file page does with a posted form; the form, refused or not."""
    instance = Pathway.objects.get(pk=pathway.pk)
    if stamp is None:
        opened = EntryFileForm(instance=instance, show_sensitive=show_sensitive)
        stamp = opened.fields["record_version"].initial()
    sent = QueryDict(mutable=True)  # as a browser's post arrives
    for name, value in {**data, "record_version": stamp}.items():
        sent.setlist(name, [str(item) for item in value] if isinstance(value, list) else [value])
    form = EntryFileForm(sent, instance=instance, show_sensitive=show_sensitive)
    assert form.is_valid(), form.errors
    try:
        entry.update_entry_file(
            pathway=instance,
            data=form.entry_file_data(),
            seen=form.seen,
            barriers_shown=form.fields["barriers"].queryset,
        )
    except ValidationError as error:
        form.refused(error)
    return form


ENTRY_BASE = {"wishes_to_commit": "true", "labour_market_status": "unemployed"}


def test_a_change_to_a_sensitive_answer_is_neither_refused_nor_told_to_who_cannot_read_it(
    referent,
):
    # RSA is not on a page drawn without the sensitive answers: changed meanwhile, the save
    # from that page (which does not hold it) goes through, says nothing of it, keeps it.
    pathway = scenarios.entry_file(referent)
    kept_open = opened_without_sensitive_answers(pathway)
    save_entry_file(pathway, {**ENTRY_BASE, "receives_rsa": "true"}, show_sensitive=True)

    form = save_entry_file(
        pathway,
        {**ENTRY_BASE, "highest_diploma": "Bac pro"},
        show_sensitive=False,
        stamp=kept_open,
    )
    assert not form.errors
    pathway.refresh_from_db()
    assert (pathway.receives_rsa, pathway.highest_diploma) == (True, "Bac pro")


def test_barriers_added_meanwhile_are_taken_into_the_form_and_the_hidden_ones_kept(referent):
    # « Mobilité » and the sensitive « Santé » are added meanwhile; the save from a page drawn
    # without the sensitive answers is refused for « Mobilité » (on that page), never tells of
    # « Santé »; the form comes back with « Mobilité » ticked; saved again, all three stay.
    pathway = scenarios.entry_file(referent)
    mobility, health = (BarrierType.objects.get(code=code) for code in ("mobility", "health"))
    kept_open = opened_without_sensitive_answers(pathway)
    save_entry_file(
        pathway, {**ENTRY_BASE, "barriers": [mobility.pk, health.pk]}, show_sensitive=True
    )

    form = save_entry_file(
        pathway,
        {**ENTRY_BASE, "highest_diploma": "Bac pro"},
        show_sensitive=False,
        stamp=kept_open,
    )
    told = " ".join(form.non_field_errors())
    assert "Freins périphériques : « (vide) » sur votre page, « Mobilité » maintenant." in told
    assert "Santé" not in told
    assert form.data.getlist("barriers") == [str(mobility.pk)]
    again = save_entry_file(
        pathway,
        {**ENTRY_BASE, "highest_diploma": "Bac pro", "barriers": form.data.getlist("barriers")},
        show_sensitive=False,
        stamp=form.data["record_version"],
    )
    assert not again.errors
    pathway.refresh_from_db()
    assert set(pathway.barriers.all()) == {mobility, health}
    assert pathway.highest_diploma == "Bac pro"


def test_an_entry_file_proposed_meanwhile_is_not_changed(client, referent):
    pathway = scenarios.entry_file(referent)
    page = url("pathways:entry_file", pathway)
    client.force_login(referent)
    kept_open = hidden_fields(client, page)
    scenarios.committee.propose_entry(
        pathway=pathway,
        meeting=scenarios.MeetingFactory(),
        proposed_referent=referent,
        by=referent,
    )
    response = client.post(
        page, {**kept_open, "wishes_to_commit": "false", "labour_market_status": "unemployed"}
    )
    assert response.status_code == 403  # the page itself says it is no longer open
    pathway.refresh_from_db()
    assert pathway.wishes_to_commit is True


# Steps, contacts, follow-ups, transfers ------------------------------------------------------


def test_a_step_saved_from_a_stale_page_is_refused(client, referent, coordinator):
    pathway = scenarios.followed(referent)
    step = Step.objects.get(pathway=pathway)
    page = url("pathways:step_edit", pathway, step.pk)
    client.force_login(referent)
    kept_open = hidden_fields(client, page)
    fields = {
        "step_type": step.step_type_id,
        "start_date": step.start_date.isoformat(),
        "outcome": step.outcome,
        "organisation_name": step.organisation_name,
    }
    client.force_login(coordinator)
    assert (
        posted(client, page, {**fields, "planned_end_date": days(30).isoformat()}).status_code
        == 302
    )

    client.force_login(referent)
    html = refused(client.post(page, {**kept_open, **fields, "notes": "Très assidu"}))
    assert f"Fin prévue : « (vide) » sur votre page, « {days(30):%d/%m/%Y} » maintenant." in html
    step.refresh_from_db()
    assert (step.planned_end_date, step.notes) == (days(30), "")


def test_a_step_withdrawn_meanwhile_is_not_edited(referent, coordinator):
    pathway = scenarios.followed(referent)
    step = Step.objects.get(pathway=pathway)
    opened = Step.objects.get(pk=step.pk)  # as the edit page loaded it, before the withdrawal
    withdraw_step(step=step, reason="Saisie en double", by=coordinator)
    with pytest.raises(ValidationError, match="Cette étape a été retirée le"):
        update_step(step=opened, data={"notes": "Très assidu"})
    assert Step.including_withdrawn.get(pk=step.pk).notes == ""


def test_a_contact_saved_from_a_stale_page_is_refused(client, referent, coordinator):
    pathway = scenarios.followed(referent)
    contact = Contact.objects.get(pathway=pathway)
    page = url("pathways:contact_edit", pathway, contact.pk)
    client.force_login(referent)
    kept_open = hidden_fields(client, page)
    fields = {"contacted_on": contact.contacted_on.isoformat(), "mode": contact.mode}
    client.force_login(coordinator)
    assert posted(client, page, {**fields, "duration_minutes": "45"}).status_code == 302

    client.force_login(referent)
    html = refused(client.post(page, {**kept_open, **fields, "summary": "Point sur le CV"}))
    assert "Durée (minutes) : « (vide) » sur votre page, « 45 » maintenant." in html
    contact.refresh_from_db()
    assert (contact.duration_minutes, contact.summary) == (45, "")


def test_a_follow_up_saved_from_a_stale_page_is_refused(client, referent, coordinator):
    pathway = scenarios.exited_into_a_job(referent)
    page = url("pathways:follow_up", pathway)
    client.force_login(referent)
    kept_open = hidden_fields(client, page)
    done = {"done_on": days(-1).isoformat(), "situation": "same_job"}
    client.force_login(coordinator)
    assert posted(client, page, {**done, "note": "CDI confirmé"}).status_code == 302

    client.force_login(referent)
    html = refused(client.post(page, {**kept_open, **done, "note": "Toujours en poste"}))
    assert "Précisions : « (vide) » sur votre page, « CDI confirmé » maintenant." in html
    assert FollowUp.objects.get(pathway=pathway).note == "CDI confirmé"


def test_a_transfer_from_a_stale_page_is_refused(client, referent, coordinator, project_officer):
    pathway = scenarios.followed(referent)
    first, second = UserFactory(username="premier"), UserFactory(username="seconde")
    page = url("pathways:transfer", pathway)
    client.force_login(project_officer)
    kept_open = hidden_fields(client, page)
    client.force_login(coordinator)
    assert posted(client, page, {"new_referent": first.pk, "reason": "Congé"}).status_code == 302

    client.force_login(project_officer)
    response = client.post(page, {**kept_open, "new_referent": second.pk, "reason": "Secteur"})
    html = refused(response)
    assert f"Référent(e) : « {referent} » sur votre page, « {first} » maintenant." in html
    assert list(ReferentChange.objects.values_list("new_referent", flat=True)) == [first.pk]


# Referral and first appointment -------------------------------------------------------------


def test_closing_a_referral_from_a_stale_page_is_refused(client, referent, coordinator):
    referral = scenarios.awaiting_appointment(referent)
    participant = referral.participant
    page = participant_page(participant)
    close = reverse("pathways:referral_close", args=[participant.pk])
    client.force_login(referent)
    kept_open = hidden_fields(client, page, close)
    client.force_login(coordinator)
    plan = reverse("participants:appointment_plan", args=[participant.pk])
    moment = timezone.localtime() + datetime.timedelta(days=2)
    response = posted(
        client, page, {"scheduled_for": moment.strftime("%Y-%m-%dT%H:%M")}, action=plan
    )
    assert response.status_code == 302

    client.force_login(referent)
    response = client.post(
        close,
        {
            **kept_open,
            "close-outcome": "unreachable",
            "close-closed_on": timezone.localdate().isoformat(),
        },
    )
    html = refused(response)
    assert (
        "État : « Premier rendez-vous à fixer » sur votre page, "
        "« Premier rendez-vous fixé » maintenant."
    ) in html
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.APPOINTMENT_PLANNED


def test_two_outcomes_of_one_appointment_make_one(client, referent, coordinator):
    appointment = scenarios.appointment_held(referent)
    participant = appointment.referral.participant
    page = participant_page(participant)
    action = reverse("pathways:appointment_outcome", args=[participant.pk, appointment.pk])
    client.force_login(referent)
    kept_open = hidden_fields(client, page, action)
    client.force_login(coordinator)
    assert posted(client, page, {"outcome": "attended"}, action=action).status_code == 302

    client.force_login(referent)
    response = client.post(action, {**kept_open, "outcome": "no_show"}, follow=True)
    assert "L&#x27;issue de ce rendez-vous est déjà enregistrée (« Venu(e) »)" in (
        response.content.decode()
    )
    appointment.refresh_from_db()
    assert appointment.outcome == AppointmentOutcome.ATTENDED
    assert appointment.referral.pathway.status == PathwayStatus.DRAFT


# Committee ----------------------------------------------------------------------------------


def test_two_opposite_decisions_make_one_and_the_second_is_told(
    client, referent, coordinator, project_officer
):
    item = scenarios.entry_on_today_s_agenda(referent)
    page = reverse("committee:meeting_detail", args=[item.meeting_id])
    action = reverse("committee:decide", args=[item.meeting_id, item.pk])
    client.force_login(project_officer)
    kept_open = hidden_fields(client, page, action)
    client.force_login(coordinator)
    validate = {f"item{item.pk}-decision": "validated"}
    assert posted(client, page, validate, action=action).status_code == 302

    client.force_login(project_officer)
    refuse = {f"item{item.pk}-decision": "refused", f"item{item.pk}-reason": "Non éligible"}
    response = client.post(action, {**kept_open, **refuse}, follow=True)
    assert "La commission a déjà statué sur ce dossier (« Validée »)" in response.content.decode()
    item.refresh_from_db()
    assert (item.decision, item.decided_by) == (CommitteeDecision.VALIDATED, coordinator)
    assert item.pathway.status == PathwayStatus.ACTIVE
